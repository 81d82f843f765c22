import type { Queryable } from '@clubland/db';

export type ChallengePurpose = 'registration' | 'login';

export interface PasskeyRow {
  id: string;
  userId: string;
  credentialId: string;
  publicKey: Uint8Array;
  signCount: number;
  transports: string[];
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
}

const PASSKEY_COLUMNS = `id, user_id AS "userId", credential_id AS "credentialId", public_key AS "publicKey",
  sign_count AS "signCount", transports, device_type AS "deviceType", backed_up AS "backedUp",
  created_at AS "createdAt", last_used_at AS "lastUsedAt"`;

type RawPasskeyRow = Omit<PasskeyRow, 'signCount'> & { signCount: string };

/** bigint arrives as a string and bytea as a Buffer (pg) or Uint8Array (PGlite): one shape for both. */
function toPasskey(row: RawPasskeyRow): PasskeyRow {
  return { ...row, signCount: Number(row.signCount), publicKey: new Uint8Array(row.publicKey) };
}

/** Queries on auth.passkeys and auth.webauthn_challenges over the caller's connection or transaction. */
export function createPasskeyQueries(db: Queryable) {
  return {
    async insertChallenge(challenge: {
      id: string;
      userId: string | null;
      purpose: ChallengePurpose;
      challenge: string;
      expiresAt: Date;
      now: Date;
    }): Promise<void> {
      await db.query(
        `INSERT INTO auth.webauthn_challenges (id, user_id, purpose, challenge, expires_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          challenge.id,
          challenge.userId,
          challenge.purpose,
          challenge.challenge,
          challenge.expiresAt,
          challenge.now,
        ],
      );
    },

    /**
     * Marks the challenge used if it is this user's, for this purpose, unused and unexpired; true when
     * this call consumed it. Atomic: of two concurrent completions only one gets true.
     */
    async consumeChallenge(where: {
      challenge: string;
      purpose: ChallengePurpose;
      userId: string;
      now: Date;
    }): Promise<boolean> {
      const { rowCount } = await db.query(
        `UPDATE auth.webauthn_challenges SET used_at = $4
         WHERE challenge = $1 AND purpose = $2 AND user_id = $3 AND used_at IS NULL AND expires_at > $4
         RETURNING id`,
        [where.challenge, where.purpose, where.userId, where.now],
      );
      return rowCount === 1;
    },

    /**
     * Marks a login challenge used if it is unused and unexpired, and answers for whom it was issued
     * (null: an address without an account); null when there is no such challenge. Atomic: of two
     * concurrent completions only one finds it.
     */
    async consumeLoginChallenge(where: {
      challenge: string;
      now: Date;
    }): Promise<{ userId: string | null } | null> {
      const { rows } = await db.query<{ userId: string | null }>(
        `UPDATE auth.webauthn_challenges SET used_at = $2
         WHERE challenge = $1 AND purpose = 'login' AND used_at IS NULL AND expires_at > $2
         RETURNING user_id AS "userId"`,
        [where.challenge, where.now],
      );
      return rows[0] ?? null;
    },

    /** Housekeeping: challenges are worthless once expired. */
    async deleteExpiredChallenges(now: Date): Promise<number> {
      const { rowCount } = await db.query('DELETE FROM auth.webauthn_challenges WHERE expires_at <= $1', [
        now,
      ]);
      return rowCount;
    },

    /** Inserts the passkey unless its credential id is registered already; false when it is. */
    async insertPasskey(passkey: Omit<PasskeyRow, 'lastUsedAt'>): Promise<boolean> {
      const { rowCount } = await db.query(
        `INSERT INTO auth.passkeys
           (id, user_id, credential_id, public_key, sign_count, transports, device_type, backed_up, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (credential_id) DO NOTHING
         RETURNING id`,
        [
          passkey.id,
          passkey.userId,
          passkey.credentialId,
          Buffer.from(passkey.publicKey),
          passkey.signCount,
          passkey.transports,
          passkey.deviceType,
          passkey.backedUp,
          passkey.createdAt,
        ],
      );
      return rowCount === 1;
    },

    async listByUser(userId: string): Promise<PasskeyRow[]> {
      const { rows } = await db.query<RawPasskeyRow>(
        `SELECT ${PASSKEY_COLUMNS} FROM auth.passkeys WHERE user_id = $1 ORDER BY created_at`,
        [userId],
      );
      return rows.map(toPasskey);
    },

    async findByCredentialId(credentialId: string): Promise<PasskeyRow | null> {
      const { rows } = await db.query<RawPasskeyRow>(
        `SELECT ${PASSKEY_COLUMNS} FROM auth.passkeys WHERE credential_id = $1`,
        [credentialId],
      );
      return rows[0] ? toPasskey(rows[0]) : null;
    },

    /**
     * Records a login with the authenticator's new counter. The counter must grow (authenticators that
     * keep none always send 0); checked here again so two concurrent logins replaying one assertion
     * cannot both pass. False when the stored counter is already at or past `signCount`.
     */
    async recordUse(use: { id: string; signCount: number; backedUp: boolean; now: Date }): Promise<boolean> {
      const { rowCount } = await db.query(
        `UPDATE auth.passkeys SET sign_count = $2, backed_up = $3, last_used_at = $4
         WHERE id = $1 AND (sign_count < $2 OR (sign_count = 0 AND $2 = 0))
         RETURNING id`,
        [use.id, use.signCount, use.backedUp, use.now],
      );
      return rowCount === 1;
    },
  };
}
