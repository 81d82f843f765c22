import { createHash, randomBytes } from 'node:crypto';

/** An opaque bearer secret (refresh token, link token): 32 random bytes, base64url. */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * How opaque tokens are stored and looked up: sha256 hex. No salt or slow hash needed: the token
 * has 256 bits of entropy, so its hash cannot be reversed by guessing, and lookup stays one index probe.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Rate-limit and audit key for an account named by email: no address in Redis keys or logs. */
export function accountKey(emailKey: string): string {
  return createHash('sha256').update(`account:${emailKey}`).digest('base64url').slice(0, 32);
}

/** The IP as a rate-limit key; an unknown IP (in-process callers) shares one bucket. */
export function ipKey(ip: string): string {
  return ip.trim() === '' ? 'unknown' : ip.trim().slice(0, 64);
}
