import { COMMON_PASSWORDS } from './common-passwords.ts';

/**
 * The minimum-strength policy (OWASP ASVS 5.0 §6.2, NIST SP 800-63B): long enough, not trivially
 * guessable, and bounded above because every password is hashed with argon2id (memory-hard), so
 * an attacker sending megabyte passwords would buy our CPU cheaply.
 */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

export type PasswordCheck = { ok: true } | { ok: false; message: string };

export function checkPassword(password: string, context: { email: string }): PasswordCheck {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    return { ok: false, message: `password must be at least ${MIN_PASSWORD_LENGTH} characters` };
  }
  if (length > MAX_PASSWORD_LENGTH) {
    return { ok: false, message: `password must be at most ${MAX_PASSWORD_LENGTH} characters` };
  }
  if (characterClasses(password) < 2) {
    return {
      ok: false,
      message: 'password must mix at least two of: lower case, upper case, digits, other characters',
    };
  }
  const lower = password.toLowerCase();
  const email = context.email.toLowerCase();
  const localPart = email.slice(0, email.lastIndexOf('@'));
  if (lower === email || (localPart.length >= 4 && lower.includes(localPart))) {
    return { ok: false, message: 'password must not be or contain your email address' };
  }
  if (COMMON_PASSWORDS.has(lower)) return { ok: false, message: 'password is too common; choose another' };
  return { ok: true };
}

/** Whether the length alone makes it unusable: checked before any hashing (login included). */
export function isPasswordLengthAcceptable(password: string): boolean {
  return password.length > 0 && [...password].length <= MAX_PASSWORD_LENGTH;
}

function characterClasses(password: string): number {
  const classes = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{Ll}\p{Lu}\p{Nd}]/u];
  return classes.filter((pattern) => pattern.test(password)).length;
}
