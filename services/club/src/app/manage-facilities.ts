import { authorize, can } from '@clubland/authz';
import { addToOutbox } from '@clubland/bus';
import { ClubError, invalidInput, notFound } from '@clubland/errors';
import { applySettings, type FacilityPatch, type FacilitySettings } from '../domain/facility-settings.ts';
import {
  facilityCreatedEvent,
  facilityDeletedEvent,
  facilityUpdatedEvent,
} from '../events/facility-events.ts';
import { clubsOfFacilities, createFacilityQueries, type FacilityRow } from '../store/facility-queries.ts';
import { CLUB_SCHEMA, type ClubOpsDeps, type UseCaseContext } from './deps.ts';
import { actingClub } from './facility-access.ts';

/**
 * Creating, changing and deleting a club's facilities: club:write at the club, the settings
 * checked whole (domain/facility-settings.ts), the row and its event in one tenant transaction.
 */

export async function createFacility(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  request: { clubId: string; settings: FacilityPatch },
): Promise<FacilityRow> {
  const clubId = actingClub(context.principal, request.clubId);
  authorize(context.principal, 'club:write', clubId);
  const principal = context.principal;
  const settings = checked(null, request.settings);
  const clubs = await deps.clubs.describe([clubId]);
  if (!clubs.has(clubId)) throw new ClubError('club.not_found', `club ${clubId} was not found`);
  const now = context.clock();
  const row: FacilityRow = {
    ...settings,
    id: context.newId(),
    clubId,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  await deps.db.withTenant(clubId, async (tx) => {
    await createFacilityQueries(tx).insert(row);
    await addToOutbox(tx, CLUB_SCHEMA, [facilityCreatedEvent(row, context, principal.userId)]);
  });
  deps.eventsWritten();
  return row;
}

export async function updateFacility(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  request: { id: string; settings: FacilityPatch },
): Promise<FacilityRow> {
  const clubId = await clubOfFacility(deps, context, request.id);
  const principal = context.principal!;
  const updated = await deps.db.withTenant(clubId, async (tx) => {
    const facilities = createFacilityQueries(tx);
    // Held while it changes: a booking checked against the old hours waits for the new ones.
    const current = await facilities.findById(request.id, { forUpdate: true });
    if (!current) throw notFound('facility', request.id);
    const settings = checked(current as FacilitySettings, request.settings);
    const fields = (Object.keys(settings) as (keyof FacilitySettings)[]).filter(
      (key) => JSON.stringify(settings[key]) !== JSON.stringify(current[key]),
    );
    const row: FacilityRow = { ...current, ...settings, updatedAt: context.clock() };
    if (fields.length === 0) return current;
    await facilities.update(row);
    await addToOutbox(tx, CLUB_SCHEMA, [facilityUpdatedEvent(row, fields, context, principal.userId)]);
    return row;
  });
  deps.eventsWritten();
  deps.facilityDays.forget(request.id);
  return updated;
}

/**
 * Marks a facility deleted, unless bookings are open at it from now on: those are refused with
 * their count (CONFLICT), so nobody's booking disappears silently. Held FOR UPDATE first, so a
 * booking made meanwhile waits and then finds the facility gone.
 */
export async function deleteFacility(deps: ClubOpsDeps, context: UseCaseContext, id: string): Promise<void> {
  const clubId = await clubOfFacility(deps, context, id);
  const principal = context.principal!;
  await deps.db.withTenant(clubId, async (tx) => {
    const facilities = createFacilityQueries(tx);
    const current = await facilities.findById(id, { forUpdate: true });
    if (!current) throw notFound('facility', id);
    const now = context.clock();
    const futureBookings = await deps.futureBookings.count(tx, id, now);
    if (futureBookings > 0)
      throw new ClubError(
        'facility.has_future_bookings',
        `the facility has ${futureBookings} booking(s) from now on: cancel them first`,
        { futureBookings },
      );
    await facilities.markDeleted(id, now);
    await addToOutbox(tx, CLUB_SCHEMA, [facilityDeletedEvent(current, context, principal.userId)]);
  });
  deps.eventsWritten();
  deps.facilityDays.forget(id);
}

/** The facility's club, once the caller is known to hold club:write there; NOT_FOUND otherwise. */
export async function clubOfFacility(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  id: string,
): Promise<string> {
  const clubId = (await deps.db.readAtOnce(null, (tx) => clubsOfFacilities(tx, [id]))).get(id);
  // Outside the club (a visitor included), a facility is not named to anyone who may not change it.
  if (!clubId || (context.principal && !can(context.principal, 'club:read', clubId)))
    throw notFound('facility', id);
  authorize(context.principal, 'club:write', clubId);
  return clubId;
}

function checked(current: FacilitySettings | null, patch: FacilityPatch): FacilitySettings {
  const result = applySettings(current, patch);
  if (!result.ok) throw invalidInput(result.field, result.message);
  return result.settings;
}
