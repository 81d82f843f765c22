import { timestampFromDate as timestampOf } from '@bufbuild/protobuf/wkt';
import type { Booking, BookingService } from '@clubland/contract/club/v1/bookings';
import type { bookingStatusChanged } from '@clubland/contract/events/booking';
import { invalidInput } from '@clubland/errors';
import type { Client } from '@connectrpc/connect';
import type { Caller } from '../caller.ts';
import { callerContextOf, type PaginationArg, pageInfoOf, pagingOf } from './members.ts';
import { optionalIso, requiredIso } from './timestamps.ts';

/**
 * Facility bookings: GraphQL in, BookingService RPC out. The club service authorises every call
 * again; amounts cross the RPC in minor units and reach the client in major units of the booking's
 * currency. The service's REQUESTED and COMPLETED are the contract's PENDING and CHECKED_OUT.
 */

type BookingClient = Client<typeof BookingService>;
interface Context {
  caller: Caller;
}

const callerOf = async (context: Context) => callerContextOf(await context.caller.requirePrincipal());

const TO_GRAPHQL: Record<string, string> = { REQUESTED: 'PENDING', COMPLETED: 'CHECKED_OUT' };
const FROM_GRAPHQL: Record<string, string> = { PENDING: 'REQUESTED', CHECKED_OUT: 'COMPLETED' };
const statusOut = (status: string) => TO_GRAPHQL[status] ?? status;
const statusIn = (status: string | null | undefined) => (status ? (FROM_GRAPHQL[status] ?? status) : '');

const FACILITY_TYPES = new Set([
  'CONFERENCE_ROOM',
  'BANQUET_HALL',
  'TENNIS_COURT',
  'GOLF_COURSE',
  'POOL',
  'GYM',
  'SPA',
  'LIBRARY',
  'LOUNGE',
  'OTHER',
]);

/** The facility as a booking names it; a type the contract's enum lacks reads as OTHER. */
export interface BookingFacilityModel {
  id: string;
  name: string;
  type: string;
  capacity: number;
}

/** The Facility fields a booking answers from its own copy (BookingFacilityModel), and `__typename`. */
export const BOOKING_FACILITY_FIELDS: ReadonlySet<string> = new Set([
  '__typename',
  'id',
  'name',
  'type',
  'capacity',
]);

/** A booking as the FacilityBooking type's fields read it. */
export interface FacilityBookingModel {
  id: string;
  clubId: string;
  facilityId: string;
  memberId: string;
  startTime: string;
  endTime: string;
  status: string;
  purpose: string | null;
  guestCount: number;
  specialRequests: string | null;
  totalCost: number;
  currency: string;
  paymentStatus: string;
  checkInTime: string | null;
  checkOutTime: string | null;
  cancellationReason: string | null;
  cancelledAt: string | null;
  createdAt: string;
  updatedAt: string;
  facility: BookingFacilityModel;
}

const decimals = new Map<string, number>();

/** Major units of an amount in minor units of an ISO 4217 currency (2 for GBP, 0 for JPY). */
function toMajor(minor: number, currency: string): number {
  let digits = decimals.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
          .maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    decimals.set(currency, digits);
  }
  return minor / 10 ** digits;
}

const facilityOf = (id: string, name: string, type: string, capacity: number): BookingFacilityModel => ({
  id,
  name,
  type: FACILITY_TYPES.has(type) ? type : 'OTHER',
  capacity,
});

/** Output guard: exactly the fields the SDL declares. */
export function toFacilityBooking(booking: Booking): FacilityBookingModel {
  return {
    id: booking.id,
    clubId: booking.clubId,
    facilityId: booking.facilityId,
    memberId: booking.memberId || booking.userId,
    startTime: requiredIso(booking.startsAt, 'a booking start'),
    endTime: requiredIso(booking.endsAt, 'a booking end'),
    status: statusOut(booking.status),
    purpose: booking.purpose || null,
    guestCount: booking.guestCount,
    specialRequests: booking.specialRequests || null,
    totalCost: toMajor(Number(booking.totalCost), booking.currency),
    currency: booking.currency,
    paymentStatus: booking.paymentStatus,
    checkInTime: optionalIso(booking.checkedInAt),
    checkOutTime: optionalIso(booking.checkedOutAt),
    cancellationReason: booking.cancellationReason || null,
    cancelledAt: optionalIso(booking.cancelledAt),
    createdAt: requiredIso(booking.createdAt, 'a booking creation time'),
    updatedAt: requiredIso(booking.updatedAt, 'a booking update time'),
    facility: facilityOf(
      booking.facilityId,
      booking.facilityName,
      booking.facilityType,
      booking.facilityCapacity,
    ),
  };
}

type BookingEvent = ReturnType<typeof bookingStatusChanged.parse>['data'];

/** A booking as its booking.status_changed event tells it (subscriptions): the member's free text is not carried. */
export function bookingFromEvent(data: BookingEvent): FacilityBookingModel {
  return {
    id: data.bookingId,
    clubId: data.clubId,
    facilityId: data.facilityId,
    memberId: data.memberId ?? data.memberUserId ?? '',
    startTime: data.startsAt,
    endTime: data.endsAt,
    status: statusOut(data.to),
    purpose: null,
    guestCount: data.guestCount,
    specialRequests: null,
    totalCost: toMajor(data.totalCost, data.currency),
    currency: data.currency,
    paymentStatus: data.paymentStatus,
    checkInTime: data.checkedInAt,
    checkOutTime: data.checkedOutAt,
    cancellationReason: data.to === 'CANCELLED' ? data.reason : null,
    cancelledAt: data.cancelledAt,
    createdAt: data.createdAt,
    updatedAt: data.changedAt,
    facility: facilityOf(data.facilityId, data.facilityName, data.facilityType, data.facilityCapacity),
  };
}

function connectionOf(bookings: Booking[], total: number, page: number, pageSize: number) {
  return {
    nodes: bookings.map(toFacilityBooking),
    pageInfo: pageInfoOf(page, pageSize, total, page * pageSize < total),
  };
}

interface BookingInput {
  facilityId: string;
  startTime: Date;
  endTime: Date;
  purpose?: string | null;
  guestCount?: number | null;
  specialRequests?: string | null;
  memberId?: string | null;
  clubId?: string | null;
}

const DAY_MS = 86_400_000;

export function bookingResolvers(clients: { bookings: BookingClient }) {
  const { bookings } = clients;

  async function move(context: Context, id: string, to: string, reason = '') {
    const { booking } = await bookings.changeBookingStatus({
      caller: await callerOf(context),
      bookingId: id,
      to,
      reason,
    });
    return toFacilityBooking(booking!);
  }

  return {
    Query: {
      async facilityBookings(
        _: unknown,
        args: {
          pagination?: PaginationArg | null;
          status?: string | null;
          startDate?: Date | null;
          endDate?: Date | null;
          clubId?: string | null;
        },
        context: Context,
      ) {
        const { page, pageSize } = pagingOf(args.pagination);
        const response = await bookings.listBookings({
          caller: await callerOf(context),
          clubId: args.clubId ?? '',
          status: statusIn(args.status),
          from: args.startDate ? timestampOf(args.startDate) : undefined,
          to: args.endDate ? timestampOf(args.endDate) : undefined,
          page,
          pageSize,
        });
        return connectionOf(response.bookings, response.total, page, pageSize);
      },
      async facilityBooking(_: unknown, args: { id: string }, context: Context) {
        const { bookings: found } = await bookings.getBookings({
          caller: await callerOf(context),
          ids: [args.id],
        });
        return found[0] ? toFacilityBooking(found[0]) : null;
      },
      async myFacilityBookings(
        _: unknown,
        args: { pagination?: PaginationArg | null; status?: string | null },
        context: Context,
      ) {
        const { page, pageSize } = pagingOf(args.pagination);
        const response = await bookings.listMyBookings({
          caller: await callerOf(context),
          status: statusIn(args.status),
          page,
          pageSize,
        });
        return connectionOf(response.bookings, response.total, page, pageSize);
      },
      async upcomingBookings(
        _: unknown,
        args: { days?: number | null; pagination?: PaginationArg | null },
        context: Context,
      ) {
        const days = args.days ?? 30;
        if (!Number.isInteger(days) || days < 1 || days > 366)
          throw invalidInput('days', 'days must be 1-366');
        const { page, pageSize } = pagingOf(args.pagination);
        const now = Date.now();
        const response = await bookings.listMyBookings({
          caller: await callerOf(context),
          from: timestampOf(new Date(now)),
          to: timestampOf(new Date(now + days * DAY_MS)),
          openOnly: true,
          page,
          pageSize,
        });
        return connectionOf(response.bookings, response.total, page, pageSize);
      },
      async bookingStatistics(
        _: unknown,
        args: { startDate?: Date | null; endDate?: Date | null; clubId?: string | null },
        context: Context,
      ) {
        const to = args.endDate ?? new Date();
        const from = args.startDate ?? new Date(to.getTime() - 30 * DAY_MS);
        const statistics = await bookings.getBookingStatistics({
          caller: await callerOf(context),
          clubId: args.clubId ?? '',
          from: timestampOf(from),
          to: timestampOf(to),
        });
        const booked = statistics.facilities.reduce((sum, use) => sum + Number(use.bookedMinutes), 0);
        const open = statistics.facilities.reduce((sum, use) => sum + Number(use.openMinutes), 0);
        return {
          totalBookings: statistics.total,
          upcomingBookings: statistics.upcoming,
          completedBookings: statistics.completed,
          cancelledBookings: statistics.cancelled,
          confirmedBookings: statistics.confirmed,
          noShowBookings: statistics.noShows,
          averageBookingDuration: statistics.averageDurationMinutes,
          averageLeadTimeHours: statistics.averageLeadHours,
          medianLeadTimeHours: statistics.medianLeadHours,
          utilizationRate: open > 0 ? booked / open : 0,
          facilities: statistics.facilities.map((use) => ({
            facilityId: use.facilityId,
            facilityName: use.facilityName,
            bookings: use.bookings,
            bookedMinutes: Number(use.bookedMinutes),
            openMinutes: Number(use.openMinutes),
            utilisation: use.utilisation,
          })),
        };
      },
    },
    Mutation: {
      async createFacilityBooking(_: unknown, args: { input: BookingInput }, context: Context) {
        const { input } = args;
        const { booking } = await bookings.createBooking({
          caller: await callerOf(context),
          clubId: input.clubId ?? '',
          facilityId: input.facilityId,
          memberId: input.memberId ?? '',
          startsAt: timestampOf(input.startTime),
          endsAt: timestampOf(input.endTime),
          guestCount: input.guestCount ?? 0,
          purpose: input.purpose ?? '',
          specialRequests: input.specialRequests ?? '',
        });
        return toFacilityBooking(booking!);
      },
      async updateFacilityBooking(
        _: unknown,
        args: {
          id: string;
          input: {
            startTime?: Date | null;
            endTime?: Date | null;
            purpose?: string | null;
            guestCount?: number | null;
            specialRequests?: string | null;
          };
        },
        context: Context,
      ) {
        const { input } = args;
        const { booking } = await bookings.updateBooking({
          caller: await callerOf(context),
          bookingId: args.id,
          startsAt: input.startTime ? timestampOf(input.startTime) : undefined,
          endsAt: input.endTime ? timestampOf(input.endTime) : undefined,
          guestCount: input.guestCount ?? undefined,
          purpose: input.purpose ?? undefined,
          specialRequests: input.specialRequests ?? undefined,
        });
        return toFacilityBooking(booking!);
      },
      confirmFacilityBooking: (_: unknown, args: { id: string }, context: Context) =>
        move(context, args.id, 'CONFIRMED'),
      cancelFacilityBooking: (_: unknown, args: { id: string; reason: string }, context: Context) =>
        move(context, args.id, 'CANCELLED', args.reason),
      checkInFacilityBooking: (_: unknown, args: { id: string }, context: Context) =>
        move(context, args.id, 'CHECKED_IN'),
      checkOutFacilityBooking: (_: unknown, args: { id: string }, context: Context) =>
        move(context, args.id, 'COMPLETED'),
      markFacilityBookingNoShow: (
        _: unknown,
        args: { id: string; reason?: string | null },
        context: Context,
      ) => move(context, args.id, 'NO_SHOW', args.reason ?? ''),
      async joinFacilityBookingWaitlist(_: unknown, args: { input: BookingInput }, context: Context) {
        const principal = await context.caller.requirePrincipal();
        const { input } = args;
        const clubId = input.clubId ?? principal.homeClubId ?? '';
        if (clubId === '')
          throw invalidInput('input.clubId', 'clubId is required when the caller has no home club');
        return bookings.joinWaitlist({
          caller: callerContextOf(principal),
          clubId,
          facilityId: input.facilityId,
          memberId: input.memberId ?? '',
          startsAt: timestampOf(input.startTime),
          endsAt: timestampOf(input.endTime),
          guestCount: input.guestCount ?? 0,
          purpose: input.purpose ?? '',
        });
      },
    },
  };
}
