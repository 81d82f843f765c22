import { can } from '@clubland/authz';
import type { Queryable } from '@clubland/db';
import { ClubError, invalidInput, notFound } from '@clubland/errors';
import {
  type AvailabilityCheck,
  boundsOfDay,
  checkRange,
  isLocalDate,
  type Slot,
  slotsOfDay,
  slotsValidUntil,
} from '../domain/availability.ts';
import { MAX_BUFFER_MINUTES } from '../domain/facility-settings.ts';
import { createFacilityQueries } from '../store/facility-queries.ts';
import type { ClubOpsDeps, UseCaseContext } from './deps.ts';
import { mayRead, readerAt } from './facility-access.ts';
import type { FacilityDay } from './facility-day-cache.ts';
import { clubOfFacilityId, readableFacility } from './get-facilities.ts';

/**
 * Availability of a facility the caller may see (facility-access.ts): its schedule in the club's
 * time zone, its closures and the club's, the bookings holding units with the buffer after each,
 * and its capacity. The rules are domain/availability.ts; this reads what they need.
 */

export async function availableSlots(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  request: { facilityId: string; date: string; slotMinutes: number },
): Promise<{ slots: Slot[]; timezone: string }> {
  if (!isLocalDate(request.date)) throw invalidInput('date', 'date: a day, YYYY-MM-DD');
  if (
    request.slotMinutes !== 0 &&
    !(Number.isInteger(request.slotMinutes) && request.slotMinutes >= 5 && request.slotMinutes <= 1440)
  )
    throw invalidInput('slotDuration', 'slotDuration: minutes from 5 to 1440');
  // The zone is asked before the transaction opens: no connection is held across the RPC.
  const clubId = await clubOfFacilityId(deps, request.facilityId);
  const timezone = await timezoneOf(deps, clubId);
  let read: FacilityDay | undefined;
  if (context.principal !== null && can(context.principal, 'club:read', clubId)) {
    // A member of the club reads every facility there: the day may come from this instance's cache.
    read = await deps.facilityDays.read(clubId, request.facilityId, request.date);
  } else {
    read = await deps.db.withTenant(clubId, async (tx) => {
      const reader = await readerAt(tx, context.principal, clubId);
      if (reader === null) return undefined;
      const day = await readFacilityDay(deps, tx, clubId, request.facilityId, request.date, timezone);
      return day && mayRead(reader, day.facility) ? day : undefined;
    });
  }
  if (!read) throw notFound('facility', request.facilityId);
  // Computed after the commit: the connection goes back to the pool before the slots' CPU work.
  const slotMinutes =
    request.slotMinutes || Math.max(read.facility.slotMinutes, read.facility.minBookingMinutes);
  return { slots: slotsOf(read, request.date, slotMinutes, timezone, context.clock()), timezone };
}

/**
 * Slots computed from a facility day, kept with that day's object (a remembered day is shared by
 * its readers until it is forgotten) by slot length and zone, for as long as the clock leaves them
 * right (slotsValidUntil); a day read for one call only is computed once and dropped with it.
 */
const computedSlots = new WeakMap<
  FacilityDay,
  Map<string, { slots: Slot[]; computedAt: number; validUntil: number }>
>();

function slotsOf(day: FacilityDay, date: string, slotMinutes: number, timezone: string, now: Date): Slot[] {
  const key = `${slotMinutes} ${timezone}`;
  let byLength = computedSlots.get(day);
  const kept = byLength?.get(key);
  const at = now.getTime();
  if (kept && at >= kept.computedAt && at < kept.validUntil) return kept.slots;
  const slots = slotsOfDay(day.facility, day.closures, day.held, date, slotMinutes, timezone, now);
  if (!byLength) {
    byLength = new Map();
    computedSlots.set(day, byLength);
  }
  byLength.set(key, { slots, computedAt: at, validUntil: slotsValidUntil(slots, day.facility, now) });
  return slots;
}

/**
 * The facility, its closures over the day and the bookings around it, in one round trip: the
 * bookings as far around the day as any facility's buffer reaches (slotsOfDay counts those this
 * one's reaches). Undefined when the facility is not there.
 */
export async function readFacilityDay(
  deps: Pick<ClubOpsDeps, 'heldBookings'>,
  tx: Queryable,
  clubId: string,
  facilityId: string,
  date: string,
  timezone: string,
): Promise<FacilityDay | undefined> {
  const day = boundsOfDay(date, timezone);
  const reach = MAX_BUFFER_MINUTES * 60_000;
  const facilities = createFacilityQueries(tx);
  const [facility, closures, held] = await Promise.all([
    facilities.findById(facilityId),
    facilities.closuresOverlapping(clubId, facilityId, day.start, day.end),
    deps.heldBookings.overlapping(
      tx,
      facilityId,
      { from: new Date(day.start.getTime() - reach), to: new Date(day.end.getTime() + reach) },
      null,
    ),
  ]);
  return facility ? { facility, closures, held } : undefined;
}

export async function checkAvailability(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  request: { facilityId: string; start: Date | null; end: Date | null; excludeBookingId: string | null },
): Promise<AvailabilityCheck> {
  const { start, end } = request;
  if (!start || !end || end <= start) throw invalidInput('endTime', 'endTime: after startTime');
  const clubId = await clubOfFacilityId(deps, request.facilityId);
  const timezone = await timezoneOf(deps, clubId);
  return readableFacility(
    deps,
    context,
    request.facilityId,
    async (tx, facility) => {
      const buffer = facility.bufferMinutes * 60_000;
      const around = { from: new Date(start.getTime() - buffer), to: new Date(end.getTime() + buffer) };
      const [closures, held] = await Promise.all([
        createFacilityQueries(tx).closuresOverlapping(facility.clubId, facility.id, start, end),
        deps.heldBookings.overlapping(tx, facility.id, around, request.excludeBookingId),
      ]);
      return checkRange(facility, closures, held, { start, end }, timezone, context.clock());
    },
    clubId,
  );
}

/** The club's IANA time zone, from the member service's directory (cached briefly). */
export async function timezoneOf(deps: ClubOpsDeps, clubId: string): Promise<string> {
  const club = (await deps.clubs.describe([clubId])).get(clubId);
  if (!club) throw new ClubError('club.not_found', `club ${clubId} was not found`);
  return club.timezone;
}
