import { type Cache, createRateLimiter } from '@clubland/cache';
import type { AuthRateLimits } from './deps.ts';

export interface RateLimitSetting {
  limit: number;
  windowSeconds: number;
}

export type AuthRateLimitSettings = Record<keyof AuthRateLimits, RateLimitSetting>;

/**
 * Defaults after OWASP's guidance: few attempts per account (the guessing target), more per IP
 * (many users share an office or a carrier NAT). Windows are fixed; the error says when to retry.
 */
export const defaultRateLimits: AuthRateLimitSettings = {
  loginPerAccount: { limit: 10, windowSeconds: 15 * 60 },
  loginPerIp: { limit: 100, windowSeconds: 15 * 60 },
  passwordResetPerAccount: { limit: 3, windowSeconds: 60 * 60 },
  passwordResetPerIp: { limit: 20, windowSeconds: 60 * 60 },
  mfaPerAccount: { limit: 10, windowSeconds: 15 * 60 },
  mfaPerIp: { limit: 100, windowSeconds: 15 * 60 },
  registerPerIp: { limit: 20, windowSeconds: 60 * 60 },
  emailVerificationPerAccount: { limit: 5, windowSeconds: 60 * 60 },
  invitationsPerInviter: { limit: 50, windowSeconds: 60 * 60 },
  invitationsPerAddress: { limit: 5, windowSeconds: 24 * 60 * 60 },
};

export function createAuthRateLimits(
  cache: Cache,
  overrides: Partial<AuthRateLimitSettings> = {},
): AuthRateLimits {
  const settings = { ...defaultRateLimits, ...overrides };
  const limiter = (name: keyof AuthRateLimits) =>
    createRateLimiter(cache, { name: `auth-${name}`, ...settings[name] });
  return {
    loginPerAccount: limiter('loginPerAccount'),
    loginPerIp: limiter('loginPerIp'),
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
