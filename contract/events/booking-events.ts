import { defineEvent } from '@clubland/bus';
import { z } from 'zod';

/**
 * Events of the club service's bookings. Each names its club and its member's account, so the
 * gateway's bookingUpdates can tell who may see it (the member, the club's staff) without asking;
 * and carries what a FacilityBooking shows but the member's free text (purpose, requests).
 */

export const BOOKING_STATUSES = [
  'REQUESTED',
  'CONFIRMED',
  'CHECKED_IN',
  'COMPLETED',
  'CANCELLED',
  'NO_SHOW',
] as const;

/** A booking was made (`from` null) or moved through its lifecycle. */
export const bookingStatusChanged = defineEvent(
  'booking.status_changed',
  1,
  z.object({
    bookingId: z.uuid(),
    clubId: z.uuid(),
    facilityId: z.uuid(),
    facilityName: z.string(),
    facilityType: z.string(),
    facilityCapacity: z.int().positive(),
    /** Null for a visitor without a member record at the club. */
    memberId: z.uuid().nullable(),
    memberUserId: z.uuid().nullable(),
    from: z.enum(BOOKING_STATUSES).nullable(),
    to: z.enum(BOOKING_STATUSES),
    reason: z.string().nullable(),
    /** Null for the system (a waitlist promotion). */
    changedBy: z.uuid().nullable(),
    changedAt: z.iso.datetime({ offset: true }),
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
    guestCount: z.int().nonnegative(),
    /** Minor units of `currency`. */
    totalCost: z.int().nonnegative(),
    currency: z.string().length(3),
    paymentStatus: z.enum(['PENDING', 'PAID', 'REFUNDED', 'FAILED']),
    checkedInAt: z.iso.datetime({ offset: true }).nullable(),
    checkedOutAt: z.iso.datetime({ offset: true }).nullable(),
    cancelledAt: z.iso.datetime({ offset: true }).nullable(),
    createdAt: z.iso.datetime({ offset: true }),
  }),
);
