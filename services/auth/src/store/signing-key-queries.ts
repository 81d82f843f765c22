import type { Queryable } from '@clubland/db';
import type { JWK } from 'jose';

export interface PublicSigningKey {
  kid: string;
  publicJwk: JWK;
}

export interface ActiveSigningKey extends PublicSigningKey {
  privateKeyPem: string;
  createdAt: Date;
}

/** Queries on auth.signing_keys. */
export function createSigningKeyQueries(db: Queryable) {
  return {
    async active(): Promise<ActiveSigningKey | null> {
      const { rows } = await db.query<ActiveSigningKey>(
        `SELECT kid, public_jwk AS "publicJwk", private_key_pem AS "privateKeyPem", created_at AS "createdAt"
           FROM auth.signing_keys WHERE retired_at IS NULL`,
      );
      return rows[0] ?? null;
    },

    /** Keys whose tokens may still be valid at `now`: the active one and retired ones not yet past their tokens' expiry. */
    async verifiable(now: Date): Promise<PublicSigningKey[]> {
      const { rows } = await db.query<PublicSigningKey>(
        `SELECT kid, public_jwk AS "publicJwk" FROM auth.signing_keys
          WHERE retired_at IS NULL OR verifiable_until > $1
          ORDER BY created_at DESC`,
        [now],
      );
      return rows;
    },

    /** Inserts a new active key unless one exists (another instance won the race); true when inserted. */
    async insertActive(key: ActiveSigningKey): Promise<boolean> {
      const { rowCount } = await db.query(
        `INSERT INTO auth.signing_keys (kid, public_jwk, private_key_pem, created_at)
         VALUES ($1, $2::jsonb, $3, $4)
         ON CONFLICT DO NOTHING`,
        [key.kid, JSON.stringify(key.publicJwk), key.privateKeyPem, key.createdAt],
      );
      return rowCount === 1;
    },

    /** Retires the key: it signs nothing more (its private half is dropped) and stays published until `verifiableUntil`. */
    async retire(kid: string, now: Date, verifiableUntil: Date): Promise<boolean> {
      const { rowCount } = await db.query(
        `UPDATE auth.signing_keys SET retired_at = $2, verifiable_until = $3, private_key_pem = NULL
          WHERE kid = $1 AND retired_at IS NULL`,
        [kid, now, verifiableUntil],
      );
      return rowCount === 1;
    },

    /** Forgets keys no token can need any more. */
    async deleteExpired(now: Date): Promise<void> {
      await db.query('DELETE FROM auth.signing_keys WHERE verifiable_until <= $1', [now]);
    },

    /** Serialises key creation and rotation across instances for the rest of the transaction. */
    async lock(): Promise<void> {
      await db.query(`SELECT pg_advisory_xact_lock(hashtext('clubland.auth.signing_keys'))`);
    },
  };
}
