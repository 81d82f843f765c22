import type { RoleGrant } from './permissions.ts';

/** An account as far as authority over it goes: who, their home club, the roles they hold now. */
export interface AccountStanding {
  userId: string;
  homeClubId: string | null;
  grants: readonly RoleGrant[];
}

/**
 * Whether `actor`'s authority covers `target`: the one rule for every change to a person's
 * account or data that someone other than the person makes (names, status and so sessions, roles,
 * erasure). Permissions say what an actor may do at a club; this says over whom, because an
 * account is network-wide and one club's admin must not reach what another club, or the network,
 * gave that account.
 *
 * - Everyone covers themself (self-service stays possible; what one may change about oneself is
 *   the use case's own rule, e.g. nobody sets their own status without member:write).
 * - A network admin covers everyone, other network admins included. (That the last one who can
 *   sign in is never suspended or demoted is an invariant of the auth service, not of coverage.)
 * - A club admin covers an account whose home club they administer and every role of which is
 *   MEMBER or STAFF at a club they administer. So never a network admin, never another club's
 *   admin or member, never a peer admin of their own club: club admins appoint admins (grant,
 *   invite) but only a network admin renames, suspends or demotes one.
 * - Staff and members cover nobody else.
 *
 * Malformed grants of the actor (a club role without a club, NETWORK_ADMIN at a club) give no
 * authority; a malformed grant of the target is not MEMBER/STAFF at an administered club, so it
 * keeps club admins out.
 */
export function covers(actor: AccountStanding, target: AccountStanding): boolean {
  if (actor.userId === target.userId) return true;
  if (actor.grants.some((grant) => grant.role === 'NETWORK_ADMIN' && grant.clubId === null)) return true;
  const administered = new Set<string>();
  for (const grant of actor.grants) {
    if (grant.role === 'CLUB_ADMIN' && grant.clubId !== null) administered.add(grant.clubId);
  }
  if (target.homeClubId === null || !administered.has(target.homeClubId)) return false;
  return target.grants.every(
    (grant) =>
      (grant.role === 'MEMBER' || grant.role === 'STAFF') &&
      grant.clubId !== null &&
      administered.has(grant.clubId),
  );
}
