import { randomBytes } from 'node:crypto';
import type { Tx } from '@clubland/db';
import { ClubError, invalidInput } from '@clubland/errors';
import {
  hashRecoveryCode,
  normalizeRecoveryCode,
  RECOVERY_CODE_BYTES,
  RECOVERY_CODE_COUNT,
  recoveryCodeFrom,
} from '../domain/recovery-codes.ts';
import {
  checkTotpCode,
  isTotpCodeShaped,
  TOTP_SECRET_BYTES,
  totpSecretFrom,
  totpUri,
} from '../domain/totp.ts';
import { createMfaQueries } from '../store/mfa-queries.ts';
import { createUserQueries } from '../store/user-queries.ts';
import { requireCaller } from './access.ts';
import { audit } from './audit.ts';
import type { AuthDeps, RequestMeta } from './deps.ts';
import { hashToken, ipKey, newOpaqueToken } from './secrets.ts';
import { completeSignIn, type SignInResult } from './sign-in.ts';
import { forgetViews } from './user-view-cache.ts';

/**
 * TOTP as a second factor, with recovery codes, and the second step of a login for an account that
 * has it. A login is not complete until `completeMfaLogin` passes: the password step (sign-in.ts)
 * only hands out an MFA token from `startMfaChallenge`.
 */

const MFA_TOKEN_TTL_MS = 5 * 60_000;
/** Wrong codes per MFA token; then the password step must be repeated. */
const MFA_MAX_ATTEMPTS = 5;
const MAX_CODE_LENGTH = 64;
const MAX_TOKEN_LENGTH = 256;

export async function isMfaEnabled(tx: Tx, userId: string): Promise<boolean> {
  return createMfaQueries(tx).isMfaEnabled(userId);
}

/** Issues the opaque, single-use MFA token of a half-finished login (stored hashed, 5 minutes). */
export async function startMfaChallenge(deps: AuthDeps, tx: Tx, userId: string): Promise<string> {
  const token = newOpaqueToken();
  const now = deps.clock();
  const mfa = createMfaQueries(tx);
  // Housekeeping rides along with the write that creates more of it; the index keeps it cheap.
  await mfa.deleteExpiredMfaChallenges(now);
  await mfa.insertMfaChallenge({
    tokenHash: hashToken(token),
    userId,
    expiresAt: new Date(now.getTime() + MFA_TOKEN_TTL_MS),
    now,
  });
  return token;
}

/**
 * Finishes a login with a TOTP code or a recovery code. Each call counts against the token (five
 * tries), the account and the IP (deps.limits), and the count commits even when the code is wrong.
 */
export async function completeMfaLogin(
  deps: AuthDeps,
  meta: RequestMeta,
  mfaToken: string,
  code: string,
): Promise<SignInResult> {
  if (mfaToken.length === 0 || mfaToken.length > MAX_TOKEN_LENGTH) {
    throw invalidInput('mfaToken', 'mfaToken is malformed');
  }
  if (code.length === 0 || code.length > MAX_CODE_LENGTH) {
    throw invalidInput('code', 'code must be a 6-digit code or a recovery code');
  }
  await deps.limits.mfaPerIp.hit(ipKey(meta.ip));

  const tokenHash = hashToken(mfaToken);
  const attempt = await deps.db.transaction((tx) =>
    createMfaQueries(tx).countMfaAttempt({ tokenHash, now: deps.clock(), maxAttempts: MFA_MAX_ATTEMPTS }),
  );
  if (!attempt) {
    throw new ClubError('auth.mfa_token_invalid', 'the sign-in has expired or was used; sign in again');
  }
  await deps.limits.mfaPerAccount.hit(attempt.userId);

  const outcome = await deps.db.transaction(async (tx) => {
    const now = deps.clock();
    const check = await useSecondFactor(tx, attempt.userId, code, now);
    if (!check.ok) {
      await audit(tx, {
        at: deps.clock(),
        userId: attempt.userId,
        event: 'login.failed',
        meta,
        details: { method: 'mfa', reason: check.reason, attempt: attempt.attempts },
      });
      return null;
    }
    if (check.method === 'recovery_code') {
      await audit(tx, {
        at: deps.clock(),
        userId: attempt.userId,
        event: 'mfa.recovery_code_used',
        meta,
        details: { remaining: await createMfaQueries(tx).countUnusedRecoveryCodes(attempt.userId) },
      });
    }
    if (!(await createMfaQueries(tx).consumeMfaChallenge({ tokenHash, now }))) {
      // A concurrent call finished this login first (or it expired just now): undo the code's use.
      throw new ClubError('auth.mfa_token_invalid', 'the sign-in has expired or was used; sign in again');
    }
    return completeSignIn(deps, tx, attempt.userId, meta, 'mfa');
  });
  if (!outcome) {
    throw new ClubError('auth.mfa_code_invalid', 'the code is wrong or was already used', {
      attemptsLeft: MFA_MAX_ATTEMPTS - attempt.attempts,
    });
  }
  return outcome;
}

/** Starts TOTP enrolment for the caller: a new secret, not active until confirmed with a code. */
export async function beginTotpEnrolment(
  deps: AuthDeps,
  meta: RequestMeta,
): Promise<{ secret: string; otpauthUri: string }> {
  const caller = await requireCaller(deps, meta);
  const secret = totpSecretFrom(new Uint8Array(randomBytes(TOTP_SECRET_BYTES)));
  return deps.db.transaction(async (tx) => {
    const user = await createUserQueries(tx).findById(caller.userId);
    if (!user) throw new ClubError('request.unauthenticated', 'the signed-in account no longer exists');
    const isStarted = await createMfaQueries(tx).startTotpEnrolment({
      userId: user.id,
      secret,
      now: deps.clock(),
    });
    if (!isStarted) {
      throw new ClubError('entity.conflict', 'two-factor authentication is on already; disable it first');
    }
    return { secret, otpauthUri: totpUri(secret, user.email) };
  });
}

/** Turns TOTP on once the caller proves their app has the secret; returns ten recovery codes, shown once. */
export async function confirmTotpEnrolment(
  deps: AuthDeps,
  meta: RequestMeta,
  code: string,
): Promise<{ recoveryCodes: string[] }> {
  const caller = await requireCaller(deps, meta);
  if (code.length > MAX_CODE_LENGTH) throw invalidInput('code', 'code must be the 6-digit code of the app');
  await deps.limits.mfaPerAccount.hit(caller.userId);

  const enabled = await deps.db.transaction(async (tx) => {
    const now = deps.clock();
    const mfa = createMfaQueries(tx);
    const factor = await mfa.findTotpFactor(caller.userId);
    if (!factor || factor.confirmedAt) {
      throw new ClubError('entity.not_found', 'no two-factor enrolment is in progress; begin one first');
    }
    const check = checkTotpCode({ secret: factor.secret, code, now, lastUsedStep: null });
    if (!check.ok) throw invalidInput('code', 'the code does not match; check the app and the phone clock');
    await mfa.confirmTotp({ userId: caller.userId, timeStep: check.timeStep, now });

    const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, () =>
      recoveryCodeFrom(new Uint8Array(randomBytes(RECOVERY_CODE_BYTES))),
    );
    await mfa.replaceRecoveryCodes(
      caller.userId,
      recoveryCodes.map((recoveryCode) => ({
        id: deps.newId(),
        hash: hashRecoveryCode(caller.userId, normalizeRecoveryCode(recoveryCode) ?? ''),
      })),
      now,
    );
    await audit(tx, {
      at: deps.clock(),
      userId: caller.userId,
      event: 'mfa.enabled',
      meta,
      details: { factor: 'totp' },
    });
    return { recoveryCodes };
  });
  await forgetViews(deps, [caller.userId]);
  return enabled;
}

/** Turns TOTP off; needs a current code (or a recovery code), not just a stolen session. */
export async function disableTotp(deps: AuthDeps, meta: RequestMeta, code: string): Promise<void> {
  const caller = await requireCaller(deps, meta);
  if (code.length > MAX_CODE_LENGTH) {
    throw invalidInput('code', 'code must be a 6-digit code or a recovery code');
  }
  await deps.limits.mfaPerAccount.hit(caller.userId);

  const isDisabled = await deps.db.transaction(async (tx) => {
    const mfa = createMfaQueries(tx);
    if (!(await mfa.isMfaEnabled(caller.userId))) {
      throw new ClubError('entity.not_found', 'two-factor authentication is not on');
    }
    const check = await useSecondFactor(tx, caller.userId, code, deps.clock());
    if (!check.ok) {
      await audit(tx, {
        at: deps.clock(),
        userId: caller.userId,
        event: 'mfa.disable_failed',
        meta,
        details: { reason: check.reason },
      });
      return false;
    }
    await mfa.deleteTotp(caller.userId);
    await audit(tx, {
      at: deps.clock(),
      userId: caller.userId,
      event: 'mfa.disabled',
      meta,
      details: { factor: 'totp', with: check.method },
    });
    return true;
  });
  if (!isDisabled) throw invalidInput('code', 'the code is wrong or was already used');
  await forgetViews(deps, [caller.userId]);
}

type SecondFactorCheck =
  | { ok: true; method: 'totp' | 'recovery_code' }
  | { ok: false; reason: 'not_enabled' | 'invalid' | 'reused' };

/**
 * Checks and spends a code: a TOTP code moves the last used time step forward, a recovery code is
 * consumed. Both are conditional updates, so a code cannot serve two concurrent calls.
 */
async function useSecondFactor(tx: Tx, userId: string, code: string, now: Date): Promise<SecondFactorCheck> {
  const mfa = createMfaQueries(tx);
  const factor = await mfa.findTotpFactor(userId);
  if (!factor?.confirmedAt) return { ok: false, reason: 'not_enabled' };

  if (isTotpCodeShaped(code)) {
    const check = checkTotpCode({ secret: factor.secret, code, now, lastUsedStep: factor.lastUsedStep });
    if (!check.ok) return check;
    const isFresh = await mfa.advanceTotpStep({ userId, timeStep: check.timeStep });
    return isFresh ? { ok: true, method: 'totp' } : { ok: false, reason: 'reused' };
  }

  const recoveryCode = normalizeRecoveryCode(code);
  if (!recoveryCode) return { ok: false, reason: 'invalid' };
  const isConsumed = await mfa.consumeRecoveryCode({
    userId,
    hash: hashRecoveryCode(userId, recoveryCode),
    now,
  });
  return isConsumed ? { ok: true, method: 'recovery_code' } : { ok: false, reason: 'invalid' };
}
