import { ClubError, invalidInput } from '@clubland/errors';
import { emailKey, MAX_EMAIL_LENGTH } from '../domain/email.ts';
import { isPasswordLengthAcceptable } from '../domain/password-policy.ts';
import { canSignIn } from '../domain/user-status.ts';
import { createUserQueries } from '../store/user-queries.ts';
import { audit } from './audit.ts';
import type { AuthDeps, RequestMeta } from './deps.ts';
import { findKnownDevice } from './known-devices.ts';
import { isMfaEnabled, startMfaChallenge } from './mfa.ts';
import { hashPassword, needsRehash, verifyPassword } from './passwords.ts';
import { accountKey } from './secrets.ts';
import { assertCanSignIn, completeSignIn, type SignInResult } from './sign-in.ts';
import { admitSignInAttempt } from './sign-in-throttle.ts';
import { viewOf } from './user-view.ts';

const INVALID = 'the email or password is wrong';

/**
 * Email + password. Every failure before the password is known to be right looks the same to the
 * caller (one code, one message) and costs the same: an unknown email is verified against a dummy
 * hash, so timing does not reveal which accounts exist. Throttled with growing delays on failures
 * only (sign-in-throttle.ts): per account and source, per account from unknown sources, per
 * network; a known device of the account only by its own failures. An MFA-enabled account gets a
 * challenge token instead of tokens.
 */
export async function login(
  deps: AuthDeps,
  meta: RequestMeta,
  input: { email: string; password: string },
): Promise<SignInResult> {
  const email = input.email.trim();
  if (email.length === 0 || email.length > MAX_EMAIL_LENGTH) throw invalidInput('email', 'email is required');
  // Bounded before argon2 sees it: a megabyte password must not cost us a megabyte hash.
  if (!isPasswordLengthAcceptable(input.password)) throw invalidInput('password', 'password is required');

  const now = deps.clock();
  const lookUp = () =>
    deps.db.transaction(async (tx) => {
      const found = await createUserQueries(tx).findLoginByEmail(email);
      const deviceId = found ? await findKnownDevice(tx, found.user.id, meta.deviceToken, now) : null;
      return { found, deviceId };
    });
  // A known device decides which throttles apply, so with a device token the account is looked up
  // first; without one the throttles answer before the database is asked.
  const early = meta.deviceToken ? await lookUp() : null;
  const attempt = await admitSignInAttempt(
    deps.limits.signIn,
    { account: accountKey(emailKey(email)), ip: meta.ip, deviceId: early?.deviceId ?? null },
    deps.log,
  );
  const { found } = early ?? (await lookUp());
  const isMatch = await verifyPassword(found?.passwordHash ?? null, input.password);

  if (!found || !isMatch) {
    await deps.db.transaction((tx) =>
      audit(tx, {
        userId: found?.user.id ?? null,
        event: 'login.failed',
        meta,
        details: { reason: found ? 'wrong_password' : 'unknown_account', method: 'password' },
        at: now,
      }),
    );
    throw new ClubError('auth.invalid_credentials', INVALID);
  }

  // The right password: this attempt was no failure (and clears its source's failures).
  await attempt.succeeded();
  const { user, passwordHash } = found;
  if (!canSignIn(user.status)) {
    await deps.db.transaction((tx) =>
      audit(tx, {
        userId: user.id,
        event: 'login.failed',
        meta,
        details: { reason: 'account_disabled', status: user.status },
        at: now,
      }),
    );
    assertCanSignIn(user.status);
  }
  // Parameters raised since this hash was made: upgrade it now, while we hold the password.
  const upgradedHash = passwordHash && needsRehash(passwordHash) ? await hashPassword(input.password) : null;

  return deps.db.transaction(async (tx) => {
    if (upgradedHash) await createUserQueries(tx).setPassword(user.id, upgradedHash, now);
    if (await isMfaEnabled(tx, user.id)) {
      const mfaToken = await startMfaChallenge(deps, tx, user.id);
      await audit(tx, {
        userId: user.id,
        event: 'login.mfa_required',
        meta,
        details: { method: 'password' },
        at: now,
      });
      return { kind: 'mfa_required' as const, mfaToken, user: await viewOf(tx, user) };
    }
    return completeSignIn(deps, tx, user.id, meta, 'password');
  });
}
