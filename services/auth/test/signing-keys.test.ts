import { decodeProtectedHeader } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AuthHarness, meta, registerUser, setupAuthService } from './setup.ts';

const DAY = 24 * 60 * 60 * 1000;

async function publishedKids(harness: AuthHarness): Promise<string[]> {
  const { jwksJson } = await harness.auth.getJwks({});
  return (JSON.parse(jwksJson) as { keys: { kid: string }[] }).keys.map((key) => key.kid);
}

describe('signing keys', () => {
  let harness: AuthHarness;
  beforeEach(async () => {
    harness = await setupAuthService({ settings: { keyRotationDays: 7 } });
  });
  afterEach(async () => {
    await harness.close();
  });

  it('creates one key on first start and publishes only its public half', async () => {
    const { jwksJson } = await harness.auth.getJwks({});
    const { keys } = JSON.parse(jwksJson) as { keys: Record<string, unknown>[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    expect(Object.keys(keys[0]!).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    // 2048-bit modulus: 256 bytes, 342 base64url characters.
    expect(String(keys[0]!.n)).toHaveLength(342);
    // Restarting finds the key and keeps it.
    expect(await harness.service.rotateSigningKeys()).toBe('kept');
  });

  it('rotates a key older than keyRotationDays; tokens of the old key verify until they expire', async () => {
    const before = await registerUser(harness);
    const oldKid = decodeProtectedHeader(before.accessToken).kid!;

    harness.clock.advance(7 * DAY);
    expect(await harness.service.rotateSigningKeys()).toBe('rotated');
    const after = await harness.auth.login({ meta: meta(), email: before.email, password: before.password });
    const newKid = decodeProtectedHeader(after.accessToken).kid!;
    expect(newKid).not.toBe(oldKid);
    expect((await publishedKids(harness)).sort()).toEqual([oldKid, newKid].sort());

    // The old key's private half is gone: it signs nothing more.
    expect(await harness.count('signing_keys', 'private_key_pem IS NOT NULL')).toBe(1);
    expect(await harness.count('signing_keys', `kid = '${oldKid}' AND private_key_pem IS NULL`)).toBe(1);

    // Refreshing a session started under the old key moves it to the new one.
    const refreshed = await harness.auth.refreshSession({ meta: meta(), refreshToken: before.refreshToken });
    expect(decodeProtectedHeader(refreshed.accessToken).kid).toBe(newKid);

    // Once every token of the old key has expired, the key leaves the JWKS.
    harness.clock.advance((harness.settings.accessTokenTtlSeconds + 61) * 1000);
    expect(await publishedKids(harness)).toEqual([newKid]);
  });

  it('keeps verifying a token the old key signed after a rotation', async () => {
    harness.clock.advance(7 * DAY - 60_000);
    const user = await registerUser(harness);
    const oldKid = decodeProtectedHeader(user.accessToken).kid!;
    harness.clock.advance(60_000);
    expect(await harness.service.rotateSigningKeys()).toBe('rotated');

    expect(await publishedKids(harness)).toContain(oldKid);
    // A fresh verifier (a gateway that never saw the old key) fetches the JWKS and accepts the token.
    const { createAccessTokenVerifier } = await import('@clubland/authz');
    const gateway = createAccessTokenVerifier({
      jwks: () => harness.service.jwks(),
      issuer: harness.settings.issuer,
      audience: harness.settings.audience,
      clock: () => harness.clock.now().getTime(),
    });
    await expect(gateway.verify(user.accessToken)).resolves.toMatchObject({ userId: user.userId });
  });

  it('ends with exactly one active key when several instances start at once', async () => {
    harness.clock.advance(7 * DAY);
    const outcomes = await Promise.all([
      harness.service.rotateSigningKeys(),
      harness.service.rotateSigningKeys(),
      harness.service.rotateSigningKeys(),
    ]);
    expect(outcomes.filter((outcome) => outcome === 'rotated')).toHaveLength(1);
    expect(await harness.count('signing_keys', 'retired_at IS NULL')).toBe(1);
    expect(await harness.count('signing_keys')).toBe(2);
  });
});
