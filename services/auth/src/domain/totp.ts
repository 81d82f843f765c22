import { Secret, TOTP } from 'otpauth';

/**
 * Pure rules for time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30 s steps), the
 * kind every authenticator app speaks. Randomness and time come in as parameters.
 */

export const TOTP_ISSUER = 'Clubland';
/** RFC 4226 recommends at least 128 bits; 160 bits is what authenticator apps expect. */
export const TOTP_SECRET_BYTES = 20;
const PERIOD_SECONDS = 30;
const DIGITS = 6;
/** One step either side: tolerates a phone clock 30 s off without widening the guess space much. */
const WINDOW = 1;

/** A new shared secret from `randomBytes` (exactly TOTP_SECRET_BYTES), as base32. */
export function totpSecretFrom(randomBytes: Uint8Array): string {
  if (randomBytes.length !== TOTP_SECRET_BYTES) {
    throw new RangeError(`a TOTP secret needs ${TOTP_SECRET_BYTES} random bytes`);
  }
  return new Secret({ buffer: randomBytes.slice().buffer }).base32;
}

/** The `otpauth://` URI an authenticator app scans as a QR code. */
export function totpUri(secret: string, accountEmail: string): string {
  return totpFor(secret, accountEmail).toString();
}

/** Six digits, ignoring spaces a user may type ("123 456"). */
export function isTotpCodeShaped(code: string): boolean {
  return /^\d{6}$/.test(code.replaceAll(' ', ''));
}

export type TotpCheck = { ok: true; timeStep: number } | { ok: false; reason: 'invalid' | 'reused' };

/**
 * Checks `code` against `secret` at `now`. A code is accepted once: `lastUsedStep` is the time step
 * of the last accepted code, and a code from that step or an earlier one is refused as `reused`
 * (otherwise a code seen over a shoulder would work again for up to 90 s).
 */
export function checkTotpCode(input: {
  secret: string;
  code: string;
  now: Date;
  lastUsedStep: number | null;
}): TotpCheck {
  const token = input.code.replaceAll(' ', '');
  if (!isTotpCodeShaped(token)) return { ok: false, reason: 'invalid' };
  const timestamp = input.now.getTime();
  const delta = TOTP.validate({
    token,
    secret: Secret.fromBase32(input.secret),
    digits: DIGITS,
    period: PERIOD_SECONDS,
    timestamp,
    window: WINDOW,
  });
  if (delta === null) return { ok: false, reason: 'invalid' };
  const timeStep = TOTP.counter({ period: PERIOD_SECONDS, timestamp }) + delta;
  if (input.lastUsedStep !== null && timeStep <= input.lastUsedStep) return { ok: false, reason: 'reused' };
  return { ok: true, timeStep };
}

function totpFor(secret: string, label: string): TOTP {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label,
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD_SECONDS,
  });
}
