import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClubError } from '@clubland/errors';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { craftToken, createTestSigningKey, type TestSigningKey } from '../test/test-keys.ts';
import { createHankoVerifier } from './hanko-verifier.ts';

/**
 * A FAKE Hanko: a real HTTP server on loopback that publishes a JWKS the way a Hanko instance
 * does at /.well-known/jwks.json. Only the JWKS endpoint is faked; verification is the real code.
 */
async function startFakeHanko(
  keys: TestSigningKey[],
): Promise<{ server: Server; apiUrl: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((request, response) => {
    if (request.url === '/.well-known/jwks.json') {
      hits += 1;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: keys.map((key) => key.publicJwk) }));
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, apiUrl: `http://127.0.0.1:${port}`, hits: () => hits };
}

function hankoToken(key: TestSigningKey, payload: Record<string, unknown>, kid = key.kid): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .setSubject('9930ac89-1584-488c-bd63-1607f03ab1e8')
    .setAudience(['clubland.test'])
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(key.privateKey);
}

async function refusalCode(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => {
      throw new Error('expected the token to be refused');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ClubError);
  return (error as ClubError).code;
}

describe('Hanko verifier (against a fake Hanko JWKS server)', () => {
  let hankoKey: TestSigningKey;
  let otherKey: TestSigningKey;
  let fakeHanko: Awaited<ReturnType<typeof startFakeHanko>>;

  beforeAll(async () => {
    [hankoKey, otherKey] = await Promise.all([
      createTestSigningKey('hanko-key'),
      createTestSigningKey('other'),
    ]);
    fakeHanko = await startFakeHanko([hankoKey]);
  });

  afterAll(async () => {
    await new Promise((resolve) => fakeHanko.server.close(resolve));
  });

  it('verifies a Hanko session token to its subject and verified email', async () => {
    const verifier = createHankoVerifier({ apiUrl: `${fakeHanko.apiUrl}/` });
    const token = await hankoToken(hankoKey, {
      email: { address: 'ada@example.com', is_primary: true, is_verified: true },
    });
    await expect(verifier.verify(token)).resolves.toEqual({
      subject: '9930ac89-1584-488c-bd63-1607f03ab1e8',
      email: 'ada@example.com',
    });
    expect(fakeHanko.hits()).toBeGreaterThan(0);
  });

  it('returns no email when Hanko has not verified it, or sends none', async () => {
    const verifier = createHankoVerifier({ apiUrl: fakeHanko.apiUrl });
    const unverified = await hankoToken(hankoKey, {
      email: { address: 'ada@example.com', is_primary: true, is_verified: false },
    });
    expect(await verifier.verify(unverified)).toMatchObject({ email: null });
    expect(await verifier.verify(await hankoToken(hankoKey, {}))).toMatchObject({ email: null });
  });

  it('refuses a token signed by another key, under Hanko’s kid or its own', async () => {
    const verifier = createHankoVerifier({ apiUrl: fakeHanko.apiUrl });
    const email = { address: 'mallory@example.com', is_primary: true, is_verified: true };
    expect(await refusalCode(verifier.verify(await hankoToken(otherKey, { email }, hankoKey.kid)))).toBe(
      'request.unauthenticated',
    );
    expect(await refusalCode(verifier.verify(await hankoToken(otherKey, { email })))).toBe(
      'request.unauthenticated',
    );
    expect(await refusalCode(verifier.verify('not-a-jwt'))).toBe('request.unauthenticated');
    const unsigned = craftToken(
      { alg: 'none', kid: hankoKey.kid },
      { sub: 'x', exp: Date.now() / 1000 + 60 },
    );
    expect(await refusalCode(verifier.verify(unsigned))).toBe('request.unauthenticated');
  });

  it('reports an unreachable Hanko as a dependency failure, not a bad token', async () => {
    const gone = await startFakeHanko([hankoKey]);
    const apiUrl = gone.apiUrl;
    await new Promise((resolve) => gone.server.close(resolve));
    const verifier = createHankoVerifier({ apiUrl });
    expect(await refusalCode(verifier.verify(await hankoToken(hankoKey, {})))).toBe('dependency.unavailable');
  });
});
