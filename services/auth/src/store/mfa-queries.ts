import type { Queryable } from '@clubland/db';

export interface TotpFactorRow {
  userId: string;
  secret: string;
  confirmedAt: Date | null;
  lastUsedStep: number | null;
}

type RawTotpFactorRow = Omit<TotpFactorRow, 'lastUsedStep'> & { lastUsedStep: string | null };

const TOTP_COLUMNS = `user_id AS "userId", secret, confirmed_at AS "confirmedAt", last_used_step AS "lastUsedStep"`;

function toTotpFactor(row: RawTotpFactorRow): TotpFactorRow {
  return { ...row, lastUsedStep: row.lastUsedStep === null ? null : Number(row.lastUsedStep) };
}

/**
 * Queries on auth.totp_factors, auth.recovery_codes and auth.mfa_challenges over the caller's
 * connection or transaction. Every "use once" step is a conditional UPDATE ... RETURNING, so two
 * concurrent calls cannot both succeed.
 */
export function createMfaQueries(db: Queryable) {
  return {
    async isMfaEnabled(userId: string): Promise<boolean> {
      const { rows } = await db.query<{ enabled: boolean }>(
        `SELECT EXISTS (
           SELECT 1 FROM auth.totp_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL
         ) AS enabled`,
        [userId],
      );
      return rows[0]?.enabled === true;
    },

    async findTotpFactor(userId: string): Promise<TotpFactorRow | null> {
      const { rows } = await db.query<RawTotpFactorRow>(
        `SELECT ${TOTP_COLUMNS} FROM auth.totp_factors WHERE user_id = $1`,
        [userId],
      );
      return rows[0] ? toTotpFactor(rows[0]) : null;
    },

    /**
     * Starts (or restarts) an enrolment with a new secret. Returns false, changing nothing, when TOTP is
     * already confirmed for the user: a second enrolment must not silently replace a working factor.
     */
    async startTotpEnrolment(factor: { userId: string; secret: string; now: Date }): Promise<boolean> {
      const { rowCount } = await db.query(
        `INSERT INTO auth.totp_factors (user_id, secret, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET secret = EXCLUDED.secret, created_at = EXCLUDED.created_at,
           last_used_step = NULL
         WHERE auth.totp_factors.confirmed_at IS NULL
         RETURNING user_id`,
        [factor.userId, factor.secret, factor.now],
      );
      return rowCount === 1;
    },

    /** Confirms a pending enrolment with the time step of the code that proved it. */
    async confirmTotp(where: { userId: string; timeStep: number; now: Date }): Promise<boolean> {
      const { rowCount } = await db.query(
        `UPDATE auth.totp_factors SET confirmed_at = $3, last_used_step = $2
         WHERE user_id = $1 AND confirmed_at IS NULL
         RETURNING user_id`,
        [where.userId, where.timeStep, where.now],
      );
      return rowCount === 1;
    },

    /** Remembers the time step of an accepted code; false when that step (or a later one) was used. */
    async advanceTotpStep(where: { userId: string; timeStep: number }): Promise<boolean> {
      const { rowCount } = await db.query(
        `UPDATE auth.totp_factors SET last_used_step = $2
         WHERE user_id = $1 AND confirmed_at IS NOT NULL AND (last_used_step IS NULL OR last_used_step < $2)
         RETURNING user_id`,
        [where.userId, where.timeStep],
      );
      return rowCount === 1;
    },

    /** Removes TOTP and its recovery codes. */
    async deleteTotp(userId: string): Promise<void> {
      await db.query('DELETE FROM auth.recovery_codes WHERE user_id = $1', [userId]);
      await db.query('DELETE FROM auth.totp_factors WHERE user_id = $1', [userId]);
    },

    /** Replaces every recovery code of the user by these (hashed) ones. */
    async replaceRecoveryCodes(
      userId: string,
      codes: { id: string; hash: string }[],
      now: Date,
    ): Promise<void> {
      await db.query('DELETE FROM auth.recovery_codes WHERE user_id = $1', [userId]);
      for (const code of codes) {
        await db.query(
          'INSERT INTO auth.recovery_codes (id, user_id, code_hash, created_at) VALUES ($1, $2, $3, $4)',
          [code.id, userId, code.hash, now],
        );
      }
    },

    /** Uses the recovery code with this hash; true when it existed and was unused until now. */
    async consumeRecoveryCode(where: { userId: string; hash: string; now: Date }): Promise<boolean> {
      const { rowCount } = await db.query(
        `UPDATE auth.recovery_codes SET used_at = $3
         WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL
         RETURNING id`,
        [where.userId, where.hash, where.now],
      );
      return rowCount === 1;
    },

    async countUnusedRecoveryCodes(userId: string): Promise<number> {
      const { rows } = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM auth.recovery_codes WHERE user_id = $1 AND used_at IS NULL',
        [userId],
      );
      return rows[0]?.n ?? 0;
    },

    async insertMfaChallenge(challenge: {
      tokenHash: string;
      userId: string;
      expiresAt: Date;
      now: Date;
    }): Promise<void> {
      await db.query(
        `INSERT INTO auth.mfa_challenges (token_hash, user_id, expires_at, created_at) VALUES ($1, $2, $3, $4)`,
        [challenge.tokenHash, challenge.userId, challenge.expiresAt, challenge.now],
      );
    },

    /**
     * Counts one attempt against a live challenge (unused, unexpired, under `maxAttempts` tries) and
     * returns whose it is; null when the token is unknown, used, expired or out of attempts.
     */
    async countMfaAttempt(where: {
      tokenHash: string;
      now: Date;
      maxAttempts: number;
    }): Promise<{ userId: string; attempts: number } | null> {
      const { rows } = await db.query<{ userId: string; attempts: number }>(
        `UPDATE auth.mfa_challenges SET attempts = attempts + 1
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 AND attempts < $3
         RETURNING user_id AS "userId", attempts`,
        [where.tokenHash, where.now, where.maxAttempts],
      );
      return rows[0] ?? null;
    },

    /** Housekeeping: an expired MFA token is worthless. */
    async deleteExpiredMfaChallenges(now: Date): Promise<number> {
      const { rowCount } = await db.query('DELETE FROM auth.mfa_challenges WHERE expires_at <= $1', [now]);
      return rowCount;
    },

    /** Marks the challenge used; true for the one call that did. */
    async consumeMfaChallenge(where: { tokenHash: string; now: Date }): Promise<boolean> {
      const { rowCount } = await db.query(
        `UPDATE auth.mfa_challenges SET used_at = $2
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
         RETURNING user_id`,
        [where.tokenHash, where.now],
      );
      return rowCount === 1;
    },
  };
}
