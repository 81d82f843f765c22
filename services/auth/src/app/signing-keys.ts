import { createPrivateKey, generateKeyPair as generateKeyPairCallback, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { Db, Tx } from '@clubland/db';
import { ClubError } from '@clubland/errors';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { isRotationDue, verifiableUntil } from '../domain/key-rotation.ts';
import { type ActiveSigningKey, createSigningKeyQueries } from '../store/signing-key-queries.ts';
import type { AuthSettings } from './deps.ts';

const generateKeyPair = promisify(generateKeyPairCallback);

export interface SigningKeys {
  /** Creates the first key, or replaces one older than keyRotationDays. Safe from several instances at once. */
  rotateIfDue(): Promise<'created' | 'rotated' | 'kept'>;
  /** The key that signs now, read in the caller's transaction (so every instance signs with the same one). */
  current(tx: Tx): Promise<{ kid: string; privateKey: KeyObject }>;
  /** The JWKS: the active key and retired ones whose tokens may still be valid. Opens a transaction. */
  jwks(): Promise<{ keys: JWK[] }>;
}

/** RS256 signing keys in auth.signing_keys: created on first start, rotated by age. */
export function createSigningKeys(deps: {
  db: Db;
  clock: () => Date;
  settings: Pick<AuthSettings, 'keyRotationDays' | 'accessTokenTtlSeconds'>;
}): SigningKeys {
  const { db, clock, settings } = deps;
  // Parsing a PEM costs more than the signature; keep parsed keys by kid.
  const parsed = new Map<string, KeyObject>();
  const isDue = (key: ActiveSigningKey | null, now: Date) =>
    key === null || isRotationDue(key.createdAt, now, settings.keyRotationDays);

  return {
    async rotateIfDue() {
      const now = clock();
      const active = await db.readAtOnce(null, (tx) => createSigningKeyQueries(tx).active());
      if (!isDue(active, now)) return 'kept';
      // Generated outside the transaction: ~100 ms of CPU that must not hold a connection or a lock.
      const fresh = await newSigningKey(now);
      return db.transaction(async (tx) => {
        const keys = createSigningKeyQueries(tx);
        await keys.lock();
        const current = await keys.active();
        if (!isDue(current, now)) return 'kept';
        if (current)
          await keys.retire(current.kid, now, verifiableUntil(now, settings.accessTokenTtlSeconds));
        await keys.insertActive(fresh);
        await keys.deleteExpired(now);
        if (current) parsed.delete(current.kid);
        return current ? 'rotated' : 'created';
      });
    },

    async current(tx) {
      const active = await createSigningKeyQueries(tx).active();
      if (!active) {
        throw new ClubError('dependency.unavailable', 'no signing key yet: the auth service has not started');
      }
      let privateKey = parsed.get(active.kid);
      if (!privateKey) {
        privateKey = createPrivateKey(active.privateKeyPem);
        parsed.set(active.kid, privateKey);
      }
      return { kid: active.kid, privateKey };
    },

    async jwks() {
      const keys = await db.readAtOnce(null, (tx) => createSigningKeyQueries(tx).verifiable(clock()));
      return { keys: keys.map((key) => key.publicJwk) };
    },
  };
}

async function newSigningKey(now: Date): Promise<ActiveSigningKey> {
  const { publicKey, privateKey } = await generateKeyPair('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  // The RFC 7638 thumbprint as kid: stable, unique per key, and reveals nothing.
  const kid = await calculateJwkThumbprint({ kty: 'RSA', n: jwk.n, e: jwk.e });
  return {
    kid,
    publicJwk: { kty: 'RSA', n: jwk.n, e: jwk.e, kid, alg: 'RS256', use: 'sig' } as JWK,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    createdAt: now,
  };
}
