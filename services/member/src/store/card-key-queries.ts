import type { JsonWebKey } from 'node:crypto';
import type { Queryable } from '@clubland/db';
import type { CardKeyPair } from '../domain/membership-card.ts';

/** A club's membership-card keys. Run inside withTenant(clubId). */
export function createCardKeyQueries(db: Queryable) {
  return {
    async current(clubId: string): Promise<CardKeyPair | null> {
      const { rows } = await db.query<CardKeyPair>(
        `SELECT kid, public_jwk AS "publicJwk", private_key AS "privateKey"
         FROM member.card_signing_keys WHERE club_id = $1 AND retired_at IS NULL`,
        [clubId],
      );
      return rows[0] ?? null;
    },

    /** Stores the key unless the club already has a current one (a concurrent first issue won). */
    async insertUnlessPresent(clubId: string, key: CardKeyPair, now: Date): Promise<void> {
      await db.query(
        `INSERT INTO member.card_signing_keys (kid, club_id, public_jwk, private_key, created_at)
         VALUES ($1, $2, $3::jsonb, $4, $5)
         ON CONFLICT (club_id) WHERE retired_at IS NULL DO NOTHING`,
        [key.kid, clubId, JSON.stringify(key.publicJwk), key.privateKey, now],
      );
    },

    /** Every public key, current and retired, newest first: cards signed before a rotation still verify. */
    async publicKeys(clubId: string): Promise<JsonWebKey[]> {
      const { rows } = await db.query<{ jwk: JsonWebKey }>(
        `SELECT public_jwk AS jwk FROM member.card_signing_keys WHERE club_id = $1 ORDER BY created_at DESC`,
        [clubId],
      );
      return rows.map((row) => row.jwk);
    },
  };
}
