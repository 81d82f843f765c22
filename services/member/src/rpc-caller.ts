import { isRole, type Principal, type RoleGrant } from '@clubland/authz';
import type { CallerContext } from '@clubland/contract/member/v1/caller';
import { invalidInput } from '@clubland/errors';
import { z } from 'zod';

/**
 * The principal of an RPC call, rebuilt from the CallerContext the gateway filled from the
 * verified access token. Limitation, on purpose: the member service's RPC port is internal only,
 * reachable from the gateway and other services behind it (the network policy in deploy/ keeps it
 * so); it trusts the gateway's reading of the token and does not verify the token again.
 * Malformed grants are dropped rather than trusted: a grant counts only in its exact shape.
 */
const uuid = z.uuid();

export function principalFrom(caller: CallerContext | undefined): Principal | null {
  if (!caller || caller.userId === '') return null;
  if (!uuid.safeParse(caller.userId).success)
    throw invalidInput('caller.userId', 'caller.userId must be a UUID');
  const grants: RoleGrant[] = [];
  for (const grant of caller.grants) {
    if (!isRole(grant.role)) continue;
    if (grant.role === 'NETWORK_ADMIN') {
      if (grant.clubId === '') grants.push({ role: grant.role, clubId: null });
    } else if (uuid.safeParse(grant.clubId).success) {
      grants.push({ role: grant.role, clubId: grant.clubId.toLowerCase() });
    }
  }
  return {
    userId: caller.userId,
    sessionId: caller.sessionId || null,
    homeClubId: uuid.safeParse(caller.homeClubId).success ? caller.homeClubId.toLowerCase() : null,
    grants,
    source: caller.source === 'hanko' ? 'hanko' : 'clubland',
  };
}
