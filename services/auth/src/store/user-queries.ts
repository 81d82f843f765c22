import type { Queryable } from '@clubland/db';
import type { UserStatus } from '../domain/user-status.ts';

export interface UserRow {
  id: string;
  /** The home club; null only for network administrators created by the bootstrap. */
  clubId: string | null;
  email: string;
  username: string | null;
  firstName: string;
  lastName: string;
  status: UserStatus;
  emailVerifiedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  lastLoginAt: Date | null;
  /** Counts changes to the account's roles and status; access tokens carry it (claim `av`). */
  authzVersion: number;
  /** When the account was closed by the erasure of its person's member data; null while open. */
  closedAt: Date | null;
}

export interface NewUser {
  id: string;
  clubId: string | null;
  email: string;
  username: string | null;
  firstName: string;
  lastName: string;
  status: UserStatus;
  now: Date;
}

/** Every statement names the table `u`, so these columns read the same in SELECT, UPDATE and RETURNING. */
const COLUMNS = `u.id, u.club_id AS "clubId", u.email, u.username, u.first_name AS "firstName",
  u.last_name AS "lastName", u.status, u.email_verified_at AS "emailVerifiedAt", u.created_at AS "createdAt",
  u.updated_at AS "updatedAt", u.last_login_at AS "lastLoginAt", u.authz_version AS "authzVersion",
  u.closed_at AS "closedAt"`;

/** Queries on auth.users and auth.password_credentials over the caller's connection or transaction. */
export function createUserQueries(db: Queryable) {
  return {
    async findById(id: string): Promise<UserRow | null> {
      const { rows } = await db.query<UserRow>(`SELECT ${COLUMNS} FROM auth.users u WHERE u.id = $1`, [id]);
      return rows[0] ?? null;
    },

    /** Accounts with an address at `domain` (case-insensitive); one scan, for start-up checks. */
    async countAtEmailDomain(domain: string): Promise<number> {
      const { rows } = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM auth.users u WHERE right(lower(u.email), length($1) + 1) = '@' || lower($1)`,
        [domain],
      );
      return Number(rows[0]?.n ?? 0);
    },

    /**
     * Case-insensitive, as the unique index decides. A closed account is found by no address (its
     * own is a placeholder): every way in by email (password, passkey, reset, Hanko, invitation)
     * answers as for an unknown address.
     */
    async findByEmail(email: string): Promise<UserRow | null> {
      const { rows } = await db.query<UserRow>(
        `SELECT ${COLUMNS} FROM auth.users u WHERE lower(u.email) = lower($1) AND u.closed_at IS NULL`,
        [email],
      );
      return rows[0] ?? null;
    },

    /** The account and its password hash (null without a password), for a login; never a closed one. */
    async findLoginByEmail(email: string): Promise<{ user: UserRow; passwordHash: string | null } | null> {
      const { rows } = await db.query<UserRow & { passwordHash: string | null }>(
        `SELECT ${COLUMNS}, p.password_hash AS "passwordHash"
           FROM auth.users u LEFT JOIN auth.password_credentials p ON p.user_id = u.id
          WHERE lower(u.email) = lower($1) AND u.closed_at IS NULL`,
        [email],
      );
      const row = rows[0];
      if (!row) return null;
      const { passwordHash, ...user } = row;
      return { user, passwordHash };
    },

    /** Inserts the account unless its email or username is taken; then answers which one was. */
    async insertUnlessTaken(user: NewUser): Promise<UserRow | 'email_taken' | 'username_taken'> {
      const { rows } = await db.query<UserRow>(
        `INSERT INTO auth.users AS u (id, club_id, email, username, first_name, last_name, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
         ON CONFLICT DO NOTHING
         RETURNING ${COLUMNS}`,
        [
          user.id,
          user.clubId,
          user.email,
          user.username,
          user.firstName,
          user.lastName,
          user.status,
          user.now,
        ],
      );
      if (rows[0]) return rows[0];
      const { rows: taken } = await db.query<{ email: boolean }>(
        'SELECT EXISTS (SELECT 1 FROM auth.users WHERE lower(email) = lower($1)) AS email',
        [user.email],
      );
      return taken[0]?.email ? 'email_taken' : 'username_taken';
    },

    async setPassword(userId: string, passwordHash: string, now: Date): Promise<void> {
      await db.query(
        `INSERT INTO auth.password_credentials (user_id, password_hash, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET password_hash = EXCLUDED.password_hash, updated_at = EXCLUDED.updated_at`,
        [userId, passwordHash, now],
      );
    },

    async findPasswordHash(userId: string): Promise<string | null> {
      const { rows } = await db.query<{ hash: string }>(
        'SELECT password_hash AS hash FROM auth.password_credentials WHERE user_id = $1',
        [userId],
      );
      return rows[0]?.hash ?? null;
    },

    /**
     * Counts a change to what the account may do, in the transaction that makes it; returns the new
     * count. Minting reads the account row (the count) before its grants (user-view.ts), so a token
     * minted meanwhile carries the old count (refused once this commits) or the new count with the
     * new grants, never the new count with the old grants.
     */
    async bumpAuthzVersion(userId: string): Promise<number | null> {
      const { rows } = await db.query<{ version: number }>(
        'UPDATE auth.users SET authz_version = authz_version + 1 WHERE id = $1 RETURNING authz_version AS version',
        [userId],
      );
      return rows[0]?.version ?? null;
    },

    async stampLogin(userId: string, now: Date): Promise<void> {
      await db.query('UPDATE auth.users SET last_login_at = $2 WHERE id = $1', [userId, now]);
    },

    /** Records that the user proved the address (the first proof's time is kept), with the status that follows. */
    async markEmailVerified(userId: string, status: UserStatus, now: Date): Promise<UserRow | null> {
      const { rows } = await db.query<UserRow>(
        `UPDATE auth.users u
            SET email_verified_at = coalesce(u.email_verified_at, $3), status = $2, updated_at = $3
          WHERE u.id = $1
          RETURNING ${COLUMNS}`,
        [userId, status, now],
      );
      return rows[0] ?? null;
    },

    async update(
      userId: string,
      changes: { firstName?: string; lastName?: string; status?: UserStatus },
      now: Date,
    ): Promise<UserRow | null> {
      const { rows } = await db.query<UserRow>(
        `UPDATE auth.users u
            SET first_name = coalesce($2, u.first_name),
                last_name = coalesce($3, u.last_name),
                status = coalesce($4, u.status),
                updated_at = $5
          WHERE u.id = $1
          RETURNING ${COLUMNS}`,
        [userId, changes.firstName ?? null, changes.lastName ?? null, changes.status ?? null, now],
      );
      return rows[0] ?? null;
    },
  };
}
