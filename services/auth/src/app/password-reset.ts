import { invalidInput } from '@clubland/errors';
import { emailKey, MAX_EMAIL_LENGTH } from '../domain/email.ts';
import { checkPassword } from '../domain/password-policy.ts';
import { statusAfterEmailVerified } from '../domain/user-status.ts';
import { createOneTimeTokenQueries } from '../store/one-time-token-queries.ts';
import { createSessionQueries } from '../store/session-queries.ts';
import { createUserQueries } from '../store/user-queries.ts';
import { audit } from './audit.ts';
import type { AuthDeps, RequestMeta } from './deps.ts';
import { linkTo, passwordResetEmail } from './emails.ts';
import { hashPassword } from './passwords.ts';
import { announceRevokedSessions } from './revocation.ts';
import { accountKey, hashToken, ipKey, newOpaqueToken } from './secrets.ts';
import { forgetViews } from './user-view-cache.ts';

/** A reset link lives an hour (OWASP Forgot Password cheat sheet). */
export const PASSWORD_RESET_TTL_SECONDS = 60 * 60;
const MAX_TOKEN_LENGTH = 100;

/**
 * Sends a reset link when the account exists. Answers the same either way (no account
 * enumeration): limited per IP and per address, existing or not, so the limit reveals nothing
 * either; and answered before the account is even looked up, so neither does the time taken.
 * The link, its audit row and the email are made after answering (background.ts); a failure
 * there is logged, never answered.
 */
export async function requestPasswordReset(
  deps: AuthDeps,
  meta: RequestMeta,
  rawEmail: string,
): Promise<void> {
  const email = rawEmail.trim();
  if (email.length === 0 || email.length > MAX_EMAIL_LENGTH) throw invalidInput('email', 'email is required');
  await deps.limits.passwordResetPerIp.hit(ipKey(meta.ip));
  await deps.limits.passwordResetPerAccount.hit(accountKey(emailKey(email)));
  const now = deps.clock();
  deps.background.start('password reset email', () => sendResetLink(deps, meta, email, now));
}

/** The reset link of the account with this email, if there is one: stored hashed, audited, mailed. */
async function sendResetLink(deps: AuthDeps, meta: RequestMeta, email: string, now: Date): Promise<void> {
  const token = newOpaqueToken();
  const expiresAt = new Date(now.getTime() + PASSWORD_RESET_TTL_SECONDS * 1000);
  const user = await deps.db.transaction(async (tx) => {
    const found = await createUserQueries(tx).findByEmail(email);
    if (!found) return null;
    await createOneTimeTokenQueries(tx).issue({
      tokenHash: hashToken(token),
      userId: found.id,
      purpose: 'password_reset',
      now,
      expiresAt,
    });
    await audit(tx, { userId: found.id, event: 'password.reset_requested', meta, at: now });
    return found;
  });
  if (!user) return;
  const link = linkTo(deps.settings.publicUrl, 'reset-password', token);
  await deps.notifier.send(
    passwordResetEmail({ to: user.email, firstName: user.firstName, link, expiresAt }),
  );
}

/**
 * Sets a new password with a reset link: works once, within the hour. Every session of the account
 * is revoked (whoever knew the old password is signed out), and the email counts as verified,
 * since the link proved the mailbox.
 */
export async function resetPassword(
  deps: AuthDeps,
  meta: RequestMeta,
  input: { token: string; newPassword: string },
): Promise<void> {
  if (input.token === '' || input.token.length > MAX_TOKEN_LENGTH)
    throw invalidInput('token', 'the link is invalid');
  const tokenHash = hashToken(input.token);
  const now = deps.clock();

  // The policy needs the account's email, so look the token up (without redeeming it) first.
  const user = await deps.db.transaction(async (tx) => {
    const userId = await createOneTimeTokenQueries(tx).findLive(tokenHash, 'password_reset', now);
    return userId === null ? null : createUserQueries(tx).findById(userId);
  });
  if (!user) throw invalidInput('token', 'the link is invalid, used or expired; ask for a new one');
  const policy = checkPassword(input.newPassword, { email: user.email });
  if (!policy.ok) throw invalidInput('newPassword', policy.message);
  const passwordHash = await hashPassword(input.newPassword);

  const revoked = await deps.db.transaction(async (tx) => {
    // Redeemed here, atomically: a concurrent reset with the same link finds it used.
    const userId = await createOneTimeTokenQueries(tx).redeem(tokenHash, 'password_reset', now);
    if (userId !== user.id)
      throw invalidInput('token', 'the link is invalid, used or expired; ask for a new one');
    const users = createUserQueries(tx);
    await users.setPassword(user.id, passwordHash, now);
    if (user.emailVerifiedAt === null)
      await users.markEmailVerified(user.id, statusAfterEmailVerified(user.status), now);
    const sessionIds = await createSessionQueries(tx).revokeAllSessions(user.id, 'password_reset', now);
    await audit(tx, {
      userId: user.id,
      event: 'password.reset',
      meta,
      details: { sessionsRevoked: sessionIds.length },
      at: now,
    });
    return sessionIds;
  });
  await announceRevokedSessions(deps, revoked);
  await forgetViews(deps, [user.id]);
}
