import { ClubError } from '@clubland/errors';
import { type JSONWebKeySet, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  craftToken,
  createTestSigningKey,
  decodePart,
  forgeHs256WithPublicKey,
  type TestSigningKey,
} from '../test/test-keys.ts';
import type { AccessTokenClaims } from './access-token.ts';
import { signAccessToken } from './sign.ts';
import { CLOCK_TOLERANCE_SECONDS, createAccessTokenVerifier } from './token-verifier.ts';

const issuer = 'https://auth.clubland.test';
const audience = 'clubland';
const clubA = '0190a000-0000-7000-8000-00000000000a';
const start = Date.parse('2030-01-01T00:00:00Z');
const TTL = 900;

const claims: AccessTokenClaims = {
  sub: 'user-1',
  sid: 'session-1',
  clubId: clubA,
  roles: [{ role: 'STAFF', clubId: clubA }],
  permissions: ['club:read', 'visit:manage'],
};

let oldKey: TestSigningKey;
let newKey: TestSigningKey;
let strangerKey: TestSigningKey;

beforeAll(async () => {
  [oldKey, newKey, strangerKey] = await Promise.all([
    createTestSigningKey('key-2030-01'),
    createTestSigningKey('key-2030-02'),
    createTestSigningKey('key-stranger'),
  ]);
});

/** A verifier over a JWKS the test can change, a clock it moves, and a revocation set. */
function setUp(published: TestSigningKey[] = [oldKey]) {
  const state = {
    now: start,
    keys: published,
    jwksCalls: 0,
    revoked: new Set<string>(),
    /** Each account's latest authorisation version, as the auth service announced it. */
    versions: new Map<string, number>(),
  };
  const verifier = createAccessTokenVerifier({
    jwks: async (): Promise<JSONWebKeySet> => {
      state.jwksCalls += 1;
      return { keys: state.keys.map((key) => key.publicJwk) };
    },
    issuer,
    audience,
    isSessionRevoked: async (sid) => state.revoked.has(sid),
    isAuthzOutdated: (userId, version) => version < (state.versions.get(userId) ?? 0),
    clock: () => state.now,
    cacheSize: 100,
  });
  const sign = (
    key: TestSigningKey,
    overrides: Partial<AccessTokenClaims> = {},
    options: { at?: number; issuer?: string; audience?: string; ttlSeconds?: number } = {},
  ) =>
    signAccessToken(
      key.privateKey,
      key.kid,
      { ...claims, ...overrides },
      {
        issuer: options.issuer ?? issuer,
        audience: options.audience ?? audience,
        ttlSeconds: options.ttlSeconds ?? TTL,
        now: new Date(options.at ?? state.now),
      },
    );
  return { state, verifier, sign };
}

/** The ClubError a refused verification throws, with the reason it carries for the logs. */
async function refusal(promise: Promise<unknown>): Promise<{ code: string; reason: string }> {
  const error = await promise.then(
    () => {
      throw new Error('expected the token to be refused');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ClubError);
  const cause = (error as ClubError).cause as { code?: string; message: string };
  return { code: (error as ClubError).code, reason: cause.code ?? cause.message };
}

describe('access-token verifier', () => {
  it('verifies a good token to its principal and expiry', async () => {
    const { verifier, sign } = setUp();
    const principal = await verifier.verify(await sign(oldKey));
    expect(principal).toEqual({
      userId: 'user-1',
      sessionId: 'session-1',
      homeClubId: clubA,
      grants: [{ role: 'STAFF', clubId: clubA }],
      source: 'clubland',
      expiresAt: start + TTL * 1000,
      authzVersion: 0,
    });
  });

  it("refuses a token minted before the account's roles changed, telling the client to refresh", async () => {
    const { state, verifier, sign } = setUp();
    const before = await sign(oldKey, { authzVersion: 1 });
    expect((await verifier.verify(before)).authzVersion).toBe(1);
    state.versions.set('user-1', 2);
    const error = await verifier.verify(before).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClubError);
    expect((error as ClubError).code).toBe('auth.token_outdated');
    expect((error as ClubError).extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'TOKEN_OUTDATED' });
    // The refreshed token carries the new version and passes; other accounts are untouched.
    expect((await verifier.verify(await sign(oldKey, { authzVersion: 2 }))).userId).toBe('user-1');
    expect((await verifier.verify(await sign(oldKey, { sub: 'user-2', sid: 'session-2' }))).userId).toBe(
      'user-2',
    );
  });

  it('fails closed when the version cannot be checked', async () => {
    const { sign } = setUp();
    const verifier = createAccessTokenVerifier({
      jwks: async () => ({ keys: [oldKey.publicJwk] }),
      issuer,
      audience,
      isAuthzOutdated: async () => {
        throw new Error('cache unreachable');
      },
      clock: () => start,
    });
    const error = await verifier.verify(await sign(oldKey)).catch((e: unknown) => e);
    expect((error as ClubError).code).toBe('dependency.unavailable');
  });

  it('signs RS256 with kid and typ at+jwt', async () => {
    const { sign } = setUp();
    const token = await sign(oldKey);
    expect(decodePart(token, 0)).toEqual({ alg: 'RS256', kid: oldKey.kid, typ: 'at+jwt' });
    expect(decodePart(token, 1)).toMatchObject({
      iss: issuer,
      aud: audience,
      iat: start / 1000,
      nbf: start / 1000,
    });
  });

  it('refuses a token whose payload was changed', async () => {
    const { verifier, sign } = setUp();
    const [header, , signature] = (await sign(oldKey)).split('.');
    const elevated = {
      ...decodePart(await sign(oldKey), 1),
      roles: [{ role: 'NETWORK_ADMIN', clubId: null }],
    };
    const tampered = `${header}.${Buffer.from(JSON.stringify(elevated)).toString('base64url')}.${signature}`;
    expect(await refusal(verifier.verify(tampered))).toEqual({
      code: 'request.unauthenticated',
      reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
  });

  it('refuses a token whose signature was changed', async () => {
    const { verifier, sign } = setUp();
    const token = await sign(oldKey);
    const [header, payload, signature = ''] = token.split('.');
    const bytes = Buffer.from(signature, 'base64url');
    bytes[10] = (bytes[10] ?? 0) ^ 0x01;
    const tampered = `${header}.${payload}.${bytes.toString('base64url')}`;
    expect(await refusal(verifier.verify(tampered))).toEqual({
      code: 'request.unauthenticated',
      reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
  });

  it('refuses an expired token, and a cached one once it expires', async () => {
    const { state, verifier, sign } = setUp();
    const longExpired = await sign(oldKey, {}, { at: start - (TTL + CLOCK_TOLERANCE_SECONDS + 1) * 1000 });
    expect(await refusal(verifier.verify(longExpired))).toEqual({
      code: 'request.unauthenticated',
      reason: 'ERR_JWT_EXPIRED',
    });

    const token = await sign(oldKey);
    await verifier.verify(token);
    state.now = start + (TTL + CLOCK_TOLERANCE_SECONDS) * 1000;
    expect((await refusal(verifier.verify(token))).reason).toBe('ERR_JWT_EXPIRED');
  });

  it('accepts a token from a clock slightly ahead, and refuses one beyond the leeway', async () => {
    const { verifier, sign } = setUp();
    await expect(verifier.verify(await sign(oldKey, {}, { at: start + 10_000 }))).resolves.toMatchObject({
      userId: 'user-1',
    });
    const future = await sign(oldKey, {}, { at: start + (CLOCK_TOLERANCE_SECONDS + 60) * 1000 });
    expect(await refusal(verifier.verify(future))).toEqual({
      code: 'request.unauthenticated',
      reason: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
    });
  });

  it('refuses a token for another issuer or another audience', async () => {
    const { verifier, sign } = setUp();
    const otherIssuer = await sign(oldKey, {}, { issuer: 'https://evil.test' });
    const otherAudience = await sign(oldKey, {}, { audience: 'another-app' });
    for (const token of [otherIssuer, otherAudience]) {
      expect(await refusal(verifier.verify(token))).toEqual({
        code: 'request.unauthenticated',
        reason: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      });
    }
  });

  it('refuses an unsigned token (alg none)', async () => {
    const { verifier, sign } = setUp();
    const payload = decodePart(await sign(oldKey), 1);
    for (const alg of ['none', 'None', 'NONE']) {
      const unsigned = craftToken({ alg, kid: oldKey.kid, typ: 'at+jwt' }, payload);
      expect(await refusal(verifier.verify(unsigned))).toEqual({
        code: 'request.unauthenticated',
        reason: 'ERR_JOSE_ALG_NOT_ALLOWED',
      });
    }
  });

  it('refuses HS256 signed with our RSA public key as the HMAC secret', async () => {
    const { verifier, sign } = setUp();
    const payload = decodePart(await sign(oldKey), 1);
    const forged = await forgeHs256WithPublicKey(
      oldKey.publicKey,
      { alg: 'HS256', kid: oldKey.kid, typ: 'at+jwt' },
      payload,
    );
    expect(await refusal(verifier.verify(forged))).toEqual({
      code: 'request.unauthenticated',
      reason: 'ERR_JOSE_ALG_NOT_ALLOWED',
    });
  });

  it('refuses a token signed by a key the issuer does not publish', async () => {
    const { state, verifier, sign } = setUp();
    expect(await refusal(verifier.verify(await sign(strangerKey)))).toEqual({
      code: 'request.unauthenticated',
      reason: `unknown signing key ${strangerKey.kid}`,
    });
    // One load, then one refetch for the unknown kid.
    expect(state.jwksCalls).toBe(2);
  });

  it('refuses our own key used with another kid, another typ, or a malformed payload', async () => {
    const { verifier, sign } = setUp([oldKey, newKey]);
    const wrongKid = await signAccessToken(oldKey.privateKey, newKey.kid, claims, {
      issuer,
      audience,
      ttlSeconds: TTL,
      now: new Date(start),
    });
    expect((await refusal(verifier.verify(wrongKid))).reason).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');

    // Properly signed by our key, but not an access token (an ID token, say): typ JWT.
    const plainJwt = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: oldKey.kid, typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(start / 1000)
      .setExpirationTime(start / 1000 + TTL)
      .sign(oldKey.privateKey);
    expect(await refusal(verifier.verify(plainJwt))).toEqual({
      code: 'request.unauthenticated',
      reason: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
    });

    const badRole = await sign(oldKey, { roles: [{ role: 'OWNER' as 'MEMBER', clubId: clubA }] });
    expect(await refusal(verifier.verify(badRole))).toMatchObject({ code: 'request.unauthenticated' });

    for (const junk of ['', 'not-a-jwt', 'a.b.c', 'x'.repeat(10_000)]) {
      expect((await refusal(verifier.verify(junk))).code).toBe('request.unauthenticated');
    }
  });

  it('refuses a revoked session, even when its token is cached', async () => {
    const { state, verifier, sign } = setUp();
    const token = await sign(oldKey);
    const first = await verifier.verify(token);
    const second = await verifier.verify(token);
    // The same frozen grants: the second call was served from the cache.
    expect(second.grants).toBe(first.grants);
    expect(Object.isFrozen(first.grants)).toBe(true);

    state.revoked.add('session-1');
    expect(await refusal(verifier.verify(token))).toEqual({
      code: 'request.unauthenticated',
      reason: 'session revoked',
    });
    const otherSession = await sign(oldKey, { sid: 'session-2' });
    await expect(verifier.verify(otherSession)).resolves.toMatchObject({ sessionId: 'session-2' });
  });

  it('answers per token on a connection that changes tokens, and still refuses a tampered one', async () => {
    const { state, verifier, sign } = setUp();
    const connection = {};
    const ada = await sign(oldKey, { sub: 'user-ada', sid: 'session-ada' });
    const bob = await sign(oldKey, { sub: 'user-bob', sid: 'session-bob' });
    expect((await verifier.verify(ada, connection)).userId).toBe('user-ada');
    expect((await verifier.verify(ada, connection)).userId).toBe('user-ada');
    // The connection's remembered key belongs to Ada's token, not to whatever comes next on it.
    expect((await verifier.verify(bob, connection)).userId).toBe('user-bob');
    const [header, payload, signature = ''] = ada.split('.');
    const bytes = Buffer.from(signature, 'base64url');
    bytes[10] = (bytes[10] ?? 0) ^ 0x01;
    const tampered = `${header}.${payload}.${bytes.toString('base64url')}`;
    expect((await refusal(verifier.verify(tampered, connection))).reason).toBe(
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    );
    // Revocation is checked on the remembered path too.
    state.revoked.add('session-bob');
    expect((await refusal(verifier.verify(bob, connection))).reason).toBe('session revoked');
    expect((await verifier.verify(ada, connection)).userId).toBe('user-ada');
  });

  it('fails closed when revocation cannot be checked or keys cannot be loaded', async () => {
    const { sign } = setUp();
    const token = await sign(oldKey);
    const revocationDown = createAccessTokenVerifier({
      jwks: async () => ({ keys: [oldKey.publicJwk] }),
      issuer,
      audience,
      isSessionRevoked: async () => {
        throw new Error('redis down');
      },
      clock: () => start,
    });
    expect((await refusal(revocationDown.verify(token))).code).toBe('dependency.unavailable');

    const jwksDown = createAccessTokenVerifier({
      jwks: async () => {
        throw new Error('auth service down');
      },
      issuer,
      audience,
      clock: () => start,
    });
    expect((await refusal(jwksDown.verify(token))).code).toBe('dependency.unavailable');
  });
});

describe('key rotation', () => {
  it('keeps old-key tokens valid while the key is published and fetches a new kid once', async () => {
    const { state, verifier, sign } = setUp([oldKey]);
    const oldToken = await sign(oldKey);
    await verifier.verify(oldToken);
    expect(state.jwksCalls).toBe(1);

    // The issuer rotates a moment later: both keys published, new tokens signed by the new one.
    state.now += 5_000;
    state.keys = [newKey, oldKey];
    const newToken = await sign(newKey);
    await expect(verifier.verify(newToken)).resolves.toMatchObject({ userId: 'user-1' });
    expect(state.jwksCalls).toBe(2);

    await expect(verifier.verify(oldToken)).resolves.toMatchObject({ userId: 'user-1' });
    await expect(verifier.verify(await sign(oldKey, { sid: 'session-9' }))).resolves.toMatchObject({
      sessionId: 'session-9',
    });
    await verifier.verify(await sign(newKey, { sid: 'session-10' }));
    expect(state.jwksCalls).toBe(2);
  });

  it('refetches for unknown kids at most once a minute, however many arrive', async () => {
    const { state, verifier, sign } = setUp([oldKey]);
    await verifier.verify(await sign(oldKey));
    expect(state.jwksCalls).toBe(1);

    const forged = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        signAccessToken(strangerKey.privateKey, `forged-${i}`, claims, {
          issuer,
          audience,
          ttlSeconds: TTL,
          now: new Date(state.now),
        }),
      ),
    );
    const results = await Promise.allSettled(forged.map((token) => verifier.verify(token)));
    expect(results.every((result) => result.status === 'rejected')).toBe(true);
    expect(state.jwksCalls).toBe(2);

    state.now += 59_000;
    state.keys = [oldKey, newKey];
    // Published now, but the last unknown-kid fetch was under a minute ago.
    expect((await refusal(verifier.verify(await sign(newKey)))).reason).toBe(
      `unknown signing key ${newKey.kid}`,
    );
    expect(state.jwksCalls).toBe(2);

    state.now += 1_000;
    await expect(verifier.verify(await sign(newKey))).resolves.toMatchObject({ userId: 'user-1' });
    expect(state.jwksCalls).toBe(3);
  });

  it('stops accepting a key, cached tokens included, once the issuer withdraws it', async () => {
    const { state, verifier, sign } = setUp([newKey, oldKey]);
    const oldToken = await sign(oldKey);
    await verifier.verify(oldToken);

    // The old key is withdrawn; after the key set's maximum age (10 minutes) it is reloaded.
    state.keys = [newKey];
    state.now += 11 * 60_000;
    await verifier.verify(await sign(newKey));
    expect(state.jwksCalls).toBe(2);
    expect((await refusal(verifier.verify(oldToken))).reason).toBe(`unknown signing key ${oldKey.kid}`);
  });
});
