import { addToOutbox } from '@clubland/bus';
import { ClubError, invalidInput } from '@clubland/errors';
import { normaliseEmail } from '../domain/email.ts';
import { checkPassword } from '../domain/password-policy.ts';
import { checkName } from '../domain/registration.ts';
import { roleGrantedEvent } from '../events/builders.ts';
import { createRoleQueries } from '../store/role-queries.ts';
import { createUserQueries } from '../store/user-queries.ts';
import { audit } from './audit.ts';
import { AUTH_SCHEMA, type AuthDeps, type RequestMeta } from './deps.ts';
import { hashPassword } from './passwords.ts';
import { type UserView, viewOf } from './user-view.ts';

export interface NetworkAdminBootstrap {
  email: string;
  password: string;
  firstName?: string;
  lastName?: string;
}

export type BootstrapOutcome = { outcome: 'created'; user: UserView } | { outcome: 'admin_exists' };

/** The operator at the console: no token, no IP; the audit row says where it came from. */
const OPERATOR: RequestMeta = { accessToken: '', ip: '', userAgent: 'clubland bootstrap' };

/**
 * Creates the network's first administrator: an account with no home club (it exists before any
 * club does) holding NETWORK_ADMIN. Only while nobody holds NETWORK_ADMIN: once one exists this
 * changes nothing and answers `admin_exists` (further administrators are granted by an existing
 * one, with grantRole, where it is audited). An address that already has an account is refused
 * rather than promoted or overwritten. Not an RPC: only the operator's own process calls it
 * (`clubland admin create`, the CLUBLAND_BOOTSTRAP_ADMIN_* variables at start-up).
 */
export async function bootstrapNetworkAdmin(
  deps: AuthDeps,
  input: NetworkAdminBootstrap,
): Promise<BootstrapOutcome> {
  const email = normaliseEmail(input.email);
  if (!email.ok) throw invalidInput('email', email.message);
  const password = checkPassword(input.password, { email: email.value });
  if (!password.ok) throw invalidInput('password', password.message);
  const firstName = checkName(input.firstName ?? 'Network', 'firstName');
  if (!firstName.ok) throw invalidInput(firstName.field, firstName.message);
  const lastName = checkName(input.lastName ?? 'Administrator', 'lastName');
  if (!lastName.ok) throw invalidInput(lastName.field, lastName.message);

  // The common case on every restart: an administrator exists, so no hash is worth computing.
  if (await deps.db.transaction((tx) => createRoleQueries(tx).isHeldByAnyone('NETWORK_ADMIN'))) {
    return { outcome: 'admin_exists' };
  }
  const passwordHash = await hashPassword(input.password);
  const now = deps.clock();
  const grant = { role: 'NETWORK_ADMIN' as const, clubId: null };

  const outcome = await deps.db.transaction(async (tx): Promise<BootstrapOutcome> => {
    const roles = createRoleQueries(tx);
    await roles.lockNetworkAdminBootstrap();
    // Checked again under the lock: another process may have bootstrapped since the check above.
    if (await roles.isHeldByAnyone('NETWORK_ADMIN')) return { outcome: 'admin_exists' };
    const users = createUserQueries(tx);
    const user = await users.insertUnlessTaken({
      id: deps.newId(),
      clubId: null,
      email: email.value,
      username: null,
      firstName: firstName.value,
      lastName: lastName.value,
      status: 'ACTIVE',
      now,
    });
    if (typeof user === 'string') {
      throw new ClubError(
        'auth.email_taken',
        'an account with this email exists; it is not made an administrator silently (an administrator grants NETWORK_ADMIN to it with grantRole)',
        { field: 'email' },
      );
    }
    await users.setPassword(user.id, passwordHash, now);
    await roles.grant({ ...grant, id: deps.newId(), userId: user.id, grantedBy: null, now });
    await addToOutbox(tx, AUTH_SCHEMA, [roleGrantedEvent(user.id, grant, null, deps)]);
    await audit(tx, {
      userId: user.id,
      event: 'network_admin.bootstrapped',
      meta: OPERATOR,
      details: { role: grant.role },
      at: now,
    });
    return { outcome: 'created', user: await viewOf(tx, user) };
  });
  deps.eventsWritten();
  return outcome;
}
