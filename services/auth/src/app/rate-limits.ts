import { type BackoffPolicy, type Cache, createBackoffLimiter, createRateLimiter } from '@clubland/cache';
import type { AuthRateLimits, SignInThrottles } from './deps.ts';

export interface RateLimitSetting {
  limit: number;
  windowSeconds: number;
}

export type AuthRateLimitSettings = Record<Exclude<keyof AuthRateLimits, 'signIn'>, RateLimitSetting>;
export type SignInThrottleSettings = Record<keyof SignInThrottles, BackoffPolicy>;

/**
 * Defaults after OWASP's guidance: few attempts per account (the guessing target), more per IP
 * (many users share an office or a carrier NAT). Windows are fixed; the error says when to retry.
 */
export const defaultRateLimits: AuthRateLimitSettings = {
  // Starting a passkey sign-in writes a challenge; the limit is on that work, so it is generous:
  // an office behind one address signing in 600 times in 15 minutes is not held back.
  passkeyChallengesPerIp: { limit: 600, windowSeconds: 15 * 60 },
  passwordResetPerAccount: { limit: 3, windowSeconds: 60 * 60 },
  passwordResetPerIp: { limit: 20, windowSeconds: 60 * 60 },
  mfaPerAccount: { limit: 10, windowSeconds: 15 * 60 },
  mfaPerIp: { limit: 100, windowSeconds: 15 * 60 },
  registerPerIp: { limit: 20, windowSeconds: 60 * 60 },
  emailVerificationPerAccount: { limit: 5, windowSeconds: 60 * 60 },
  invitationsPerInviter: { limit: 50, windowSeconds: 60 * 60 },
  invitationsPerAddress: { limit: 5, windowSeconds: 24 * 60 * 60 },
};

const SECOND = 1_000;
const FIFTEEN_MINUTES = 15 * 60 * SECOND;
const DAY_SECONDS = 24 * 60 * 60;

/**
 * Password sign-in throttling (README, "Signing in"; OWASP Authentication Cheat Sheet and ASVS 5.0
 * V6.1.1/V6.3.1: throttle, never lock out). Only failures count; each limit gives a few free, then
 * holds its key back for 1 s, 2 s, 4 s, ... up to 15 minutes.
 * - perSource: one account from one source (a known device of it, else the network it comes from).
 *   A typing owner gets 5 free; a guesser from one place gets about 4 guesses an hour after ~15.
 * - perAccount: one account from every source that is not a known device of it: the botnet spread
 *   over many addresses. Looser (20 free), and its owner's known devices are never held by it.
 * - perAddress: one network across all accounts (spraying), from sources that are not known devices;
 *   100 failures an hour free, so an office behind one address is never held by its own typos.
 * - passkeyPerAddress: failed passkey sign-ins from one network, counted apart from passwords.
 */
export const defaultSignInThrottles: SignInThrottleSettings = {
  perSource: { free: 5, baseDelayMs: SECOND, maxDelayMs: FIFTEEN_MINUTES, windowSeconds: DAY_SECONDS },
  perAccount: { free: 20, baseDelayMs: SECOND, maxDelayMs: FIFTEEN_MINUTES, windowSeconds: DAY_SECONDS },
  perAddress: { free: 100, baseDelayMs: SECOND, maxDelayMs: FIFTEEN_MINUTES, windowSeconds: 60 * 60 },
  passkeyPerAddress: { free: 100, baseDelayMs: SECOND, maxDelayMs: FIFTEEN_MINUTES, windowSeconds: 60 * 60 },
};

export function createAuthRateLimits(
  cache: Cache,
  overrides: Partial<AuthRateLimitSettings> = {},
  signInOverrides: Partial<SignInThrottleSettings> = {},
): AuthRateLimits {
  const settings = { ...defaultRateLimits, ...overrides };
  const limiter = (name: Exclude<keyof AuthRateLimits, 'signIn'>) =>
    createRateLimiter(cache, { name: `auth-${name}`, ...settings[name] });
  const throttles = { ...defaultSignInThrottles, ...signInOverrides };
  return {
    signIn: {
      // A right password from a source clears its failures; on the shared keys it only does not count.
      perSource: createBackoffLimiter(cache, {
        name: 'auth-sign-in-source',
        ...throttles.perSource,
        onSuccess: 'reset',
      }),
      perAccount: createBackoffLimiter(cache, {
        name: 'auth-sign-in-account',
        ...throttles.perAccount,
        onSuccess: 'uncount',
      }),
      perAddress: createBackoffLimiter(cache, {
        name: 'auth-sign-in-address',
        ...throttles.perAddress,
        onSuccess: 'uncount',
      }),
      passkeyPerAddress: createBackoffLimiter(cache, {
        name: 'auth-passkey-address',
        ...throttles.passkeyPerAddress,
        onSuccess: 'uncount',
      }),
    },
    passkeyChallengesPerIp: limiter('passkeyChallengesPerIp'),
    passwordResetPerAccount: limiter('passwordResetPerAccount'),
    passwordResetPerIp: limiter('passwordResetPerIp'),
    mfaPerAccount: limiter('mfaPerAccount'),
    mfaPerIp: limiter('mfaPerIp'),
    registerPerIp: limiter('registerPerIp'),
    emailVerificationPerAccount: limiter('emailVerificationPerAccount'),
    invitationsPerInviter: limiter('invitationsPerInviter'),
    invitationsPerAddress: limiter('invitationsPerAddress'),
  };
}
