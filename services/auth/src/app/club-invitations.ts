import { type AuthzChange, canGrantRole } from '@clubland/authz';
import { addToOutbox } from '@clubland/bus';
import { ClubError, invalidInput } from '@clubland/errors';
import { emailKey } from '../domain/email.ts';
import { checkInvitation, INVITATION_TTL_SECONDS } from '../domain/invitation.ts';
import { isPasswordLengthAcceptable } from '../domain/password-policy.ts';
import { checkRegistration } from '../domain/registration.ts';
import { statusAfterEmailVerified } from '../domain/user-status.ts';
import { roleGrantedEvent, userRegisteredEvent } from '../events/builders.ts';
import { createInvitationQueries, type InvitationRow } from '../store/invitation-queries.ts';
import { createRoleQueries } from '../store/role-queries.ts';
import { createUserQueries, type UserRow } from '../store/user-queries.ts';
import { currentPrincipal, requireCaller } from './access.ts';
import { audit } from './audit.ts';
import { AUTH_SCHEMA, type AuthDeps, type RequestMeta } from './deps.ts';
import { clubInvitationEmail, linkTo } from './emails.ts';
import { findKnownDevice } from './known-devices.ts';
import { isMfaEnabled, startMfaChallenge } from './mfa.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { announceAuthzChanges, countAuthzChange } from './revocation.ts';
import { accountKey, hashToken, newOpaqueToken } from './secrets.ts';
import { completeSignIn, type SignInResult } from './sign-in.ts';
import { admitSignInAttempt } from './sign-in-throttle.ts';
import { viewOf } from './user-view.ts';
import { forgetViews } from './user-view-cache.ts';

const MAX_TOKEN_LENGTH = 100;
const REFUSED = 'the invitation is invalid, used or expired; ask for a new one';

/**
 * Invites an address to hold a club role: how a club gets its first CLUB_ADMIN (from a network
 * administrator), and how admins bring in staff and members. Whoever may grant the role there may
 * invite to it (canGrantRole). The link is single-use and expires; inviting again replaces it.
 * The email leaves after the commit; a failed send is the inviter's error to see. Limited per
 * inviter (50 an hour) and per address (5 a day), so no account or mailbox becomes a spam channel.
 */
export async function inviteToClub(
  deps: AuthDeps,
  meta: RequestMeta,
  input: { clubId: string; email: string; role: string },
): Promise<InvitationRow> {
  const checked = checkInvitation(input);
  if (!checked.ok) throw invalidInput(checked.field, checked.message);
  const { clubId, email, role } = checked.value;
  const caller = await requireCaller(deps, meta);
  const principal = await deps.db.transaction((tx) => currentPrincipal(tx, caller));
  if (!canGrantRole(principal, role, clubId)) {
    throw new ClubError('request.forbidden', `you may not invite a ${role} there`, {
      permission: 'role:grant',
    });
  }
  const club = await deps.clubs.findById(clubId);
  if (!club) throw invalidInput('clubId', 'no club has this id');
  if (club.status !== 'ACTIVE') throw invalidInput('clubId', 'this club is not active');
  // Counted once the invitation would go out: refused callers and bad input spend nobody's budget.
  await deps.limits.invitationsPerAddress.hit(accountKey(emailKey(email)));
  await deps.limits.invitationsPerInviter.hit(principal.userId);

  const token = newOpaqueToken();
  const now = deps.clock();
  const invitation: InvitationRow = {
    id: deps.newId(),
    clubId,
    email,
    role,
    invitedBy: principal.userId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + INVITATION_TTL_SECONDS * 1000),
  };
  // In the club's transaction: the invitation, and the earlier one it retires, can only be that club's.
  await deps.db.withTenant(clubId, async (tx) => {
    await createInvitationQueries(tx).issue({ ...invitation, tokenHash: hashToken(token) });
    await audit(tx, {
      userId: principal.userId,
      event: 'invitation.sent',
      meta,
      details: { invitationId: invitation.id, clubId, role },
      at: now,
    });
  });
  const link = linkTo(deps.settings.publicUrl, 'accept-invitation', token);
  await deps.notifier.send(
    clubInvitationEmail({ to: email, clubName: club.name, role, link, expiresAt: invitation.expiresAt }),
  );
  return invitation;
}

export interface InvitationAcceptance {
  token: string;
  password: string;
  firstName: string;
  lastName: string;
}

/**
 * Redeems an invitation link, once. The token proves the mailbox. A new address gets an account
 * (home club: the inviting club, email verified, ACTIVE) with the password it chooses; an address
 * with an account links it, and must give that account's password (the link alone does not hand
 * over an existing account); its email then counts as verified. The redeemed invitation is the
 * club's acceptance of the person (domain/member-standing.ts). Then the role is granted and the
 * account signed in, with the second factor still asked for where the account has one. A used,
 * replaced or expired link is refused and changes nothing.
 */
export async function acceptClubInvitation(
  deps: AuthDeps,
  meta: RequestMeta,
  input: InvitationAcceptance,
): Promise<SignInResult> {
  if (input.token === '' || input.token.length > MAX_TOKEN_LENGTH) throw invalidInput('token', REFUSED);
  if (!isPasswordLengthAcceptable(input.password)) throw invalidInput('password', 'password is required');
  const tokenHash = hashToken(input.token);
  const now = deps.clock();

  // A first look outside the transaction, so argon2 does not run while a connection is held.
  const peek = await deps.db.transaction(async (tx) => {
    const invitation = await createInvitationQueries(tx).findOpen(tokenHash, now);
    const login = invitation ? await createUserQueries(tx).findLoginByEmail(invitation.email) : null;
    return { invitation, login };
  });
  if (!peek.invitation) throw invalidInput('token', REFUSED);
  const invitation = peek.invitation;
  let newAccount: { passwordHash: string; firstName: string; lastName: string } | null = null;
  if (peek.login) {
    // A password check like login's, so throttled like it: the link must not be a way around.
    const knownDevice = await deps.db.transaction((tx) =>
      findKnownDevice(tx, peek.login!.user.id, meta.deviceToken, now),
    );
    const attempt = await admitSignInAttempt(
      deps.limits.signIn,
      { account: accountKey(emailKey(peek.login.user.email)), ip: meta.ip, deviceId: knownDevice },
      deps.log,
    );
    if (!(await verifyPassword(peek.login.passwordHash, input.password))) {
      throw new ClubError(
        'auth.invalid_credentials',
        'this address has an account: accept with its password',
      );
    }
    await attempt.succeeded();
  } else {
    const registration = checkRegistration({
      email: invitation.email,
      password: input.password,
      username: null,
      clubId: invitation.clubId,
      firstName: input.firstName,
      lastName: input.lastName,
    });
    if (!registration.ok) throw invalidInput(registration.field, registration.message);
    newAccount = {
      passwordHash: await hashPassword(input.password),
      firstName: registration.value.firstName,
      lastName: registration.value.lastName,
    };
  }

  const world = { clock: deps.clock, newId: deps.newId };
  const changes: AuthzChange[] = [];
  const result = await deps.db.transaction(async (tx) => {
    const invitations = createInvitationQueries(tx);
    // Under the row lock: a second redemption racing this one waits, then finds it used.
    const open = await invitations.findOpenForUpdate(tokenHash, now);
    if (!open) throw invalidInput('token', REFUSED);
    const users = createUserQueries(tx);
    const grant = { role: open.role, clubId: open.clubId };
    let user: UserRow;
    if (newAccount) {
      const inserted = await users.insertUnlessTaken({
        id: deps.newId(),
        clubId: open.clubId,
        email: open.email,
        username: null,
        firstName: newAccount.firstName,
        lastName: newAccount.lastName,
        status: 'ACTIVE',
        now,
      });
      if (typeof inserted === 'string') {
        throw new ClubError(
          'auth.email_taken',
          'an account with this email was created meanwhile; try again',
          {
            field: 'email',
          },
        );
      }
      await users.setPassword(inserted.id, newAccount.passwordHash, now);
      // The link was mailed to this address: following it proves the mailbox.
      user = (await users.markEmailVerified(inserted.id, 'ACTIVE', now)) ?? inserted;
      await addToOutbox(tx, AUTH_SCHEMA, [userRegisteredEvent({ ...user, clubId: open.clubId }, world)]);
    } else {
      const found = await users.findByEmail(open.email);
      if (!found || found.id !== peek.login?.user.id) throw invalidInput('token', REFUSED);
      // The link was mailed to this address too: following it proves the mailbox.
      user =
        found.emailVerifiedAt === null
          ? ((await users.markEmailVerified(found.id, statusAfterEmailVerified(found.status), now)) ?? found)
          : found;
    }
    const isGranted = await createRoleQueries(tx).grant({
      ...grant,
      id: deps.newId(),
      userId: user.id,
      grantedBy: open.invitedBy,
      now,
    });
    if (isGranted) {
      await addToOutbox(tx, AUTH_SCHEMA, [roleGrantedEvent(user.id, grant, open.invitedBy, world)]);
    }
    if (!(await invitations.accept(open.id, user.id, now))) throw invalidInput('token', REFUSED);
    // An existing account's sessions hold tokens without the role, or with a MEMBER grant the club
    // had not accepted yet (domain/member-standing.ts): counted, so they refresh.
    if (!newAccount) changes.push(...(await countAuthzChange(tx, user.id)));
    await audit(tx, {
      userId: user.id,
      event: 'invitation.accepted',
      meta,
      details: {
        invitationId: open.id,
        clubId: open.clubId,
        role: open.role,
        isNewAccount: newAccount !== null,
      },
      at: now,
    });
    if (await isMfaEnabled(tx, user.id)) {
      const mfaToken = await startMfaChallenge(deps, tx, user.id);
      return { kind: 'mfa_required' as const, mfaToken, user: await viewOf(tx, user) };
    }
    return completeSignIn(deps, tx, user.id, meta, 'password');
  });
  deps.eventsWritten();
  await announceAuthzChanges(deps, changes);
  await forgetViews(deps, [result.user.id]);
  return result;
}
