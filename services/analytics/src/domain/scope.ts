import { can, type Principal } from '@clubland/authz';

/**
 * Whose figures a caller may read, pure. analytics:read is a club administrator's permission (the
 * table in packages/authz): the report holds the club's business figures (roster size and mix,
 * the agreements in negotiation, where its members travel), the management's view, so staff at the
 * front desk and members do not get it. A network administrator holds every permission everywhere:
 * naming a club, they read that club's figures; naming none, the whole network's.
 *
 *   named club C        → C, if analytics:read at C
 *   none, network admin → the network
 *   none, otherwise     → the caller's home club, if analytics:read there
 */
export type Scope = { kind: 'club'; clubId: string } | { kind: 'network' };

export type ScopeCheck =
  | { ok: true; scope: Scope }
  | { ok: false; code: 'request.unauthenticated' | 'request.forbidden'; message: string };

export function scopeFor(principal: Principal | null, requestedClubId: string | null): ScopeCheck {
  if (principal === null) return { ok: false, code: 'request.unauthenticated', message: 'sign in first' };
  if (requestedClubId !== null) {
    return can(principal, 'analytics:read', requestedClubId)
      ? { ok: true, scope: { kind: 'club', clubId: requestedClubId } }
      : forbidden();
  }
  if (can(principal, 'network:manage', null)) return { ok: true, scope: { kind: 'network' } };
  const home = principal.homeClubId;
  if (home !== null && can(principal, 'analytics:read', home)) {
    return { ok: true, scope: { kind: 'club', clubId: home } };
  }
  // A club administrator whose token names no home club: the one club they administer.
  const administered = principal.grants.filter(
    (grant) => grant.clubId !== null && can(principal, 'analytics:read', grant.clubId),
  );
  const clubs = [...new Set(administered.map((grant) => grant.clubId as string))];
  if (clubs.length === 1) return { ok: true, scope: { kind: 'club', clubId: clubs[0] as string } };
  return forbidden();
}

function forbidden(): ScopeCheck {
  return { ok: false, code: 'request.forbidden', message: 'missing permission analytics:read' };
}
