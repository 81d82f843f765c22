import type { JsonWebKey } from 'node:crypto';
import type { Queryable } from '@clubland/db';
import type { VisitCodeKeyPair } from '../domain/visit-code.ts';

/** reciprocal.visit_code_keys (network-wide; run in `db.transaction`). */
export function createVisitCodeKeyQueries(db: Queryable) {
  return {
    async current(): Promise<VisitCodeKeyPair | null> {
      const { rows } = await db.query<VisitCodeKeyPair>(
        `SELECT kid, public_jwk AS "publicJwk", private_key AS "privateKey"
           FROM reciprocal.visit_code_keys WHERE retired_at IS NULL`,
      );
      return rows[0] ?? null;
    },

    /** Stores the key unless a current one exists (a concurrent first use won). */
    async insertUnlessPresent(key: VisitCodeKeyPair, now: Date): Promise<void> {
      await db.query(
        `INSERT INTO reciprocal.visit_code_keys (kid, public_jwk, private_key, created_at)
         VALUES ($1, $2::jsonb, $3, $4) ON CONFLICT ((true)) WHERE retired_at IS NULL DO NOTHING`,
        [key.kid, JSON.stringify(key.publicJwk), key.privateKey, now],
      );
    },

    async publicKeys(): Promise<JsonWebKey[]> {
      const { rows } = await db.query<{ jwk: JsonWebKey }>(
        `SELECT public_jwk AS jwk FROM reciprocal.visit_code_keys ORDER BY created_at DESC`,
      );
      return rows.map((row) => row.jwk);
    },
  };
}
