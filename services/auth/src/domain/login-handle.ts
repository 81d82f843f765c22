import { createHmac } from 'node:crypto';

/**
 * The id a passkey login answers for an email address, whether or not an account has it: an
 * HMAC-SHA256 of the address's key under a server secret, laid out as a UUID of version 8 (RFC 9562,
 * "custom": the bits are ours, not a time or a random draw). Stable for an address, so asking twice
 * tells nothing; keyed, so nobody without the secret can compute it or link it to an account; and
 * never an account's own id (a UUIDv7, whose first 48 bits are the account's creation time).
 */
export function loginHandleOf(secret: Uint8Array, emailKey: string): string {
  const bytes = createHmac('sha256', secret).update(`passkey-login:${emailKey}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80; // version 8
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // variant 10
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
