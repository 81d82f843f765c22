import type { Tx } from '@clubland/db';
import { ClubError, invalidInput } from '@clubland/errors';
import { statusAfterEmailVerified } from '../domain/user-status.ts';
import { createOneTimeTokenQueries } from '../store/one-time-token-queries.ts';
import { createRoleQueries } from '../store/role-queries.ts';
import { createUserQueries } from '../store/user-queries.ts';
import { requireCaller } from './access.ts';
import { audit } from './audit.ts';
import type { AuthDeps, RequestMeta } from './deps.ts';
import { linkTo, verificationEmail } from './emails.ts';
import { announceAuthzChanges, countIfGrantsChanged } from './revocation.ts';
import { hashToken, newOpaqueToken } from './secrets.ts';
import type { UserView } from './user-view.ts';
import { forgetViews } from './user-view-cache.ts';

/** A verification link lives a day: long enough to find the mail, short enough to go stale. */
export const VERIFICATION_TTL_SECONDS = 24 * 60 * 60;
const MAX_TOKEN_LENGTH = 100;

export interface IssuedLinkToken {
  token: string;
  expiresAt: Date;
}

/** Stores a new verification token (hashed; earlier ones stop working) in the caller's transaction. */
export async function issueVerificationToken(tx: Tx, userId: string, now: Date): Promise<IssuedLinkToken> {
  const token = newOpaqueToken();
  const expiresAt = new Date(now.getTime() + VERIFICATION_TTL_SECONDS * 1000);
  await createOneTimeTokenQueries(tx).issue({
    tokenHash: hashToken(token),
    userId,
    purpose: 'email_verification',
    now,
    expiresAt,
  });
  return { token, expiresAt };
}

/**
 * Sends the link after the commit. A failed send is logged, not thrown: the account exists and
 * is signed in, and RequestEmailVerification sends a new link.
 */
export async function sendVerificationEmail(
  deps: AuthDeps,
  user: Recipient,
  issued: IssuedLinkToken,
): Promise<void> {
  try {
    await deps.notifier.send(verificationMessage(deps, user, issued));
  } catch (error) {
    deps.log.error({ err: error, userId: user.id }, 'could not send the verification email');
  }
}

/** Sends a fresh link to the signed-in caller, unless their address is verified already. */
export async function requestEmailVerification(deps: AuthDeps, meta: RequestMeta): Promise<void> {
  const caller = await requireCaller(deps, meta);
  await deps.limits.emailVerificationPerAccount.hit(caller.userId);
  const now = deps.clock();
  const pending = await deps.db.transaction(async (tx) => {
    const user = await createUserQueries(tx).findById(caller.userId);
    if (!user) throw new ClubError('request.unauthenticated', 'sign in again');
    if (user.emailVerifiedAt !== null) return null;
    return { user, issued: await issueVerificationToken(tx, user.id, now) };
  });
  // Asked for explicitly: a failed send is the caller's error to see.
  if (pending) await deps.notifier.send(verificationMessage(deps, pending.user, pending.issued));
}

type Recipient = Pick<UserView, 'id' | 'email' | 'firstName'>;

function verificationMessage(deps: AuthDeps, user: Recipient, issued: IssuedLinkToken) {
  const link = linkTo(deps.settings.publicUrl, 'verify-email', issued.token);
  return verificationEmail({ to: user.email, firstName: user.firstName, link, expiresAt: issued.expiresAt });
}

/**
 * Redeems a verification link: works once, refused once expired or superseded. The token alone
 * proves the mailbox, so no sign-in is needed (the link may open in another browser). A verified
 * email is half of what puts a MEMBER grant in force (domain/member-standing.ts): when it does, the
 * change is counted and announced, so the account's next request refreshes into the grants in force.
 */
export async function verifyEmail(deps: AuthDeps, meta: RequestMeta, token: string): Promise<void> {
  if (token === '' || token.length > MAX_TOKEN_LENGTH) throw invalidInput('token', 'the link is invalid');
  const now = deps.clock();
  const { verifiedId, changes } = await deps.db.transaction(async (tx) => {
    const userId = await createOneTimeTokenQueries(tx).redeem(hashToken(token), 'email_verification', now);
    if (userId === null)
      throw invalidInput('token', 'the link is invalid, used or expired; ask for a new one');
    const users = createUserQueries(tx);
    const user = await users.findById(userId);
    if (!user) throw invalidInput('token', 'the link is invalid');
    const before = await createRoleQueries(tx).activeGrants(userId);
    await users.markEmailVerified(userId, statusAfterEmailVerified(user.status), now);
    await audit(tx, { userId, event: 'email.verified', meta, at: now });
    return { verifiedId: userId, changes: await countIfGrantsChanged(tx, userId, before) };
  });
  await announceAuthzChanges(deps, changes);
  await forgetViews(deps, [verifiedId]);
}
