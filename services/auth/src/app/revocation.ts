import { type AuthzChange, authzVersions, type RoleGrant, sessionRevocations } from '@clubland/authz';
import type { Tx } from '@clubland/db';
import { createRoleQueries } from '../store/role-queries.ts';
import { createUserQueries } from '../store/user-queries.ts';
import type { AuthDeps } from './deps.ts';

/** Tells every verifier (gateways, this service) that these sessions are over; after the commit. */
export async function announceRevokedSessions(deps: AuthDeps, sessionIds: readonly string[]): Promise<void> {
  await sessionRevocations(deps.cache).announce(sessionIds, deps.settings.accessTokenTtlSeconds);
}

/**
 * Counts a change to what the account may do (a role granted or revoked, its status or a club
 * membership's standing changed), in the transaction that makes it. Announce the result after the
 * commit: every token minted before it is then refused as outdated, and the client refreshes.
 */
export async function countAuthzChange(tx: Tx, userId: string): Promise<AuthzChange[]> {
  const version = await createUserQueries(tx).bumpAuthzVersion(userId);
  return version === null ? [] : [{ userId, version }];
}

/**
 * Counts a change made in this transaction when it changed the account's grants in force, read
 * before it (`before`) and now: a verified email or a membership record's new standing may put a
 * MEMBER grant in force or withhold it (domain/member-standing.ts), or change nothing.
 */
export async function countIfGrantsChanged(
  tx: Tx,
  userId: string,
  before: readonly RoleGrant[],
): Promise<AuthzChange[]> {
  const after = await createRoleQueries(tx).activeGrants(userId);
  return sameGrants(before, after) ? [] : countAuthzChange(tx, userId);
}

/** Grants are read in one order (granted_at, id), so equal lists mean the same grants in force. */
function sameGrants(before: readonly RoleGrant[], after: readonly RoleGrant[]): boolean {
  return (
    before.length === after.length &&
    before.every((grant, i) => grant.role === after[i]?.role && grant.clubId === after[i]?.clubId)
  );
}

/** Tells every verifier the accounts' new versions; after the commit that counted them. */
export async function announceAuthzChanges(deps: AuthDeps, changes: readonly AuthzChange[]): Promise<void> {
  if (changes.length === 0) return;
  await authzVersions(deps.cache).announce(changes, deps.settings.accessTokenTtlSeconds);
}
