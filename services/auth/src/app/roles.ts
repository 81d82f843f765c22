import { canGrantRole } from '@clubland/authz';
import { addToOutbox } from '@clubland/bus';
import { ClubError, invalidInput } from '@clubland/errors';
import { checkRoleRequest } from '../domain/role-request.ts';
import { roleGrantedEvent, roleRevokedEvent } from '../events/builders.ts';
import { createRoleQueries } from '../store/role-queries.ts';
import { createUserQueries } from '../store/user-queries.ts';
import { currentPrincipal, requireCaller } from './access.ts';
import { audit } from './audit.ts';
import { hidden, keepANetworkAdmin, requireAuthorityOver, requireOpenAccount } from './authority.ts';
import { AUTH_SCHEMA, type AuthDeps, type RequestMeta } from './deps.ts';
import { announceAuthzChanges, countAuthzChange } from './revocation.ts';
import { type UserView, viewOf } from './user-view.ts';
import { rememberView } from './user-view-cache.ts';

interface RoleRequest {
  userId: string;
  role: string;
  /** Empty for NETWORK_ADMIN. */
  clubId: string;
}

/**
 * Grants a role: club admins at their own club (MEMBER, STAFF, CLUB_ADMIN), network admins
 * anything anywhere, nobody else (canGrantRole); and only to an account the caller has authority
 * over (authority.ts: a club admin grants directly to their own club's members and staff; anyone
 * else is invited, and consents by accepting). Decided on the caller's grants as the database
 * holds them now. Idempotent: granting a held role changes nothing and announces nothing.
 */
export async function grantRole(deps: AuthDeps, meta: RequestMeta, input: RoleRequest): Promise<UserView> {
  const { userId, grant } = checked(input);
  const caller = await requireCaller(deps, meta);
  if (grant.clubId !== null && !(await deps.clubs.findById(grant.clubId))) {
    throw invalidInput('clubId', 'no club has this id');
  }
  const now = deps.clock();
  const { user, changes } = await deps.db.transaction(async (tx) => {
    const principal = await currentPrincipal(tx, caller);
    if (!canGrantRole(principal, grant.role, grant.clubId)) {
      throw new ClubError('request.forbidden', `you may not grant ${grant.role} there`);
    }
    const target = await createUserQueries(tx).findById(userId);
    if (!target) throw hidden(principal, userId);
    await requireAuthorityOver(tx, principal, target);
    requireOpenAccount(target);
    const isGranted = await createRoleQueries(tx).grant({
      ...grant,
      id: deps.newId(),
      userId,
      grantedBy: principal.userId,
      now,
    });
    if (!isGranted) return { user: await viewOf(tx, target), changes: [] };
    await addToOutbox(tx, AUTH_SCHEMA, [roleGrantedEvent(userId, grant, principal.userId, deps)]);
    await audit(tx, {
      userId,
      event: 'role.granted',
      meta,
      details: { ...grant, by: principal.userId },
      at: now,
    });
    // The user's tokens lack the role until refreshed: counted, so the next request says so.
    const changes = await countAuthzChange(tx, userId);
    return {
      user: await viewOf(tx, { ...target, authzVersion: changes[0]?.version ?? target.authzVersion }),
      changes,
    };
  });
  deps.eventsWritten();
  await announceAuthzChanges(deps, changes);
  await rememberView(deps, user);
  return user;
}

/**
 * Revokes a role, under the same rules as granting (so a club admin never demotes a peer admin,
 * and nobody demotes the last network administrator who can sign in). Revoking a role not held
 * changes nothing.
 */
export async function revokeRole(deps: AuthDeps, meta: RequestMeta, input: RoleRequest): Promise<UserView> {
  const { userId, grant } = checked(input);
  const caller = await requireCaller(deps, meta);
  const now = deps.clock();
  const { user, changes } = await deps.db.transaction(async (tx) => {
    const principal = await currentPrincipal(tx, caller);
    if (!canGrantRole(principal, grant.role, grant.clubId)) {
      throw new ClubError('request.forbidden', `you may not revoke ${grant.role} there`);
    }
    const target = await createUserQueries(tx).findById(userId);
    if (!target) throw hidden(principal, userId);
    const standing = await requireAuthorityOver(tx, principal, target);
    if (grant.role === 'NETWORK_ADMIN') await keepANetworkAdmin(tx, target, standing);
    const isRevoked = await createRoleQueries(tx).revoke({
      ...grant,
      userId,
      revokedBy: principal.userId,
      now,
    });
    if (!isRevoked) return { user: await viewOf(tx, target), changes: [] };
    await addToOutbox(tx, AUTH_SCHEMA, [roleRevokedEvent(userId, grant, principal.userId, deps)]);
    await audit(tx, {
      userId,
      event: 'role.revoked',
      meta,
      details: { ...grant, by: principal.userId },
      at: now,
    });
    // Every token minted before this carries the role: counted, so the gateway refuses them at once.
    const changes = await countAuthzChange(tx, userId);
    return {
      user: await viewOf(tx, { ...target, authzVersion: changes[0]?.version ?? target.authzVersion }),
      changes,
    };
  });
  deps.eventsWritten();
  await announceAuthzChanges(deps, changes);
  await rememberView(deps, user);
  return user;
}

function checked(input: RoleRequest) {
  const result = checkRoleRequest(input);
  if (!result.ok) throw invalidInput(result.field, result.message);
  return result.value;
}
