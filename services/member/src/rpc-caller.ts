import { isRole, type Principal, type RoleGrant } from '@clubland/authz';
import type { CallerContext } from '@clubland/contract/member/v1/caller';
import { invalidInput } from '@clubland/errors';
import { isUuid } from './rpc-ids.ts';

/**
 * The principal of an RPC call, rebuilt from the CallerContext the gateway filled from the
 * verified access token. Limitation, on purpose: the member service's RPC port is internal only,
 * reachable from the gateway and other services behind it (the network policy in deploy/ keeps it
 * so); it trusts the gateway's reading of the token and does not verify the token again.
 * Malformed grants are dropped rather than trusted: a grant counts only in its exact shape.
 * Remembered per message: in one process the gateway hands the same frozen CallerContext to
 * every call a token makes (gateway/src/resolvers/members.ts), so it is read once.
 */
export function principalFrom(caller: CallerContext | undefined): Principal | null {
  if (!caller || caller.userId === '') return null;
  let principal = principals.get(caller);
  if (principal === undefined) {
    principal = readPrincipal(caller);
    principals.set(caller, principal);
  }
  return principal;
}

const principals = new WeakMap<CallerContext, Principal>();

function readPrincipal(caller: CallerContext): Principal {
  if (!isUuid(caller.userId)) throw invalidInput('caller.userId', 'caller.userId must be a UUID');
  const grants: RoleGrant[] = [];
  for (const grant of caller.grants) {
    if (!isRole(grant.role)) continue;
    if (grant.role === 'NETWORK_ADMIN') {
      if (grant.clubId === '') grants.push({ role: grant.role, clubId: null });
    } else if (isUuid(grant.clubId)) {
      grants.push({ role: grant.role, clubId: grant.clubId.toLowerCase() });
    }
  }
  return Object.freeze({
    userId: caller.userId,
    sessionId: caller.sessionId || null,
    homeClubId: isUuid(caller.homeClubId) ? caller.homeClubId.toLowerCase() : null,
    grants: Object.freeze(grants) as RoleGrant[],
    source: caller.source === 'hanko' ? 'hanko' : 'clubland',
  });
}
