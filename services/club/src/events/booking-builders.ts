import type { EventEnvelope } from '@clubland/bus';
import { bookingStatusChanged } from '@clubland/contract/events/booking';
import type { UseCaseContext } from '../app/deps.ts';
import type { BookingStatus } from '../domain/booking-lifecycle.ts';
import type { BookingView } from '../store/booking-queries.ts';

const iso = (at: Date | null) => (at ? at.toISOString() : null);

/** booking.status_changed for a booking as it now is (`from` null: just made). */
export function bookingStatusChangedEvent(
  booking: BookingView,
  change: { from: BookingStatus | null; reason: string | null; changedBy: string | null; changedAt: Date },
  context: Pick<UseCaseContext, 'clock' | 'newId' | 'correlationId'>,
): EventEnvelope {
  return bookingStatusChanged.build(
    {
      tenantId: booking.clubId,
      correlationId: context.correlationId,
      data: {
        bookingId: booking.id,
        clubId: booking.clubId,
        facilityId: booking.facilityId,
        facilityName: booking.facilityName,
        facilityType: booking.facilityType,
        facilityCapacity: booking.facilityCapacity,
        memberId: booking.memberId,
        memberUserId: booking.userId,
        from: change.from,
        to: booking.status,
        reason: change.reason,
        changedBy: change.changedBy,
        changedAt: change.changedAt.toISOString(),
        startsAt: booking.startsAt.toISOString(),
        endsAt: booking.endsAt.toISOString(),
        guestCount: booking.guestCount,
        totalCost: booking.totalCost,
        currency: booking.currency,
        paymentStatus: booking.paymentStatus,
        checkedInAt: iso(booking.checkedInAt),
        checkedOutAt: iso(booking.checkedOutAt),
        cancelledAt: iso(booking.cancelledAt),
        createdAt: booking.createdAt.toISOString(),
      },
    },
    { clock: context.clock, newId: context.newId },
  );
}
