import { ClubError } from '@clubland/errors';
import { PERMISSIONS, type Permission, ROLE_PERMISSIONS, type Role, type RoleGrant } from './permissions.ts';

/** Who is calling: resolved from a verified access token (or a Hanko token) at the edge. */
export interface Principal {
  userId: string;
  /** The session the access token belongs to; null for tokens without one (Hanko). */
  sessionId: string | null;
  homeClubId: string | null;
  grants: RoleGrant[];
  source: 'clubland' | 'hanko';
}

const permissionSets = new Map<Role, ReadonlySet<Permission>>(
  Object.entries(ROLE_PERMISSIONS).map(([role, permissions]) => [role as Role, new Set(permissions)]),
);

/**
 * Whether a grant counts at `clubId`. Network-wide grants (NETWORK_ADMIN, no club) count
 * everywhere, club grants only at their club; a malformed grant (a club role without a club,
 * NETWORK_ADMIN pinned to a club) counts nowhere rather than everywhere.
 */
function appliesAt(grant: RoleGrant, clubId: string | null): boolean {
  if (grant.role === 'NETWORK_ADMIN') return grant.clubId === null;
  return grant.clubId !== null && grant.clubId === clubId;
}

/** Everything the grants allow at `clubId` (null: network-wide actions), in table order. */
export function permissionsAt(grants: readonly RoleGrant[], clubId: string | null): Permission[] {
  const held = new Set<Permission>();
  for (const grant of grants) {
    if (!appliesAt(grant, clubId)) continue;
    for (const permission of ROLE_PERMISSIONS[grant.role]) held.add(permission);
  }
  return (Object.keys(PERMISSIONS) as Permission[]).filter((permission) => held.has(permission));
}

export function can(principal: Principal | null, permission: Permission, clubId: string | null): boolean {
  if (principal === null) return false;
  return principal.grants.some(
    (grant) => appliesAt(grant, clubId) && permissionSets.get(grant.role)?.has(permission) === true,
  );
}

/** The first line of a use case: throws unless the caller holds `permission` at `clubId`. */
export function authorize(
  principal: Principal | null,
  permission: Permission,
  clubId: string | null,
): asserts principal is Principal {
  if (principal === null) throw new ClubError('request.unauthenticated', 'sign in first');
  if (!can(principal, permission, clubId)) {
    throw new ClubError('request.forbidden', `missing permission ${permission}`, { permission });
  }
}

function isWellFormed(role: Role, clubId: string | null): boolean {
  return role === 'NETWORK_ADMIN' ? clubId === null : clubId !== null;
}

/**
 * Whether `principal` may grant (or revoke) `role` at `clubId`. Club admins manage MEMBER,
 * STAFF and CLUB_ADMIN at their own club; network admins manage every role anywhere; nobody
 * else grants NETWORK_ADMIN. A grant of the wrong shape (NETWORK_ADMIN at a club, a club role
 * without a club) is never allowed.
 */
export function canGrantRole(principal: Principal, role: Role, clubId: string | null): boolean {
  if (!isWellFormed(role, clubId)) return false;
  if (role === 'NETWORK_ADMIN')
    return principal.grants.some((grant) => grant.role === 'NETWORK_ADMIN' && grant.clubId === null);
  return can(principal, 'role:grant', clubId);
}
