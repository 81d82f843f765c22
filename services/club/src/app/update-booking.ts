import { addToOutbox } from '@clubland/bus';
import { ClubError, notFound } from '@clubland/errors';
import { isOpen } from '../domain/booking-lifecycle.ts';
import type { Booker } from '../domain/booking-rules.ts';
import { bookingStatusChangedEvent } from '../events/booking-builders.ts';
import { type BookingView, createBookingQueries } from '../store/booking-queries.ts';
import { createFacilityQueries } from '../store/facility-queries.ts';
import { requireBookingActor } from './booking-access.ts';
import { blockedUntil, promoteWaiting, refused, retryOnTakenUnit } from './booking-record.ts';
import { reasonsAgainst, validateDetails } from './create-booking.ts';
import { CLUB_SCHEMA, type ClubOpsDeps, clubFactOf, type UseCaseContext } from './deps.ts';

export interface UpdateBookingInput {
  bookingId: string;
  startsAt?: Date | undefined;
  endsAt?: Date | undefined;
  guestCount?: number | undefined;
  purpose?: string | undefined;
  specialRequests?: string | undefined;
}

/**
 * Changes an open booking's times, guests, purpose or requests: the member for their own, or the
 * club's staff. New times are checked as a new booking is (schedule, caps, a free unit, the
 * booking not counted against itself) and the range given up goes to the waitlist; a refusal
 * writes nothing. The member's standing is not asked again: it was when they booked.
 */
export async function updateBooking(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  input: UpdateBookingInput,
): Promise<BookingView> {
  if (!context.principal) throw new ClubError('request.unauthenticated', 'sign in first');
  const { booking: seen } = await requireBookingActor(deps, context.principal, input.bookingId, [
    'staff',
    'member',
  ]);
  const next = {
    startsAt: input.startsAt ?? seen.startsAt,
    endsAt: input.endsAt ?? seen.endsAt,
    guestCount: input.guestCount ?? seen.guestCount,
    purpose: input.purpose === undefined ? seen.purpose : input.purpose.trim() || null,
    specialRequests:
      input.specialRequests === undefined ? seen.specialRequests : input.specialRequests.trim() || null,
  };
  validateDetails(next);
  const club = await clubFactOf(deps.clubs, seen.clubId);
  if (!club) throw notFound('club', seen.clubId);
  const now = context.clock();
  const booker: Booker = {
    memberId: seen.memberId,
    userId: seen.userId,
    status: seen.memberId === null ? null : 'ACTIVE',
    membershipType: null,
  };

  const result = await retryOnTakenUnit(() =>
    deps.db.withTenant(seen.clubId, async (tx) => {
      const bookings = createBookingQueries(tx);
      // FOR UPDATE: a concurrent cancellation or check-in waits, and this sees its outcome.
      const current = await bookings.findById(seen.id, { forUpdate: true });
      if (!current) throw notFound('booking', seen.id);
      if (!isOpen(current.status) || current.status === 'CHECKED_IN') {
        throw new ClubError('booking.transition_refused', `a ${current.status} booking cannot be changed`, {
          from: current.status,
          to: current.status,
        });
      }
      const facility = await createFacilityQueries(tx).findById(current.facilityId);
      if (!facility) throw notFound('facility', current.facilityId);
      const moved =
        next.startsAt.getTime() !== current.startsAt.getTime() ||
        next.endsAt.getTime() !== current.endsAt.getTime();
      if (moved || next.guestCount !== current.guestCount) {
        const reasons = await reasonsAgainst(tx, {
          facility,
          // Membership type not asked again; guests and caps are.
          booker,
          range: next,
          guestCount: next.guestCount,
          timezone: club.timezone,
          now,
          exceptId: current.id,
        });
        // Not moving: only the guests changed; the schedule (e.g. an already started booking) is not re-judged.
        const relevant = moved ? reasons : reasons.filter((reason) => reason === 'TOO_MANY_GUESTS');
        if (relevant.length > 0) throw refused(relevant);
      }
      if (moved) {
        const placed = await bookings.moveToFreeUnit(
          current,
          facility.capacity,
          { ...next, blockedUntil: blockedUntil(facility, next.endsAt) },
          now,
        );
        if (!placed) throw refused(['SLOT_TAKEN']);
      }
      await bookings.updateDetails(current.id, next, now);
      const updated = (await bookings.findById(current.id))!;
      if (moved) {
        await addToOutbox(tx, CLUB_SCHEMA, [
          bookingStatusChangedEvent(
            updated,
            {
              from: current.status,
              reason: 'rescheduled',
              changedBy: context.principal!.userId,
              changedAt: now,
            },
            context,
          ),
        ]);
        await promoteWaiting(tx, facility, current, club.currency, context);
      }
      return updated;
    }),
  );
  deps.eventsWritten();
  deps.facilityDays.forget(result.facilityId);
  return result;
}
