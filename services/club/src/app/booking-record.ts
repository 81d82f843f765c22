import { addToOutbox } from '@clubland/bus';
import { sqlStateOf, type Tx } from '@clubland/db';
import { ClubError } from '@clubland/errors';
import { initialStatus } from '../domain/booking-lifecycle.ts';
import type { BookingRefusal } from '../domain/booking-rules.ts';
import { bookingStatusChangedEvent } from '../events/booking-builders.ts';
import { type BookingView, createBookingQueries, type NewBooking } from '../store/booking-queries.ts';
import { createWaitlistQueries } from '../store/booking-waitlist-queries.ts';
import type { FacilityRow } from '../store/facility-queries.ts';
import { CLUB_SCHEMA, type UseCaseContext } from './deps.ts';

/** SQLSTATE exclusion_violation: the unit was taken by a transaction that committed first. */
export const EXCLUSION_VIOLATION = '23P01';

/** booking.refused with every reason; thrown inside the transaction, so nothing is written. */
export function refused(reasons: readonly BookingRefusal[]): ClubError {
  return new ClubError('booking.refused', `the booking is refused: ${reasons.join(', ')}`, {
    reasons: [...reasons],
  });
}

/**
 * Runs a booking transaction again when another transaction took the unit it had picked (23P01):
 * the next attempt sees that booking and picks another unit, or finds none (SLOT_TAKEN).
 */
export async function retryOnTakenUnit<T>(attempt: () => Promise<T>, attempts = 3): Promise<T> {
  for (let left = attempts; ; left--) {
    try {
      return await attempt();
    } catch (error) {
      if (sqlStateOf(error) !== EXCLUSION_VIOLATION) throw error;
      if (left <= 1) throw refused(['SLOT_TAKEN']);
    }
  }
}

/** When the unit stays taken until: the end plus the facility's buffer. */
export const blockedUntil = (facility: Pick<FacilityRow, 'bufferMinutes'>, endsAt: Date) =>
  new Date(endsAt.getTime() + facility.bufferMinutes * 60_000);

/**
 * Inserts the booking into the facility's first free unit, with its first history line and
 * booking.status_changed; null when every unit is taken for the range.
 */
export async function placeBooking(
  tx: Tx,
  facility: FacilityRow,
  row: NewBooking,
  change: { reason: string | null; changedBy: string | null },
  context: UseCaseContext,
): Promise<BookingView | null> {
  const bookings = createBookingQueries(tx);
  const booking = await bookings.insertInFreeUnit(row, facility.capacity);
  if (!booking) return null;
  // Its first history line and booking.status_changed: one round trip.
  await Promise.all([
    bookings.addChange({
      id: context.newId(),
      clubId: row.clubId,
      bookingId: row.id,
      fromStatus: null,
      toStatus: row.status,
      reason: change.reason,
      changedBy: change.changedBy,
      changedAt: row.createdAt,
    }),
    addToOutbox(tx, CLUB_SCHEMA, [
      bookingStatusChangedEvent(booking, { from: null, ...change, changedAt: row.createdAt }, context),
    ]),
  ]);
  return booking;
}

/**
 * A range of the facility was freed (a cancellation, a booking moved): the members waiting for a
 * range inside it are booked, oldest first, as far as units allow, in the caller's transaction.
 * Caps are not counted again (they were when the member joined the queue). Each attempt runs under
 * a savepoint: a unit taken meanwhile by another transaction skips that entry, not the cancellation.
 */
export async function promoteWaiting(
  tx: Tx,
  facility: FacilityRow,
  freed: { startsAt: Date; endsAt: Date },
  currency: string,
  context: UseCaseContext,
): Promise<BookingView[]> {
  const now = context.clock();
  const waitlist = createWaitlistQueries(tx);
  const promoted: BookingView[] = [];
  for (const entry of await waitlist.waitingWithin(facility.id, freed.startsAt, freed.endsAt)) {
    if (entry.startsAt < now) continue;
    const bookingId = context.newId();
    await tx.query('SAVEPOINT promote_waiting');
    try {
      const booking = await placeBooking(
        tx,
        facility,
        {
          id: bookingId,
          clubId: entry.clubId,
          facilityId: facility.id,
          memberId: entry.memberId,
          userId: entry.userId,
          startsAt: entry.startsAt,
          endsAt: entry.endsAt,
          blockedUntil: blockedUntil(facility, entry.endsAt),
          status: initialStatus({ requiresApproval: false, byVisitor: entry.memberId === null }),
          guestCount: entry.guestCount,
          purpose: entry.purpose,
          specialRequests: null,
          currency,
          createdBy: entry.createdBy,
          createdAt: now,
        },
        { reason: 'promoted from the waitlist', changedBy: null },
        context,
      );
      if (booking) {
        await waitlist.markPromoted(entry.id, booking.id);
        promoted.push(booking);
      }
      await tx.query('RELEASE SAVEPOINT promote_waiting');
    } catch (error) {
      if (sqlStateOf(error) !== EXCLUSION_VIOLATION) throw error;
      await tx.query('ROLLBACK TO SAVEPOINT promote_waiting');
    }
  }
  return promoted;
}
