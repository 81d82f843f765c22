import { addToOutbox } from '@clubland/bus';
import { ClubError, invalidInput } from '@clubland/errors';
import { checkRegistration, type Registration } from '../domain/registration.ts';
import { roleGrantedEvent, userRegisteredEvent } from '../events/builders.ts';
import { createRoleQueries } from '../store/role-queries.ts';
import { createUserQueries } from '../store/user-queries.ts';
import { audit } from './audit.ts';
import { AUTH_SCHEMA, type AuthDeps, type RequestMeta } from './deps.ts';
import { issueVerificationToken, sendVerificationEmail } from './email-verification.ts';
import { hashPassword } from './passwords.ts';
import { ipKey } from './secrets.ts';
import { completeSignIn, type SignedIn } from './sign-in.ts';

/**
 * Creates an account with the MEMBER role at its home club and signs it in.
 *
 * The account starts PENDING_VERIFICATION, yet signed in: the mobile client expects tokens from
 * `register`. The first verified link (or a password reset, which proves the same) makes it
 * ACTIVE. The MEMBER grant is recorded but not in force until the email is verified and the club
 * accepts the person (domain/member-standing.ts): until then the account manages itself only.
 *
 * Account, credential, grant, verification token, audit row and `user.registered` commit together;
 * the verification email leaves after the commit, so no mail is sent for an account that does not exist.
 */
export async function register(deps: AuthDeps, meta: RequestMeta, input: Registration): Promise<SignedIn> {
  const checked = checkRegistration(input);
  if (!checked.ok) throw invalidInput(checked.field, checked.message);
  const registration = checked.value;
  await deps.limits.registerPerIp.hit(ipKey(meta.ip));

  const club = await deps.clubs.findById(registration.clubId);
  if (!club) throw invalidInput('clubId', 'no club has this id');
  if (club.status !== 'ACTIVE') throw invalidInput('clubId', 'this club does not accept new accounts');

  // Hashed before the transaction: 10 ms of memory-hard work must not hold a connection.
  const passwordHash = await hashPassword(registration.password);
  const world = { clock: deps.clock, newId: deps.newId };
  const now = deps.clock();

  const { signedIn, verification } = await deps.db.transaction(async (tx) => {
    const users = createUserQueries(tx);
    const user = await users.insertUnlessTaken({
      id: deps.newId(),
      clubId: club.id,
      email: registration.email,
      username: registration.username,
      firstName: registration.firstName,
      lastName: registration.lastName,
      status: 'PENDING_VERIFICATION',
      now,
    });
    if (user === 'email_taken') {
      throw new ClubError(
        'auth.email_taken',
        'an account with this email exists; sign in or reset the password',
        {
          field: 'email',
        },
      );
    }
    if (user === 'username_taken') {
      throw new ClubError('auth.username_taken', 'this username is taken', { field: 'username' });
    }
    await users.setPassword(user.id, passwordHash, now);
    const member = { role: 'MEMBER' as const, clubId: club.id };
    await createRoleQueries(tx).grant({ ...member, id: deps.newId(), userId: user.id, grantedBy: null, now });
    const verification = await issueVerificationToken(tx, user.id, now);
    await addToOutbox(tx, AUTH_SCHEMA, [
      userRegisteredEvent({ ...user, clubId: club.id }, world),
      roleGrantedEvent(user.id, member, null, world),
    ]);
    await audit(tx, {
      userId: user.id,
      event: 'user.registered',
      meta,
      details: { clubId: club.id },
      at: now,
    });
    const signedIn = await completeSignIn(deps, tx, user.id, meta, 'password');
    return { signedIn, verification };
  });
  deps.eventsWritten();
  await sendVerificationEmail(deps, signedIn.user, verification);
  return signedIn;
}
