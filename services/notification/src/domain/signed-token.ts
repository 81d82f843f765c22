import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Small signed tokens that work without signing in, each for one purpose only:
 * `<base64url(JSON claims)>.<base64url(HMAC-SHA256)>`. The MAC covers the purpose as well as the
 * claims, so a token minted for one purpose (an unsubscribe link) fails as another even under the
 * same secret, and the claims carry the purpose too, to tell "wrong purpose" from "forged".
 * Several secrets verify (the first signs), so a secret can be rotated without breaking links
 * already in inboxes.
 */

export const MIN_SECRET_BYTES = 32;

export type TokenFailure = 'malformed' | 'bad_signature' | 'wrong_purpose' | 'expired';

export type TokenCheck<C> = { ok: true; claims: C; expiresAt: Date } | { ok: false; reason: TokenFailure };

interface Envelope {
  /** Purpose. */
  p: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** The claims. */
  c: unknown;
}

function mac(secret: string, purpose: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(`clubland.token.v1\n${purpose}\n${payload}`).digest();
}

export function assertSecrets(secrets: readonly string[]): void {
  if (secrets.length === 0 || secrets.some((secret) => Buffer.byteLength(secret) < MIN_SECRET_BYTES)) {
    throw new Error(`token secrets must be at least ${MIN_SECRET_BYTES} bytes`);
  }
}

export function signToken(
  purpose: string,
  claims: unknown,
  expiresAt: Date,
  secrets: readonly string[],
): string {
  assertSecrets(secrets);
  const envelope: Envelope = { p: purpose, exp: Math.floor(expiresAt.getTime() / 1000), c: claims };
  const payload = Buffer.from(JSON.stringify(envelope)).toString('base64url');
  return `${payload}.${mac(secrets[0]!, purpose, payload).toString('base64url')}`;
}

/**
 * The claims of a token minted for `purpose` by one of `secrets`, not expired at `now`; `parse`
 * checks their shape (null: refused). Refusals say why, for logs; a client sees one answer.
 */
export function verifyToken<C>(
  purpose: string,
  token: string,
  secrets: readonly string[],
  now: Date,
  parse: (claims: unknown) => C | null,
): TokenCheck<C> {
  assertSecrets(secrets);
  if (token.length > 4096) return { ok: false, reason: 'malformed' };
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, payload, signature] = match as unknown as [string, string, string];
  let envelope: Envelope;
  try {
    envelope = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof envelope !== 'object' || envelope === null || typeof envelope.p !== 'string') {
    return { ok: false, reason: 'malformed' };
  }
  const given = Buffer.from(signature, 'base64url');
  // Checked under the purpose the token claims: a genuine token of another purpose is told apart.
  const genuine = secrets.some((secret) => {
    const expected = mac(secret, envelope.p, payload);
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  if (!genuine) return { ok: false, reason: 'bad_signature' };
  if (envelope.p !== purpose) return { ok: false, reason: 'wrong_purpose' };
  if (typeof envelope.exp !== 'number' || envelope.exp * 1000 <= now.getTime()) {
    return { ok: false, reason: 'expired' };
  }
  const claims = parse(envelope.c);
  if (claims === null) return { ok: false, reason: 'malformed' };
  return { ok: true, claims, expiresAt: new Date(envelope.exp * 1000) };
}
