import { type AccountStanding, covers, type Principal } from '@clubland/authz';
import type { Tx } from '@clubland/db';
import { ClubError, notFound } from '@clubland/errors';
import { canSignIn, SIGN_IN_STATUSES } from '../domain/user-status.ts';
import { createRoleQueries } from '../store/role-queries.ts';
import type { UserRow } from '../store/user-queries.ts';

/**
 * Authority over people: who may change whose account. Permissions (@clubland/authz's table) say
 * what an actor may do at a club; `covers` says over whom. Every use case that changes an account
 * other than the caller's (names, status and with it the sessions, roles) calls
 * `requireAuthorityOver` in its transaction, after its own permission checks.
 */

/** A closed account (its member data erased) never changes again: no names, status or roles. */
export function requireOpenAccount(target: UserRow): void {
  if (target.closedAt !== null) {
    throw new ClubError(
      'entity.conflict',
      'this account was closed when its member data was erased; it cannot change',
    );
  }
}

/** The target's standing as the database holds it now; `request.forbidden` unless the actor covers it. */
export async function requireAuthorityOver(
  tx: Tx,
  actor: Principal,
  target: UserRow,
): Promise<AccountStanding> {
  const standing: AccountStanding = {
    userId: target.id,
    homeClubId: target.clubId,
    grants: await createRoleQueries(tx).activeGrants(target.id),
  };
  if (!covers(actor, standing)) {
    throw new ClubError(
      'request.forbidden',
      'this account holds roles beyond your authority; a network administrator can change it',
    );
  }
  return standing;
}

/**
 * Refuses (`entity.conflict`) a change that would leave no network administrator able to sign in:
 * suspending, locking or deactivating the last one, or revoking the last one's NETWORK_ADMIN.
 * Call it in the transaction that makes the change, before it: the lock serialises such changes,
 * so two administrators suspending each other at once cannot both pass.
 */
export async function keepANetworkAdmin(tx: Tx, target: UserRow, standing: AccountStanding): Promise<void> {
  const isNetworkAdmin = standing.grants.some((grant) => grant.role === 'NETWORK_ADMIN');
  if (!isNetworkAdmin || !canSignIn(target.status)) return;
  const roles = createRoleQueries(tx);
  await roles.lockNetworkAdmins();
  if ((await roles.otherNetworkAdmins(target.id, SIGN_IN_STATUSES)) === 0) {
    throw new ClubError(
      'entity.conflict',
      'this is the last network administrator who can sign in: appoint another one first',
    );
  }
}

/** Unknown and off-limits look alike to those who may not look, so ids cannot be probed. */
export function hidden(principal: Principal, id: string): ClubError {
  const isNetworkAdmin = principal.grants.some((grant) => grant.role === 'NETWORK_ADMIN');
  return isNetworkAdmin
    ? notFound('user', id)
    : new ClubError('request.forbidden', 'you may not see this user');
}
