import type { Db, Queryable } from '@clubland/db';
import type { VisitorAgreements } from './event-members.ts';

/**
 * What a member of one club (home) may use at another (host): the facility types an ACTIVE
 * reciprocal agreement between the two allows, as club.visitor_agreements (visitor-agreements.ts)
 * last heard. Whether the facility itself admits visitors is the facility's own rule, checked by
 * the caller beside this one.
 */
export type VisitorTypes = 'ALL' | ReadonlySet<string>;

/** The types allowed, over every ACTIVE agreement of the pair; null: none in force. */
export async function visitorTypesAt(
  db: Queryable,
  hostClubId: string,
  homeClubId: string,
): Promise<VisitorTypes | null> {
  if (hostClubId === homeClubId) return null;
  const { rows } = await db.query<{ allowed: string[] | null }>(
    `SELECT allowed_facilities AS allowed FROM club.visitor_agreements
      WHERE least(proposer_club_id, partner_club_id) = least($1::uuid, $2::uuid)
        AND greatest(proposer_club_id, partner_club_id) = greatest($1::uuid, $2::uuid)
        AND status = 'ACTIVE'`,
    [hostClubId, homeClubId],
  );
  if (rows.length === 0) return null;
  // An agreement whose event did not say (allowed NULL) allows nothing; an empty list allows all.
  if (rows.some((row) => row.allowed !== null && row.allowed.length === 0)) return 'ALL';
  return new Set(rows.flatMap((row) => row.allowed ?? []));
}

export function allowsType(types: VisitorTypes | null, facilityType: string): boolean {
  return types === 'ALL' || (types?.has(facilityType) ?? false);
}

/**
 * Whether a member of `homeClubId` may use a facility of `facilityType` at `hostClubId` under an
 * agreement in force (for the bookings' use cases; the facility's allowsReciprocalVisitors is
 * theirs to check with it).
 */
export async function mayVisitorUse(
  db: Queryable,
  hostClubId: string,
  homeClubId: string,
  facilityType: string,
): Promise<boolean> {
  return allowsType(await visitorTypesAt(db, hostClubId, homeClubId), facilityType);
}

/** The events' question (is any agreement between the two clubs in force?) over the same read model. */
export function visitorAgreementsOver(db: Db): VisitorAgreements {
  return {
    isActive: async (hostClubId, homeClubId) =>
      (await db.readAtOnce(null, (tx) => visitorTypesAt(tx, hostClubId, homeClubId))) !== null,
  };
}
