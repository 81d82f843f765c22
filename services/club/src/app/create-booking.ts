import { authorize, type Principal } from '@clubland/authz';
import type { Tx } from '@clubland/db';
import { ClubError, invalidInput, notFound } from '@clubland/errors';
import { initialStatus } from '../domain/booking-lifecycle.ts';
import {
  type Booker,
  type BookingRefusal,
  checkBooker,
  checkCaps,
  NO_SHOW_WINDOW_DAYS,
} from '../domain/booking-rules.ts';
import { checkBookable } from '../domain/facility-schedule.ts';
import { type BookingView, createBookingQueries } from '../store/booking-queries.ts';
import { createFacilityQueries, type FacilityRow } from '../store/facility-queries.ts';
import { ownClubs } from './booking-access.ts';
import { blockedUntil, placeBooking, refused, retryOnTakenUnit } from './booking-record.ts';
import { type ClubOpsDeps, clubFactOf, type UseCaseContext } from './deps.ts';

export interface CreateBookingInput {
  /** Null: the facility's club among the caller's clubs. */
  clubId: string | null;
  facilityId: string;
  /** Staff booking for a member (booking:manage); null: the caller books for themselves. */
  memberId: string | null;
  startsAt: Date;
  endsAt: Date;
  guestCount: number;
  purpose: string | null;
  specialRequests: string | null;
}

/**
 * Books a unit of a facility. Everything that can refuse it is checked in one tenant transaction:
 * the schedule (domain/facility-schedule.ts), the booker's standing and membership type, the
 * facility's per-member caps counted with the member's lock row held (so a member's concurrent
 * requests pass a cap one at a time), and a free unit, which the database's exclusion constraint
 * has the last word on. A refusal names every reason that applies and writes nothing.
 */
export async function createBooking(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  input: CreateBookingInput,
): Promise<BookingView> {
  if (!context.principal) throw new ClubError('request.unauthenticated', 'sign in first');
  const principal = context.principal;
  validateDetails(input);
  const clubId = input.clubId ?? (await clubOfFacility(deps, principal, input.facilityId));

  let booker: Booker;
  if (input.memberId !== null) {
    authorize(principal, 'booking:manage', clubId);
    const member = await deps.bookers.member(principal, clubId, input.memberId);
    if (!member) throw notFound('member', input.memberId);
    booker = member;
  } else {
    booker = await deps.bookers.self(principal, clubId);
    // A member books under booking:create; someone with no member record here is refused below
    // with NOT_A_MEMBER (a reciprocal visitor, until visitor access lands), not FORBIDDEN.
    if (booker.memberId !== null) authorize(principal, 'booking:create', clubId);
  }
  const club = await clubFactOf(deps.clubs, clubId);
  if (!club) throw notFound('club', clubId);

  const now = context.clock();
  const result = await retryOnTakenUnit(() =>
    deps.db.withTenant(clubId, async (tx) => {
      // The facility is read in the same round trip as the reasons' reads (they need only its id).
      const facilityRead = createFacilityQueries(tx).findById(input.facilityId);
      const reasonsRead = reasonsAgainst(tx, {
        facility: { id: input.facilityId, clubId },
        rules: facilityRead,
        booker,
        range: input,
        guestCount: input.guestCount,
        timezone: club.timezone,
        now,
        exceptId: null,
      });
      const [facility, reasons] = await Promise.all([facilityRead, reasonsRead]);
      if (!facility) throw notFound('facility', input.facilityId);
      if (reasons.length > 0) throw refused(reasons);
      const booking = await placeBooking(
        tx,
        facility,
        {
          id: context.newId(),
          clubId,
          facilityId: facility.id,
          memberId: booker.memberId,
          userId: booker.userId,
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          blockedUntil: blockedUntil(facility, input.endsAt),
          // Facilities carry no approval flag yet: members' bookings start CONFIRMED.
          status: initialStatus({ requiresApproval: false, byVisitor: booker.memberId === null }),
          guestCount: input.guestCount,
          purpose: input.purpose,
          specialRequests: input.specialRequests,
          currency: club.currency,
          createdBy: principal.userId,
          createdAt: now,
        },
        { reason: null, changedBy: principal.userId },
        context,
      );
      if (!booking) throw refused(['SLOT_TAKEN']);
      return booking;
    }),
  );
  deps.eventsWritten();
  deps.facilityDays.forget(result.facilityId);
  return result;
}

/**
 * Every reason the booker may not have the range (all but a free unit, which the insert finds).
 * Locks the member's row before counting, so the caps are counted after any concurrent booking of
 * theirs. Its reads go out together (one round trip; the connection runs them in order, the lock
 * first): `rules`, when given, is the facility's row still being read beside them (a booking reads
 * it in the same round trip); null there refuses nothing (the caller answers NOT_FOUND).
 */
export async function reasonsAgainst(
  tx: Tx,
  input: {
    facility: Pick<FacilityRow, 'id' | 'clubId'> & Partial<FacilityRow>;
    rules?: Promise<FacilityRow | null>;
    booker: Booker;
    range: { startsAt: Date; endsAt: Date };
    guestCount: number;
    timezone: string;
    now: Date;
    /** The booking being changed, not counted against itself. */
    exceptId: string | null;
  },
): Promise<BookingRefusal[]> {
  const { booker, range, now } = input;
  const { id: facilityId, clubId } = input.facility;
  const bookings = createBookingQueries(tx);
  const holderId = booker.memberId ?? booker.userId;
  const [closures, , counts, facility] = await Promise.all([
    createFacilityQueries(tx).closuresOverlapping(clubId, facilityId, range.startsAt, range.endsAt),
    holderId === null ? null : bookings.lockHolder(clubId, holderId),
    holderId === null
      ? null
      : bookings.countsFor({
          clubId,
          facilityId,
          holderId,
          // A uuid no booking has: nothing excluded.
          exceptId: input.exceptId ?? '00000000-0000-0000-0000-000000000000',
          weekOf: range.startsAt,
          timezone: input.timezone,
          noShowsSince: new Date(now.getTime() - NO_SHOW_WINDOW_DAYS * 86_400_000),
        }),
    input.rules ?? (input.facility as FacilityRow),
  ]);
  if (!facility) return [];
  const schedule = checkBookable(
    facility,
    closures,
    { start: range.startsAt, end: range.endsAt },
    input.timezone,
    now,
  );
  return [
    ...(schedule.ok ? [] : schedule.reasons),
    ...checkBooker(booker, facility, input.guestCount),
    ...(counts ? checkCaps(facility, counts) : []),
  ];
}

/** The club of a facility, among the clubs the caller acts for (row-level security hides the rest). */
async function clubOfFacility(deps: ClubOpsDeps, principal: Principal, facilityId: string): Promise<string> {
  for (const clubId of ownClubs(principal)) {
    const found = await deps.db.readAtOnce(clubId, (tx) => createFacilityQueries(tx).findById(facilityId));
    if (found) return clubId;
  }
  throw notFound('facility', facilityId);
}

export function validateDetails(input: {
  startsAt: Date;
  endsAt: Date;
  guestCount: number;
  purpose: string | null;
  specialRequests: string | null;
}): void {
  if (Number.isNaN(input.startsAt.getTime())) throw invalidInput('startTime', 'startTime is required');
  if (Number.isNaN(input.endsAt.getTime())) throw invalidInput('endTime', 'endTime is required');
  if (input.endsAt <= input.startsAt) throw invalidInput('endTime', 'endTime must be after startTime');
  if (!Number.isInteger(input.guestCount) || input.guestCount < 0)
    throw invalidInput('guestCount', 'guestCount must be 0 or more');
  if (input.purpose !== null && input.purpose.length > 500)
    throw invalidInput('purpose', 'purpose must be at most 500 characters');
  if (input.specialRequests !== null && input.specialRequests.length > 1000)
    throw invalidInput('specialRequests', 'specialRequests must be at most 1000 characters');
}
