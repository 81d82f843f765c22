import { can, type Principal } from '@clubland/authz';
import type { Queryable } from '@clubland/db';
import { ClubError } from '@clubland/errors';
import type { FacilityRow } from '../store/facility-queries.ts';
import { allowsType, type VisitorTypes, visitorTypesAt } from './visitor-access.ts';

/**
 * Who may read a club's facilities: its members and staff (club:read there), and members of
 * another club while an ACTIVE agreement between the two allows the facility's type and the
 * facility admits reciprocal visitors. Anyone else: as if the facility did not exist.
 */
export type FacilityReader = { kind: 'member' } | { kind: 'visitor'; types: VisitorTypes };

export async function readerAt(
  tx: Queryable,
  principal: Principal | null,
  clubId: string,
): Promise<FacilityReader | null> {
  if (principal === null) throw new ClubError('request.unauthenticated', 'sign in first');
  if (can(principal, 'club:read', clubId)) return { kind: 'member' };
  const home = principal.homeClubId;
  // A visitor reads as a member of their own club (the token's grant there).
  if (!home || !can(principal, 'club:read', home)) return null;
  const types = await visitorTypesAt(tx, clubId, home);
  return types ? { kind: 'visitor', types } : null;
}

export function mayRead(reader: FacilityReader | null, facility: FacilityRow): boolean {
  if (reader === null) return false;
  if (reader.kind === 'member') return true;
  return facility.allowsReciprocalVisitors && allowsType(reader.types, facility.facilityType);
}

/** The club a call acts at: the one it names, or the caller's home club. */
export function actingClub(principal: Principal | null, clubId: string): string {
  if (principal === null) throw new ClubError('request.unauthenticated', 'sign in first');
  const club = clubId || principal.homeClubId;
  if (!club) throw new ClubError('request.invalid_input', 'name the club', { field: 'clubId' });
  return club;
}
