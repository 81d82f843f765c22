import { authorize, can, type Principal } from '@clubland/authz';
import { assertClubId } from '@clubland/db';
import { ClubError, invalidInput } from '@clubland/errors';
import type { MemberRow } from '../store/member-queries.ts';

/**
 * Who may do what with a club's members. Permissions come from @clubland/authz's one table;
 * this file adds the one rule it cannot know: a member may see their own record.
 */

/** The club a call acts in: the one it names, else the caller's home club. */
export function clubOfCall(principal: Principal | null, requestedClubId: string): string {
  if (requestedClubId === '' && !principal) throw new ClubError('request.unauthenticated', 'sign in first');
  const clubId = requestedClubId !== '' ? requestedClubId : (principal?.homeClubId ?? '');
  if (clubId === '') throw invalidInput('clubId', 'clubId is required when the caller has no home club');
  return assertClubId(clubId);
}

/** How the caller may read the club's members: all of them (staff), or only their own record. */
export type Reader = { principal: Principal; scope: 'roster' | 'self' };

export function authorizeMemberRead(
  principal: Principal | null,
  clubId: string,
  permission: 'member:read' | 'member:export' = 'member:read',
): Reader {
  if (can(principal, permission, clubId)) return { principal: principal!, scope: 'roster' };
  if (principal && (principal.homeClubId === clubId || can(principal, 'club:read', clubId))) {
    return { principal, scope: 'self' };
  }
  authorize(principal, permission, clubId);
  throw new ClubError('request.forbidden', `missing permission ${permission}`, { permission });
}

/** A self-scoped reader sees their own record only; staff notes stay with the staff. */
export function guardRead(reader: Reader, member: MemberRow): MemberRow {
  if (reader.scope === 'roster') return member;
  if (member.userId !== reader.principal.userId) {
    throw new ClubError('request.forbidden', 'members may read only their own record', {
      permission: 'member:read',
    });
  }
  return { ...member, notes: null };
}
