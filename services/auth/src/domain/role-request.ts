import { isRole, type RoleGrant } from '@clubland/authz';
import { isUuid } from '@clubland/errors';
import type { Checked } from './checked.ts';

/**
 * A grant or revocation as asked for: a known role, and a club exactly when the role is a club
 * role (NETWORK_ADMIN has none). An empty club id means "no club".
 */
export function checkRoleRequest(input: {
  userId: string;
  role: string;
  clubId: string;
}): Checked<{ userId: string; grant: RoleGrant }, 'userId' | 'role' | 'clubId'> {
  if (!isUuid(input.userId))
    return { ok: false, field: 'userId', message: 'userId must be a user id (UUID)' };
  if (!isRole(input.role)) {
    return { ok: false, field: 'role', message: 'role must be MEMBER, STAFF, CLUB_ADMIN or NETWORK_ADMIN' };
  }
  const clubId = input.clubId === '' ? null : input.clubId;
  if (input.role === 'NETWORK_ADMIN' && clubId !== null) {
    return { ok: false, field: 'clubId', message: 'NETWORK_ADMIN is network-wide: leave clubId empty' };
  }
  if (input.role !== 'NETWORK_ADMIN' && (clubId === null || !isUuid(clubId))) {
    return {
      ok: false,
      field: 'clubId',
      message: `${input.role} is held at a club: clubId must be a club id (UUID)`,
    };
  }
  return {
    ok: true,
    value: {
      userId: input.userId.toLowerCase(),
      grant: { role: input.role, clubId: clubId?.toLowerCase() ?? null },
    },
  };
}
