import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/**
 * FAKE Hanko: the edge of a world we do not run. A local HTTP server that publishes a JWKS at
 * /.well-known/jwks.json, as a Hanko instance does, and issues RS256 session tokens shaped like
 * Hanko's (`sub` = Hanko user id, `email: { address, is_primary, is_verified }`).
 * Tokens carry real time (the verifier checks `exp` against the wall clock, not the test clock).
 */
export async function startFakeHanko() {
  const kid = 'fake-hanko-key-1';
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const server: Server = createServer((request, response) => {
    if (request.url === '/.well-known/jwks.json') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [jwk] }));
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  async function sign(
    claims: { subject: string; email: string | null; isVerified?: boolean },
    key: SigningKey = privateKey,
    keyId = kid,
  ) {
    const payload = claims.email
      ? { email: { address: claims.email, is_primary: true, is_verified: claims.isVerified ?? true } }
      : {};
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: keyId })
      .setSubject(claims.subject)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(key);
  }

  return {
    apiUrl: `http://127.0.0.1:${port}`,
    /** A session token as this Hanko instance would issue it. */
    issue: (claims: { subject: string; email: string | null; isVerified?: boolean }) => sign(claims),
    /** A well-formed token signed by a key this Hanko never published (under its own kid, or another). */
    async forge(claims: { subject: string; email: string | null }, keyId = kid) {
      const stranger = await generateKeyPair('RS256');
      return sign(claims, stranger.privateKey, keyId);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
