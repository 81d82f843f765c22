import { ClubError } from '@clubland/errors';
import { describe, expect, it } from 'vitest';
import { authorize, can, canGrantRole, type Principal, permissionsAt } from './authorize.ts';
import { PERMISSIONS, type Permission, ROLE_PERMISSIONS, type RoleGrant } from './permissions.ts';

const clubA = '0190a000-0000-7000-8000-00000000000a';
const clubB = '0190a000-0000-7000-8000-00000000000b';

function principal(...grants: RoleGrant[]): Principal {
  return { userId: 'user-1', sessionId: 'session-1', homeClubId: clubA, grants, source: 'clubland' };
}

function thrown(action: () => void): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

const allPermissions = Object.keys(PERMISSIONS) as Permission[];

describe('the permission table', () => {
  it('grants each staff member everything a member has, and each club admin everything staff has', () => {
    expect(ROLE_PERMISSIONS.STAFF).toEqual(expect.arrayContaining([...ROLE_PERMISSIONS.MEMBER]));
    expect(ROLE_PERMISSIONS.CLUB_ADMIN).toEqual(expect.arrayContaining([...ROLE_PERMISSIONS.STAFF]));
    expect(ROLE_PERMISSIONS.NETWORK_ADMIN).toEqual(allPermissions);
  });

  it('keeps network-wide powers to network admins', () => {
    for (const role of ['MEMBER', 'STAFF', 'CLUB_ADMIN'] as const) {
      expect(ROLE_PERMISSIONS[role]).not.toContain('club:create');
      expect(ROLE_PERMISSIONS[role]).not.toContain('network:manage');
    }
  });
});

describe('authorize', () => {
  it('lets a member of club A read club A and not club B', () => {
    const member = principal({ role: 'MEMBER', clubId: clubA });
    expect(() => authorize(member, 'club:read', clubA)).not.toThrow();
    const error = thrown(() => authorize(member, 'club:read', clubB));
    expect(error).toBeInstanceOf(ClubError);
    expect((error as ClubError).code).toBe('request.forbidden');
    expect((error as ClubError).details).toEqual({ permission: 'club:read' });
  });

  it('does not let a member manage visits or read the roster even at their own club', () => {
    const member = principal({ role: 'MEMBER', clubId: clubA });
    expect(can(member, 'visit:manage', clubA)).toBe(false);
    expect(can(member, 'member:read', clubA)).toBe(false);
    expect(can(member, 'visit:request', clubA)).toBe(true);
  });

  it('gives staff and club admins exactly the permissions of the table, at their club only', () => {
    const staff = principal({ role: 'STAFF', clubId: clubA });
    const admin = principal({ role: 'CLUB_ADMIN', clubId: clubA });
    expect(permissionsAt(staff.grants, clubA)).toEqual(
      allPermissions.filter((p) => ROLE_PERMISSIONS.STAFF.includes(p)),
    );
    expect(permissionsAt(admin.grants, clubA)).toEqual(
      allPermissions.filter((p) => ROLE_PERMISSIONS.CLUB_ADMIN.includes(p)),
    );
    expect(can(staff, 'visit:manage', clubA)).toBe(true);
    expect(can(staff, 'member:write', clubA)).toBe(false);
    expect(can(admin, 'member:write', clubA)).toBe(true);
    expect(can(admin, 'club:create', clubA)).toBe(false);
    expect(permissionsAt(staff.grants, clubB)).toEqual([]);
    expect(permissionsAt(admin.grants, clubB)).toEqual([]);
    expect(permissionsAt(admin.grants, null)).toEqual([]);
  });

  it('unions the grants a user holds at one club', () => {
    const grants: RoleGrant[] = [
      { role: 'MEMBER', clubId: clubA },
      { role: 'STAFF', clubId: clubB },
    ];
    expect(permissionsAt(grants, clubA)).toEqual(
      allPermissions.filter((p) => ROLE_PERMISSIONS.MEMBER.includes(p)),
    );
    expect(can(principal(...grants), 'visit:manage', clubB)).toBe(true);
    expect(can(principal(...grants), 'visit:manage', clubA)).toBe(false);
  });

  it('lets a network admin do everything at every club and network-wide', () => {
    const networkAdmin = principal({ role: 'NETWORK_ADMIN', clubId: null });
    for (const clubId of [clubA, clubB, null]) {
      expect(permissionsAt(networkAdmin.grants, clubId)).toEqual(allPermissions);
      expect(() => authorize(networkAdmin, 'member:export', clubId)).not.toThrow();
    }
  });

  it('refuses a missing principal as unauthenticated, not forbidden', () => {
    const error = thrown(() => authorize(null, 'club:read', clubA));
    expect((error as ClubError).code).toBe('request.unauthenticated');
    expect(can(null, 'club:read', clubA)).toBe(false);
  });

  it('gives malformed grants no power anywhere', () => {
    const clubRoleWithoutClub = principal({ role: 'CLUB_ADMIN', clubId: null });
    const pinnedNetworkAdmin = principal({ role: 'NETWORK_ADMIN', clubId: clubA });
    for (const clubId of [clubA, clubB, null]) {
      expect(permissionsAt(clubRoleWithoutClub.grants, clubId)).toEqual([]);
      expect(permissionsAt(pinnedNetworkAdmin.grants, clubId)).toEqual([]);
    }
  });
});

describe('canGrantRole', () => {
  const clubAdmin = principal({ role: 'CLUB_ADMIN', clubId: clubA });
  const networkAdmin = principal({ role: 'NETWORK_ADMIN', clubId: null });

  it('lets a club admin grant member, staff and club admin at their club', () => {
    expect(canGrantRole(clubAdmin, 'STAFF', clubA)).toBe(true);
    expect(canGrantRole(clubAdmin, 'MEMBER', clubA)).toBe(true);
    expect(canGrantRole(clubAdmin, 'CLUB_ADMIN', clubA)).toBe(true);
  });

  it('does not let a club admin grant NETWORK_ADMIN', () => {
    expect(canGrantRole(clubAdmin, 'NETWORK_ADMIN', null)).toBe(false);
    expect(canGrantRole(clubAdmin, 'NETWORK_ADMIN', clubA)).toBe(false);
  });

  it('does not let a club admin grant at another club', () => {
    expect(canGrantRole(clubAdmin, 'STAFF', clubB)).toBe(false);
    expect(canGrantRole(clubAdmin, 'MEMBER', clubB)).toBe(false);
  });

  it('does not let staff or members grant anything', () => {
    expect(canGrantRole(principal({ role: 'STAFF', clubId: clubA }), 'MEMBER', clubA)).toBe(false);
    expect(canGrantRole(principal({ role: 'MEMBER', clubId: clubA }), 'MEMBER', clubA)).toBe(false);
  });

  it('lets a network admin grant any role anywhere', () => {
    expect(canGrantRole(networkAdmin, 'NETWORK_ADMIN', null)).toBe(true);
    for (const clubId of [clubA, clubB]) {
      for (const role of ['MEMBER', 'STAFF', 'CLUB_ADMIN'] as const) {
        expect(canGrantRole(networkAdmin, role, clubId)).toBe(true);
      }
    }
  });

  it('refuses grants of the wrong shape, even to a network admin', () => {
    expect(canGrantRole(networkAdmin, 'NETWORK_ADMIN', clubA)).toBe(false);
    expect(canGrantRole(networkAdmin, 'STAFF', null)).toBe(false);
  });
});
