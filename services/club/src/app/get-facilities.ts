import { notFound } from '@clubland/errors';
import { FACILITY_TYPES } from '../domain/facility.ts';
import {
  type ClosureRow,
  clubsOfFacilities,
  createFacilityQueries,
  type FacilityRow,
} from '../store/facility-queries.ts';
import type { ClubOpsDeps, UseCaseContext } from './deps.ts';
import { actingClub, type FacilityReader, mayRead, readerAt } from './facility-access.ts';

/** Reads of facilities: straight to the store, each club's in its own tenant transaction. */

/** Facilities by id as the caller may see them; the others are absent, like unknown ids. */
export async function getFacilities(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  ids: readonly string[],
): Promise<FacilityRow[]> {
  if (ids.length === 0) return [];
  const clubs = new Map(
    ids.flatMap((id) => (deps.facilityClubs.has(id) ? [[id, deps.facilityClubs.get(id)!]] : [])),
  );
  const unknown = ids.filter((id) => !clubs.has(id));
  if (unknown.length > 0) {
    for (const [id, clubId] of await deps.db.readAtOnce(null, (tx) => clubsOfFacilities(tx, unknown))) {
      clubs.set(id, clubId);
      rememberClub(deps, id, clubId);
    }
  }
  const byClub = new Map<string, string[]>();
  for (const [id, clubId] of clubs) byClub.set(clubId, [...(byClub.get(clubId) ?? []), id]);
  const found = await Promise.all(
    [...byClub].map(([clubId, clubIds]) =>
      deps.db.withTenant(clubId, async (tx) => {
        const reader = await readerAt(tx, context.principal, clubId);
        if (reader === null) return [];
        return (await createFacilityQueries(tx).findByIds(clubIds)).filter((row) => mayRead(reader, row));
      }),
    ),
  );
  const byId = new Map(found.flat().map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

type Tx = Parameters<Parameters<ClubOpsDeps['db']['withTenant']>[1]>[0];

/** Facilities whose club an instance remembers (a few bytes each); past it, it starts again. */
const REMEMBERED_FACILITY_CLUBS = 50_000;

/**
 * The club holding a facility (club.facility_directory, a network read); NOT_FOUND for an unknown id.
 * Remembered once found: a facility never changes club, and a deleted one is refused by the tenant
 * read that follows (readableFacility) exactly as an unknown id.
 */
export async function clubOfFacilityId(deps: ClubOpsDeps, id: string): Promise<string> {
  const known = deps.facilityClubs.get(id);
  if (known) return known;
  const clubId = (await deps.db.readAtOnce(null, (tx) => clubsOfFacilities(tx, [id]))).get(id);
  if (!clubId) throw notFound('facility', id);
  rememberClub(deps, id, clubId);
  return clubId;
}

function rememberClub(deps: ClubOpsDeps, facilityId: string, clubId: string): void {
  if (deps.facilityClubs.size >= REMEMBERED_FACILITY_CLUBS) deps.facilityClubs.clear();
  deps.facilityClubs.set(facilityId, clubId);
}

/**
 * Runs `then` in the club's tenant transaction with one facility the caller may see; NOT_FOUND
 * otherwise, exactly as for an unknown id. `clubId`: the facility's, when the caller looked it up first.
 */
export async function readableFacility<T>(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  id: string,
  then: (tx: Tx, facility: FacilityRow, reader: FacilityReader) => Promise<T>,
  clubId?: string,
): Promise<T> {
  const club = clubId ?? (await clubOfFacilityId(deps, id));
  return deps.db.withTenant(club, async (tx) => {
    const reader = await readerAt(tx, context.principal, club);
    const facility = reader ? await createFacilityQueries(tx).findById(id) : null;
    if (!facility || !mayRead(reader, facility)) throw notFound('facility', id);
    return then(tx, facility, reader!);
  });
}

export async function listFacilities(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  request: { clubId: string; facilityType: string; isActive: boolean | null; page: number; pageSize: number },
): Promise<{ facilities: FacilityRow[]; total: number; page: number; pageSize: number }> {
  const clubId = actingClub(context.principal, request.clubId);
  const page = Math.max(1, request.page || 1);
  const pageSize = Math.min(100, Math.max(1, request.pageSize || 20));
  return deps.db.withTenant(clubId, async (tx) => {
    const reader = await readerAt(tx, context.principal, clubId);
    const empty = { facilities: [], total: 0, page, pageSize };
    if (reader === null) return empty;
    let types: string[] | null = request.facilityType ? [request.facilityType] : null;
    if (reader.kind === 'visitor' && reader.types !== 'ALL') {
      const allowed = [...reader.types];
      types = types ? types.filter((type) => allowed.includes(type)) : allowed;
    }
    if (types?.every((type) => !(FACILITY_TYPES as readonly string[]).includes(type))) return empty;
    const { rows, total } = await createFacilityQueries(tx).list(
      clubId,
      { types, isActive: request.isActive, visitorsOnly: reader.kind === 'visitor' },
      { limit: pageSize, offset: (page - 1) * pageSize },
    );
    return { facilities: rows, total, page, pageSize };
  });
}

/** A facility's closures and maintenance windows overlapping [from, to) (default: now to its horizon). */
export async function listClosures(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  request: { facilityId: string; from: Date | null; to: Date | null },
): Promise<ClosureRow[]> {
  return readableFacility(deps, context, request.facilityId, (tx, facility) => {
    const from = request.from ?? context.clock();
    const to = request.to ?? new Date(from.getTime() + (facility.advanceBookingDays + 1) * 86_400_000);
    return createFacilityQueries(tx).listClosures(facility.id, from, to);
  });
}
