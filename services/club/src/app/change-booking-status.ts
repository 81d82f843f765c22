import { addToOutbox } from '@clubland/bus';
import { ClubError, invalidInput, notFound } from '@clubland/errors';
import { type BookingStatus, checkBookingTransition } from '../domain/booking-lifecycle.ts';
import { cancellationFeeOf } from '../domain/booking-rules.ts';
import { bookingStatusChangedEvent } from '../events/booking-builders.ts';
import { type BookingView, createBookingQueries } from '../store/booking-queries.ts';
import { createFacilityQueries } from '../store/facility-queries.ts';
import { type BookingActor, requireBookingActor } from './booking-access.ts';
import { promoteWaiting } from './booking-record.ts';
import { CLUB_SCHEMA, type ClubOpsDeps, clubFactOf, type UseCaseContext } from './deps.ts';

export interface BookingStatusInput {
  bookingId: string;
  to: Exclude<BookingStatus, 'REQUESTED'>;
  reason: string;
}

/**
 * Who may make each move: staff confirm and mark no-shows; the member may also check themselves in
 * and out at the facility and cancel their own booking.
 */
const MOVERS: Readonly<Record<BookingStatusInput['to'], readonly BookingActor[]>> = {
  CONFIRMED: ['staff'],
  CHECKED_IN: ['staff', 'member'],
  COMPLETED: ['staff', 'member'],
  NO_SHOW: ['staff'],
  CANCELLED: ['staff', 'member'],
};

/**
 * Moves a booking through its lifecycle (domain/booking-lifecycle.ts): the row, its history and
 * booking.status_changed in one transaction. A cancellation after the facility's deadline costs
 * its fee (waived when staff cancel someone else's booking: the club cancelled), and the range it
 * frees goes at once to the first waiting members, in the same transaction. A no-show counts
 * against the member (their no-shows wear off after NO_SHOW_WINDOW_DAYS).
 */
export async function changeBookingStatus(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  input: BookingStatusInput,
): Promise<BookingView> {
  if (!context.principal) throw new ClubError('request.unauthenticated', 'sign in first');
  const principal = context.principal;
  const reason = input.reason.trim();
  if (input.to === 'CANCELLED' && reason.length === 0)
    throw invalidInput('reason', 'a cancellation needs a reason');
  if (reason.length > 1000) throw invalidInput('reason', 'reason must be at most 1000 characters');
  const { booking: seen, actor } = await requireBookingActor(
    deps,
    principal,
    input.bookingId,
    MOVERS[input.to],
  );
  const club = input.to === 'CANCELLED' ? await clubFactOf(deps.clubs, seen.clubId) : null;
  const now = context.clock();

  const result = await deps.db.withTenant(seen.clubId, async (tx) => {
    const bookings = createBookingQueries(tx);
    // FOR UPDATE: two concurrent moves of one booking serialise; the second sees the first's status.
    const current = await bookings.findById(seen.id, { forUpdate: true });
    if (!current) throw notFound('booking', seen.id);
    const transition = checkBookingTransition(current.status, input.to);
    if (!transition.ok)
      throw new ClubError(transition.code, transition.message, { from: current.status, to: input.to });

    const facility = await createFacilityQueries(tx).findById(current.facilityId);
    let cancellation: { reason: string; by: string; fee: number } | undefined;
    if (input.to === 'CANCELLED') {
      const waived = actor === 'staff' && current.userId !== principal.userId;
      const fee = facility ? cancellationFeeOf(facility, current.startsAt, now, waived) : 0;
      cancellation = { reason, by: principal.userId, fee };
    }
    await bookings.setStatus(current.id, input.to, now, cancellation);
    if (input.to === 'NO_SHOW') {
      const holderId = current.memberId ?? current.userId;
      if (holderId) await bookings.addNoShow(current.clubId, holderId, now);
    }
    await bookings.addChange({
      id: context.newId(),
      clubId: current.clubId,
      bookingId: current.id,
      fromStatus: current.status,
      toStatus: input.to,
      reason: reason || null,
      changedBy: principal.userId,
      changedAt: now,
    });
    const updated = (await bookings.findById(current.id))!;
    await addToOutbox(tx, CLUB_SCHEMA, [
      bookingStatusChangedEvent(
        updated,
        { from: current.status, reason: reason || null, changedBy: principal.userId, changedAt: now },
        context,
      ),
    ]);
    if (input.to === 'CANCELLED' && facility && current.startsAt > now) {
      await promoteWaiting(tx, facility, current, club?.currency ?? current.currency, context);
    }
    return updated;
  });
  deps.eventsWritten();
  deps.facilityDays.forget(result.facilityId);
  return result;
}
