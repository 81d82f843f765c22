import type { Queryable } from '@clubland/db';

export type OneTimeTokenPurpose = 'email_verification' | 'password_reset';

/** Queries on auth.one_time_tokens: the single-use links sent by email. */
export function createOneTimeTokenQueries(db: Queryable) {
  return {
    /** Stores a new token and retires the user's earlier live ones of the same purpose (only the latest link works). */
    async issue(token: {
      tokenHash: string;
      userId: string;
      purpose: OneTimeTokenPurpose;
      now: Date;
      expiresAt: Date;
    }): Promise<void> {
      await db.query(
        `UPDATE auth.one_time_tokens SET used_at = $3 WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`,
        [token.userId, token.purpose, token.now],
      );
      await db.query(
        `INSERT INTO auth.one_time_tokens (token_hash, user_id, purpose, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)`,
        [token.tokenHash, token.userId, token.purpose, token.now, token.expiresAt],
      );
    },

    /** The user a live (unused, unexpired) token belongs to, without redeeming it. */
    async findLive(tokenHash: string, purpose: OneTimeTokenPurpose, now: Date): Promise<string | null> {
      const { rows } = await db.query<{ userId: string }>(
        `SELECT user_id AS "userId" FROM auth.one_time_tokens
          WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3`,
        [tokenHash, purpose, now],
      );
      return rows[0]?.userId ?? null;
    },

    /** Redeems a live token in one statement, so it works once even under concurrent use. */
    async redeem(tokenHash: string, purpose: OneTimeTokenPurpose, now: Date): Promise<string | null> {
      const { rows } = await db.query<{ userId: string }>(
        `UPDATE auth.one_time_tokens SET used_at = $3
          WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
          RETURNING user_id AS "userId"`,
        [tokenHash, purpose, now],
      );
      return rows[0]?.userId ?? null;
    },
  };
}
