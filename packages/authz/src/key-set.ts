import { ClubError } from '@clubland/errors';
import { type CryptoKey, importJWK, type JSONWebKeySet, type JWK } from 'jose';
import { ACCESS_TOKEN_ALGORITHM } from './access-token.ts';

export interface KeySetOptions {
  jwks: () => Promise<JSONWebKeySet>;
  clock: () => number;
  /** An unknown kid refetches the JWKS at most this often (a flood of forged kids costs one fetch). */
  refetchIntervalMs: number;
  /** Known keys are refreshed after this long, so a key withdrawn from the JWKS stops verifying. */
  maxAgeMs: number;
}

export interface KeySet {
  /** The verification key for `kid`, refetching the JWKS (throttled) when it is not known. */
  get(kid: string): Promise<CryptoKey | undefined>;
  /** Whether `kid` is in the current key set; no fetch. */
  has(kid: string): boolean;
}

function isUsableSigningKey(jwk: JWK): jwk is JWK & { kid: string; n: string; e: string } {
  return (
    jwk.kty === 'RSA' &&
    typeof jwk.kid === 'string' &&
    typeof jwk.n === 'string' &&
    typeof jwk.e === 'string' &&
    (jwk.alg === undefined || jwk.alg === ACCESS_TOKEN_ALGORITHM) &&
    (jwk.use === undefined || jwk.use === 'sig')
  );
}

async function importKeys(jwks: JSONWebKeySet): Promise<Map<string, CryptoKey>> {
  const keys = new Map<string, CryptoKey>();
  const candidates = Array.isArray(jwks.keys) ? jwks.keys.filter(isUsableSigningKey) : [];
  await Promise.all(
    candidates.map(async (jwk) => {
      try {
        // Only the public members: a private member published by mistake must not change the key type.
        const key = await importJWK({ kty: 'RSA', n: jwk.n, e: jwk.e }, ACCESS_TOKEN_ALGORITHM);
        if (!(key instanceof Uint8Array)) keys.set(jwk.kid, key);
      } catch {
        // One malformed key must not take the others down with it.
      }
    }),
  );
  return keys;
}

/** The verifier's view of the issuer's JWKS: imported RS256 public keys by kid. */
export function createKeySet(options: KeySetOptions): KeySet {
  let keys: Map<string, CryptoKey> | null = null;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  // Throttled apart from the scheduled loads, so the first token of a new key is not refused
  // just because the keys were loaded a moment before the issuer rotated.
  let unknownKidFetchAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | null = null;

  async function fetchKeys(): Promise<void> {
    fetchedAt = options.clock();
    try {
      keys = await importKeys(await options.jwks());
    } catch (cause) {
      // Keep serving the keys we have; only a verifier that never had any must fail.
      if (keys === null) throw new ClubError('dependency.unavailable', 'signing keys unavailable', {}, cause);
    }
  }

  function refresh(): Promise<void> {
    // Concurrent requests that need new keys share one fetch.
    inFlight ??= fetchKeys().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  return {
    async get(kid) {
      if (keys === null || options.clock() - fetchedAt >= options.maxAgeMs) await refresh();
      const key = keys?.get(kid);
      if (key !== undefined) return key;
      const now = options.clock();
      if (now - unknownKidFetchAt < options.refetchIntervalMs) return undefined;
      unknownKidFetchAt = now;
      await refresh();
      return keys?.get(kid);
    },
    has(kid) {
      return keys?.has(kid) === true;
    },
  };
}
