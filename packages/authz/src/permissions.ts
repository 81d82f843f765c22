/**
 * Roles and the one permission table. A role is granted per club (`MEMBER`, `STAFF`,
 * `CLUB_ADMIN`) or network-wide (`NETWORK_ADMIN`, whose grant has no club). Services check
 * permissions, never role names, so the table below is the only place that says who may do what.
 */

export const ROLES = ['MEMBER', 'STAFF', 'CLUB_ADMIN', 'NETWORK_ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/** A role held at one club; `clubId` is null only for `NETWORK_ADMIN`. */
export interface RoleGrant {
  role: Role;
  clubId: string | null;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Every permission, each with what it allows (at the club it is checked against). */
export const PERMISSIONS = {
  'club:read': "see the club's profile, facilities and opening hours",
  'club:write': "edit the club's profile, facilities, membership types and settings",
  'club:create': 'add a new club to the network',
  'member:read': "see the club's member roster and member profiles",
  'member:write': 'add, edit, suspend and reinstate members of the club',
  'member:export': "export the club's member data",
  'role:grant': 'grant and revoke roles at the club (canGrantRole narrows which roles)',
  'visit:request': 'ask for a letter of introduction to visit another club',
  'visit:manage': 'approve letters of introduction, verify visitors, check them in and out',
  'agreement:manage': 'propose, accept and end reciprocal agreements with other clubs',
  'settlement:manage': 'review and settle the costs of visits with other clubs',
  'booking:create': 'book facilities and dining for oneself and one’s guests',
  'booking:manage': 'see and change every booking and reservation at the club',
  'event:rsvp': "RSVP to the club's events",
  'event:manage': 'create, edit and cancel club events and see their RSVPs',
  'review:write': 'write reviews of clubs and facilities',
  'notification:send': "send notifications to the club's members",
  'analytics:read': "see the club's reports and dashboards",
  'audit:read': "read the club's security audit log",
  'governance:propose': 'put a proposal to the network on behalf of the club',
  'governance:vote': 'cast the club’s vote on network proposals',
  'network:manage': 'manage network-wide policies, integrations and settings',
} as const;
export type Permission = keyof typeof PERMISSIONS;

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && Object.hasOwn(PERMISSIONS, value);
}

const memberPermissions = [
  'club:read',
  'visit:request',
  'booking:create',
  'event:rsvp',
  'review:write',
] as const satisfies readonly Permission[];

const staffPermissions = [
  ...memberPermissions,
  'member:read',
  'visit:manage',
  'booking:manage',
  'event:manage',
  'notification:send',
] as const satisfies readonly Permission[];

const clubAdminPermissions = [
  ...staffPermissions,
  'club:write',
  'member:write',
  'member:export',
  'role:grant',
  'agreement:manage',
  'settlement:manage',
  'analytics:read',
  'audit:read',
  'governance:propose',
  'governance:vote',
] as const satisfies readonly Permission[];

/** The permission table: each role and everything it may do where it is held. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  MEMBER: memberPermissions,
  STAFF: staffPermissions,
  CLUB_ADMIN: clubAdminPermissions,
  // The network administrator may do everything, at every club and network-wide.
  NETWORK_ADMIN: Object.keys(PERMISSIONS) as Permission[],
};
