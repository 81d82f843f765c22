import { invalidInput, isUuid } from '@clubland/errors';
import type { Principal } from './authorize.ts';
import { isRole, type RoleGrant } from './permissions.ts';

/** The caller an RPC message carries (the contract's clubland.member.v1.CallerContext, by shape). */
export interface CallerMessage {
  userId: string;
  sessionId: string;
  homeClubId: string;
  grants: readonly { role: string; clubId: string }[];
  source: string;
}

/**
 * The principal of an RPC call, rebuilt from the CallerContext the gateway filled from the
 * verified access token. Limitation, on purpose: a service's RPC port is internal only, reachable
 * from the gateway and other services behind it (the network policy in deploy/ keeps it so); it
 * trusts the gateway's reading of the token and does not verify the token again. Malformed grants
 * are dropped rather than trusted: a grant counts only in its exact shape. Remembered per message:
 * in one process the gateway hands the same frozen CallerContext to every call a token makes, so
 * it is read once.
 */
export function principalFromCaller(caller: CallerMessage | undefined): Principal | null {
  if (!caller || caller.userId === '') return null;
  let principal = principals.get(caller);
  if (principal === undefined) {
    principal = readPrincipal(caller);
    principals.set(caller, principal);
  }
  return principal;
}

const principals = new WeakMap<CallerMessage, Principal>();

function readPrincipal(caller: CallerMessage): Principal {
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

/**
 * The CallerContext, by shape, that carries `principal` on to another service's RPC: what a service
 * passes when it asks on the caller's behalf (the callee then decides what they may read).
 */
export function callerMessageOf(
  principal: Principal,
): CallerMessage & { grants: { role: string; clubId: string }[] } {
  return {
    userId: principal.userId,
    sessionId: principal.sessionId ?? '',
    homeClubId: principal.homeClubId ?? '',
    grants: principal.grants.map((grant) => ({ role: grant.role, clubId: grant.clubId ?? '' })),
    source: principal.source,
  };
}
