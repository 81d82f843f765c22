import { createHash } from 'node:crypto';

/**
 * Recovery codes: the way back in when the authenticator app is lost. Ten per enrolment, each
 * single use, shown once and stored only as a hash.
 *
 * A code is 10 base32 characters (50 bits), shown as two groups of five ("K7QXM-2RDPA"). Base32
 * (A-Z, 2-7) avoids 0/O and 1/I mix-ups when read off paper. 50 bits is far beyond online
 * guessing under the MFA rate limits; the stored hash is salted with the user id so one
 * precomputed table cannot serve every account.
 */

export const RECOVERY_CODE_COUNT = 10;
/** Random bytes needed per code: 7 bytes = 56 bits, of which 50 are used. */
export const RECOVERY_CODE_BYTES = 7;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const LENGTH = 10;

/** Formats one code from RECOVERY_CODE_BYTES random bytes. */
export function recoveryCodeFrom(randomBytes: Uint8Array): string {
  if (randomBytes.length !== RECOVERY_CODE_BYTES) {
    throw new RangeError(`a recovery code needs ${RECOVERY_CODE_BYTES} random bytes`);
  }
  let bits = 0n;
  for (const byte of randomBytes) bits = (bits << 8n) | BigInt(byte);
  let code = '';
  for (let i = 0; i < LENGTH; i++) code += ALPHABET[Number((bits >> BigInt(5 * i)) & 31n)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/**
 * The canonical form of what a user typed (case, spaces and hyphens ignored), or null when it
 * cannot be a recovery code at all.
 */
export function normalizeRecoveryCode(input: string): string | null {
  const code = input.toUpperCase().replaceAll(/[\s-]/g, '');
  if (code.length !== LENGTH) return null;
  for (const char of code) if (!ALPHABET.includes(char)) return null;
  return code;
}

/** The stored form of a normalised code, salted with its owner's id. */
export function hashRecoveryCode(userId: string, normalizedCode: string): string {
  return createHash('sha256').update(`clubland-recovery:${userId}:${normalizedCode}`).digest('hex');
}
