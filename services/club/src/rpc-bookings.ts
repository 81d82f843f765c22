import { create } from '@bufbuild/protobuf';
import { type Timestamp, timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { type Booking, BookingSchema, type BookingService } from '@clubland/contract/club/v1/bookings';
import type { CallerContext } from '@clubland/contract/member/v1/caller';
import { invalidInput, isUuid, requireUuid } from '@clubland/errors';
import type { HandlerContext, ServiceImpl } from '@connectrpc/connect';
import { bookingStatistics } from './app/booking-statistics.ts';
import { type BookingStatusInput, changeBookingStatus } from './app/change-booking-status.ts';
import { createBooking } from './app/create-booking.ts';
import type { ClubOpsDeps, UseCaseContext } from './app/deps.ts';
import { joinBookingWaitlist } from './app/join-booking-waitlist.ts';
import { getBookings, listClubBookings, listMyBookings } from './app/list-bookings.ts';
import { updateBooking } from './app/update-booking.ts';
import { BOOKING_STATUSES, type BookingStatus } from './domain/booking-lifecycle.ts';
import type { BookingView } from './store/booking-queries.ts';

const MAX_BATCH = 500;

/** BookingService: protobuf in, use case, protobuf out. No rules here. */
export function bookingHandlers(
  deps: ClubOpsDeps,
  contextOf: (handler: HandlerContext, caller?: CallerContext) => UseCaseContext,
): ServiceImpl<typeof BookingService> {
  return {
    async createBooking(request, handler) {
      const booking = await createBooking(deps, contextOf(handler, request.caller), {
        clubId: optionalUuid(request.clubId, 'clubId'),
        facilityId: requireUuid(request.facilityId, 'facilityId'),
        memberId: optionalUuid(request.memberId, 'memberId'),
        startsAt: requireTime(request.startsAt, 'startTime'),
        endsAt: requireTime(request.endsAt, 'endTime'),
        guestCount: request.guestCount,
        purpose: request.purpose.trim() || null,
        specialRequests: request.specialRequests.trim() || null,
      });
      return { booking: bookingMessage(booking) };
    },

    async updateBooking(request, handler) {
      const booking = await updateBooking(deps, contextOf(handler, request.caller), {
        bookingId: requireUuid(request.bookingId, 'id'),
        startsAt: request.startsAt ? timestampDate(request.startsAt) : undefined,
        endsAt: request.endsAt ? timestampDate(request.endsAt) : undefined,
        guestCount: request.guestCount,
        purpose: request.purpose,
        specialRequests: request.specialRequests,
      });
      return { booking: bookingMessage(booking) };
    },

    async changeBookingStatus(request, handler) {
      const to = statusOf(request.to, 'to');
      if (to === null || to === 'REQUESTED')
        throw invalidInput('to', 'to must be CONFIRMED, CHECKED_IN, COMPLETED, NO_SHOW or CANCELLED');
      const booking = await changeBookingStatus(deps, contextOf(handler, request.caller), {
        bookingId: requireUuid(request.bookingId, 'id'),
        to: to as BookingStatusInput['to'],
        reason: request.reason,
      });
      return { booking: bookingMessage(booking) };
    },

    async joinWaitlist(request, handler) {
      return joinBookingWaitlist(deps, contextOf(handler, request.caller), {
        clubId: requireUuid(request.clubId, 'clubId'),
        facilityId: requireUuid(request.facilityId, 'facilityId'),
        memberId: optionalUuid(request.memberId, 'memberId'),
        startsAt: requireTime(request.startsAt, 'startTime'),
        endsAt: requireTime(request.endsAt, 'endTime'),
        guestCount: request.guestCount,
        purpose: request.purpose.trim() || null,
      });
    },

    async getBookings(request, handler) {
      const ids = request.ids
        .slice(0, MAX_BATCH)
        .filter((id) => isUuid(id))
        .map((id) => id.toLowerCase());
      const bookings = await getBookings(deps, contextOf(handler, request.caller), ids);
      return { bookings: bookings.map(bookingMessage) };
    },

    async listBookings(request, handler) {
      const context = contextOf(handler, request.caller);
      const clubId = optionalUuid(request.clubId, 'clubId') ?? context.principal?.homeClubId ?? null;
      if (clubId === null)
        throw invalidInput('clubId', 'clubId is required when the caller has no home club');
      const found = await listClubBookings(
        deps,
        context,
        clubId,
        {
          status: statusOf(request.status, 'status'),
          from: optionalTime(request.from),
          to: optionalTime(request.to),
        },
        pageOf(request.page, request.pageSize),
      );
      return { bookings: found.bookings.map(bookingMessage), total: found.total };
    },

    async listMyBookings(request, handler) {
      const found = await listMyBookings(
        deps,
        contextOf(handler, request.caller),
        {
          status: statusOf(request.status, 'status'),
          from: optionalTime(request.from),
          to: optionalTime(request.to),
          openOnly: request.openOnly,
        },
        pageOf(request.page, request.pageSize),
      );
      return { bookings: found.bookings.map(bookingMessage), total: found.total };
    },

    async getBookingStatistics(request, handler) {
      const context = contextOf(handler, request.caller);
      const clubId = optionalUuid(request.clubId, 'clubId') ?? context.principal?.homeClubId ?? null;
      if (clubId === null)
        throw invalidInput('clubId', 'clubId is required when the caller has no home club');
      const statistics = await bookingStatistics(deps, context, clubId, {
        from: requireTime(request.from, 'startDate'),
        to: requireTime(request.to, 'endDate'),
      });
      return {
        total: statistics.total,
        requested: statistics.requested,
        confirmed: statistics.confirmed,
        checkedIn: statistics.checkedIn,
        completed: statistics.completed,
        cancelled: statistics.cancelled,
        noShows: statistics.noShows,
        upcoming: statistics.upcoming,
        averageDurationMinutes: statistics.averageDurationMinutes,
        averageLeadHours: statistics.averageLeadHours,
        medianLeadHours: statistics.medianLeadHours,
        facilities: statistics.facilities.map((use) => ({
          facilityId: use.facilityId,
          facilityName: use.facilityName,
          bookings: use.bookings,
          bookedMinutes: BigInt(Math.round(use.bookedMinutes)),
          openMinutes: BigInt(Math.round(use.openMinutes)),
          utilisation: use.utilisation,
        })),
      };
    },
  };
}

const optionalUuid = (value: string, field: string) => (value === '' ? null : requireUuid(value, field));

function requireTime(value: Timestamp | undefined, field: string): Date {
  if (!value) throw invalidInput(field, `${field} is required`);
  return timestampDate(value);
}

const optionalTime = (value: Timestamp | undefined) => (value ? timestampDate(value) : null);

function statusOf(value: string, field: string): BookingStatus | null {
  if (value === '') return null;
  const status = value.toUpperCase();
  if (!(BOOKING_STATUSES as readonly string[]).includes(status))
    throw invalidInput(field, `${field} must be one of ${BOOKING_STATUSES.join(', ')}`);
  return status as BookingStatus;
}

function pageOf(page: number, pageSize: number) {
  return { page: Math.max(1, page || 1), pageSize: Math.min(100, Math.max(1, pageSize || 20)) };
}

const time = (at: Date | null) => (at ? timestampFromDate(at) : undefined);

/** Output guard: only the fields the contract names leave the service. */
export function bookingMessage(booking: BookingView): Booking {
  return create(BookingSchema, {
    id: booking.id,
    clubId: booking.clubId,
    facilityId: booking.facilityId,
    unit: booking.unit,
    memberId: booking.memberId ?? '',
    userId: booking.userId ?? '',
    startsAt: time(booking.startsAt),
    endsAt: time(booking.endsAt),
    status: booking.status,
    guestCount: booking.guestCount,
    purpose: booking.purpose ?? '',
    specialRequests: booking.specialRequests ?? '',
    totalCost: BigInt(booking.totalCost),
    currency: booking.currency,
    paymentStatus: booking.paymentStatus,
    checkedInAt: time(booking.checkedInAt),
    checkedOutAt: time(booking.checkedOutAt),
    cancelledAt: time(booking.cancelledAt),
    cancellationReason: booking.cancellationReason ?? '',
    cancellationFee: BigInt(booking.cancellationFee),
    createdAt: time(booking.createdAt),
    updatedAt: time(booking.updatedAt),
    facilityName: booking.facilityName,
    facilityType: booking.facilityType,
    facilityCapacity: booking.facilityCapacity,
  });
}
