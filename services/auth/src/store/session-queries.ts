import type { Queryable } from '@clubland/db';
import type { SessionEndReason } from '../domain/session-end.ts';

export type SignInMethod = 'password' | 'passkey' | 'mfa' | 'hanko';
/** Why a session ended (domain/session-end.ts); the column's CHECK lists the same values. */
export type RevokedReason = SessionEndReason;

/** A refresh token as a refresh needs it: the token, its session and the session's state. */
export interface RefreshTokenRow {
  tokenHash: string;
  sessionId: string;
  userId: string;
  expiresAt: Date;
  usedAt: Date | null;
  sessionRevokedAt: Date | null;
  /** Why the session ended, when it did. */
  sessionRevokedReason: string | null;
}

/** Queries on auth.sessions and auth.refresh_tokens (a session is the family of its refresh tokens). */
export function createSessionQueries(db: Queryable) {
  return {
    async insertSession(session: {
      id: string;
      userId: string;
      method: SignInMethod;
      ip: string;
      userAgent: string;
      now: Date;
    }): Promise<void> {
      await db.query(
        `INSERT INTO auth.sessions (id, user_id, method, ip, user_agent, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [session.id, session.userId, session.method, session.ip, session.userAgent, session.now],
      );
    },

    async insertRefreshToken(token: {
      tokenHash: string;
      sessionId: string;
      now: Date;
      expiresAt: Date;
    }): Promise<void> {
      await db.query(
        `INSERT INTO auth.refresh_tokens (token_hash, session_id, issued_at, expires_at) VALUES ($1, $2, $3, $4)`,
        [token.tokenHash, token.sessionId, token.now, token.expiresAt],
      );
    },

    /** Locks the token's row, so two refreshes with one token are decided one after the other. */
    async findRefreshTokenForUpdate(tokenHash: string): Promise<RefreshTokenRow | null> {
      const { rows } = await db.query<RefreshTokenRow>(
        `SELECT t.token_hash AS "tokenHash", t.session_id AS "sessionId", s.user_id AS "userId",
                t.expires_at AS "expiresAt", t.used_at AS "usedAt", s.revoked_at AS "sessionRevokedAt",
                s.revoked_reason AS "sessionRevokedReason"
           FROM auth.refresh_tokens t JOIN auth.sessions s ON s.id = t.session_id
          WHERE t.token_hash = $1
          FOR UPDATE OF t, s`,
        [tokenHash],
      );
      return rows[0] ?? null;
    },

    /** Marks the token used unless it already was; false means someone used it first. */
    async markRefreshTokenUsed(tokenHash: string, now: Date): Promise<boolean> {
      const { rowCount } = await db.query(
        'UPDATE auth.refresh_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL',
        [tokenHash, now],
      );
      return rowCount === 1;
    },

    async stampRefresh(sessionId: string, now: Date): Promise<void> {
      await db.query('UPDATE auth.sessions SET last_refreshed_at = $2 WHERE id = $1', [sessionId, now]);
    },

    async isSessionLive(sessionId: string): Promise<boolean> {
      const { rows } = await db.query<{ live: boolean }>(
        'SELECT revoked_at IS NULL AS live FROM auth.sessions WHERE id = $1',
        [sessionId],
      );
      return rows[0]?.live === true;
    },

    /** Revokes one session (no-op when it already is); true when this call revoked it. */
    async revokeSession(sessionId: string, reason: RevokedReason, now: Date): Promise<boolean> {
      const { rowCount } = await db.query(
        `UPDATE auth.sessions SET revoked_at = $2, revoked_reason = $3 WHERE id = $1 AND revoked_at IS NULL`,
        [sessionId, now, reason],
      );
      return rowCount === 1;
    },

    /** Revokes every live session of a user; returns their ids (to mark them revoked in the cache). */
    async revokeAllSessions(userId: string, reason: RevokedReason, now: Date): Promise<string[]> {
      const { rows } = await db.query<{ id: string }>(
        `UPDATE auth.sessions SET revoked_at = $2, revoked_reason = $3
          WHERE user_id = $1 AND revoked_at IS NULL RETURNING id`,
        [userId, now, reason],
      );
      return rows.map((row) => row.id);
    },
  };
}
