import { hash } from 'node:crypto';
import { ClubError } from '@clubland/errors';
import { type CryptoKey, errors, type JSONWebKeySet, type JWTHeaderParameters, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import { ACCESS_TOKEN_ALGORITHM, ACCESS_TOKEN_TYPE, accessTokenPayload } from './access-token.ts';
import type { Principal } from './authorize.ts';
import { createKeySet } from './key-set.ts';

export interface AccessTokenVerifierOptions {
  /** The issuer's public keys, e.g. the auth service's JWKS over RPC or HTTP. */
  jwks: () => Promise<JSONWebKeySet>;
  issuer: string;
  audience: string;
  /**
   * Checked on every call, cached token or not, so logout and token reuse take effect at once.
   * May answer synchronously (a watcher that knows): the hot path then awaits nothing for it.
   */
  isSessionRevoked?: (sessionId: string) => boolean | Promise<boolean>;
  /**
   * Whether the account's roles or status changed after a token of `version` was minted; checked
   * on every call like revocation, so a role revoked or an account suspended takes effect at once.
   */
  isAuthzOutdated?: (userId: string, version: number) => boolean | Promise<boolean>;
  /** Epoch milliseconds. */
  clock?: () => number;
  /** How many verified tokens to remember (least recently used go first). */
  cacheSize?: number;
}

export interface VerifiedAccessToken extends Principal {
  /** When the token expires, epoch milliseconds. */
  expiresAt: number;
  /** The account's authorisation version the token was minted under (claim `av`). */
  authzVersion: number;
}

export interface AccessTokenVerifier {
  /**
   * The caller behind `token`; throws ClubError('request.unauthenticated') for any bad token.
   * `connection` (e.g. the request's socket) lets a keep-alive client that sends the same token on
   * every request skip re-hashing it; the answer is the same with or without it.
   */
  verify(token: string, connection?: object): Promise<VerifiedAccessToken>;
}

/** Tolerated clock difference between the issuer and us, for exp and nbf. */
export const CLOCK_TOLERANCE_SECONDS = 30;
const UNKNOWN_KID_REFETCH_MS = 60_000;
const KEYS_MAX_AGE_MS = 10 * 60_000;
/** Far above any token we issue; keeps hashing and parsing of junk bounded. */
const MAX_TOKEN_LENGTH = 8_192;

/** The last token a connection presented and its cache key. */
interface ConnectionMemo {
  token: string;
  cacheKey: string;
}

interface CachedToken {
  /** Frozen, with its grants: one object answers every request that bears the token. */
  verified: Readonly<VerifiedAccessToken>;
  kid: string;
}

/** One message for every refusal, so a client learns nothing about why; the reason goes to `cause`. */
function refuse(reason: string, cause?: unknown): ClubError {
  return new ClubError(
    'request.unauthenticated',
    'invalid or expired access token',
    {},
    cause ?? new Error(reason),
  );
}

/** A check's answer, sync or not; a check that cannot answer fails closed. */
function ask(check: () => boolean | Promise<boolean>): boolean | Promise<boolean> {
  try {
    return check();
  } catch (cause) {
    throw unavailable(cause);
  }
}

async function settle(answer: boolean | Promise<boolean>): Promise<boolean> {
  try {
    return await answer;
  } catch (cause) {
    throw unavailable(cause);
  }
}

/** For a check whose answer no longer matters: its failure is not an unhandled rejection. */
function ignore(): void {}

/** Fail closed: a revoked session must not pass because the revocation list is unreachable. */
function unavailable(cause: unknown): ClubError {
  return new ClubError('dependency.unavailable', 'cannot check the session', {}, cause);
}

/**
 * A genuine token minted before the account's roles or status last changed. Said plainly, unlike
 * other refusals: only the token's holder sees it, and what they should do is refresh.
 */
function outdatedToken(): ClubError {
  return new ClubError(
    'auth.token_outdated',
    'your roles or account status changed since this token was issued; refresh it',
    { reason: 'TOKEN_OUTDATED' },
  );
}

/**
 * Verifies our own access tokens: RS256 only, `typ: at+jwt`, key by `kid` from the issuer's
 * JWKS, iss/aud/exp/nbf checked. A verified token is remembered (by the SHA-256 of the token,
 * not the bearer secret itself) until it expires, because a request path that runs RS256 on
 * every call spends its CPU there; the revocation check still runs on every call. Hashing was
 * still ~10% of a signed-in request's CPU, so each connection remembers its last token's key
 * (held only as long as the connection object, which received that token anyway).
 */
export function createAccessTokenVerifier(options: AccessTokenVerifierOptions): AccessTokenVerifier {
  const clock = options.clock ?? Date.now;
  const keys = createKeySet({
    jwks: options.jwks,
    clock,
    refetchIntervalMs: UNKNOWN_KID_REFETCH_MS,
    maxAgeMs: KEYS_MAX_AGE_MS,
  });
  const verified = new LRUCache<string, CachedToken>({ max: options.cacheSize ?? 10_000 });
  // Concurrent requests bearing the same new token share one verification.
  const pending = new Map<string, Promise<CachedToken>>();
  const keysByConnection = new WeakMap<object, ConnectionMemo>();

  function cacheKeyOf(token: string, connection: object | undefined): string {
    if (connection === undefined) return hash('sha256', token, 'base64url');
    const memo = keysByConnection.get(connection);
    if (memo !== undefined && memo.token === token) return memo.cacheKey;
    const cacheKey = hash('sha256', token, 'base64url');
    keysByConnection.set(connection, { token, cacheKey });
    return cacheKey;
  }

  async function verifySignedToken(token: string): Promise<CachedToken> {
    let kid = '';
    // jose calls this only once the header's alg is in `algorithms`: `none`, HS256 keyed with
    // our public key and every other algorithm are refused before any key is looked up.
    const keyFor = async (header: JWTHeaderParameters): Promise<CryptoKey> => {
      if (typeof header.kid !== 'string') throw refuse('no kid in the header');
      kid = header.kid;
      const key = await keys.get(kid);
      if (key === undefined) throw refuse(`unknown signing key ${kid}`);
      return key;
    };
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, keyFor, {
        algorithms: [ACCESS_TOKEN_ALGORITHM],
        typ: ACCESS_TOKEN_TYPE,
        issuer: options.issuer,
        audience: options.audience,
        requiredClaims: ['exp', 'sub', 'sid'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: new Date(clock()),
      }));
    } catch (error) {
      if (error instanceof errors.JOSEError) throw refuse(error.code, error);
      throw error;
    }
    const claims = accessTokenPayload.safeParse(payload);
    if (!claims.success) throw refuse('malformed claims', claims.error);
    const grants = claims.data.roles.map((grant) =>
      Object.freeze({ role: grant.role, clubId: grant.clubId }),
    );
    return {
      verified: Object.freeze({
        userId: claims.data.sub,
        sessionId: claims.data.sid,
        homeClubId: claims.data.clubId,
        grants: Object.freeze(grants) as typeof grants,
        source: 'clubland',
        expiresAt: claims.data.exp * 1000,
        authzVersion: claims.data.av,
      }),
      kid,
    };
  }

  async function lookUp(token: string, connection: object | undefined): Promise<CachedToken> {
    const cacheKey = cacheKeyOf(token, connection);
    const cached = verified.get(cacheKey);
    if (cached !== undefined) {
      // The same acceptance window as jose's, and never past a key withdrawn from the JWKS.
      const isLive = clock() < cached.verified.expiresAt + CLOCK_TOLERANCE_SECONDS * 1000;
      if (isLive && keys.has(cached.kid)) return cached;
      verified.delete(cacheKey);
    }
    let verification = pending.get(cacheKey);
    if (verification === undefined) {
      verification = verifySignedToken(token).finally(() => pending.delete(cacheKey));
      pending.set(cacheKey, verification);
    }
    const fresh = await verification;
    verified.set(cacheKey, fresh);
    return fresh;
  }

  /**
   * Revocation and the authorisation version. Nothing to await (undefined) when both answer from
   * memory, as a watcher does for every token it has seen: the hot path pays no promise. When both
   * must read the store (the auth service's own verifier), they read at once, not one after the other.
   */
  function assertCurrent(token: Readonly<VerifiedAccessToken>): Promise<void> | undefined {
    const { isSessionRevoked, isAuthzOutdated } = options;
    const sessionId = token.sessionId;
    const revoked =
      sessionId === null || isSessionRevoked === undefined ? false : ask(() => isSessionRevoked(sessionId));
    if (revoked === true) throw refuse('session revoked');
    let outdated: boolean | Promise<boolean>;
    try {
      outdated =
        isAuthzOutdated === undefined ? false : ask(() => isAuthzOutdated(token.userId, token.authzVersion));
    } catch (error) {
      if (revoked !== false) revoked.catch(ignore);
      throw error;
    }
    if (outdated === true) {
      if (revoked !== false) revoked.catch(ignore);
      throw outdatedToken();
    }
    if (revoked === false && outdated === false) return undefined;
    return Promise.all([settle(revoked), settle(outdated)]).then(([isRevoked, isOutdated]) => {
      if (isRevoked) throw refuse('session revoked');
      if (isOutdated) throw outdatedToken();
    });
  }

  return {
    async verify(token, connection) {
      if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
        throw refuse('missing or oversized token');
      }
      const { verified } = await lookUp(token, connection);
      const checking = assertCurrent(verified);
      if (checking !== undefined) await checking;
      // The cached object itself (frozen): callers may key per-principal memos on it.
      return verified;
    },
  };
}
