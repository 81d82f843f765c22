import type { RoleGrant } from '@clubland/authz';
import type { EventEnvelope } from '@clubland/bus';
import { userRegistered, userRoleGranted, userRoleRevoked } from '@clubland/contract/events/auth';
import { getLogContext } from '@clubland/log';
import type { UserRow } from '../store/user-queries.ts';

/**
 * Every event the auth service emits is built here, from the contract's definition. The
 * correlation id is the one the RPC call arrived with (the server interceptor puts it in the log context).
 */

interface World {
  clock: () => Date;
  newId: () => string;
}

const correlationId = () => getLogContext().correlationId ?? null;

/** Accounts with a home club register; the network administrator of the bootstrap has none and is announced by its grant. */
export function userRegisteredEvent(user: UserRow & { clubId: string }, world: World): EventEnvelope {
  return userRegistered.build(
    {
      tenantId: user.clubId,
      correlationId: correlationId(),
      data: {
        userId: user.id,
        clubId: user.clubId,
        email: user.email,
        username: user.username,
        firstName: user.firstName,
        lastName: user.lastName,
        status: user.status,
      },
    },
    world,
  );
}

export function roleGrantedEvent(
  userId: string,
  grant: RoleGrant,
  grantedBy: string | null,
  world: World,
): EventEnvelope {
  return userRoleGranted.build(
    {
      tenantId: grant.clubId,
      correlationId: correlationId(),
      data: { userId, role: grant.role, clubId: grant.clubId, grantedBy },
    },
    world,
  );
}

export function roleRevokedEvent(
  userId: string,
  grant: RoleGrant,
  revokedBy: string,
  world: World,
): EventEnvelope {
  return userRoleRevoked.build(
    {
      tenantId: grant.clubId,
      correlationId: correlationId(),
      data: { userId, role: grant.role, clubId: grant.clubId, revokedBy },
    },
    world,
  );
}
