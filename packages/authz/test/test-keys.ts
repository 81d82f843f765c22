/**
 * Test helpers: RSA signing keys with their public JWK, and hand-made tokens for the attacks
 * a verifier must refuse (jose will not produce them for us, by design).
 */
import { createHmac } from 'node:crypto';
import { type CryptoKey, exportJWK, exportSPKI, generateKeyPair, type JWK } from 'jose';

export interface TestSigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** As published in a JWKS: kid, alg RS256, use sig. */
  publicJwk: JWK;
}

export async function createTestSigningKey(kid: string): Promise<TestSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, publicKey, publicJwk };
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

export function decodePart(token: string, index: 0 | 1): Record<string, unknown> {
  const part = token.split('.')[index] ?? '';
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** A compact JWS with whatever header, payload and signature the test wants. */
export function craftToken(header: object, payload: object, signature = ''): string {
  return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}.${signature}`;
}

/**
 * The classic key-confusion forgery: HS256 whose HMAC secret is the issuer's RSA public key
 * (its PEM, as a naive verifier would load it), which anyone can download from the JWKS.
 */
export async function forgeHs256WithPublicKey(
  publicKey: CryptoKey,
  header: object,
  payload: object,
): Promise<string> {
  const secret = await exportSPKI(publicKey);
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = createHmac('sha256', secret).update(signingInput).digest('base64url');
  return `${signingInput}.${signature}`;
}
