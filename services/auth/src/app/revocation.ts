import { type AuthzChange, authzVersions, sessionRevocations } from '@clubland/authz';
import type { Tx } from '@clubland/db';
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

/** Tells every verifier the accounts' new versions; after the commit that counted them. */
export async function announceAuthzChanges(deps: AuthDeps, changes: readonly AuthzChange[]): Promise<void> {
  if (changes.length === 0) return;
  await authzVersions(deps.cache).announce(changes, deps.settings.accessTokenTtlSeconds);
}
