import type { MessageInitShape } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import type {
  Facility,
  FacilityService,
  FacilitySettingsSchema,
} from '@clubland/contract/club/v1/facilities';
import { invalidInput } from '@clubland/errors';
import type { Client } from '@connectrpc/connect';
import DataLoader from 'dataloader';
import type { ResolverContext } from '../resolver-context.ts';
import { callerContextOf, type PaginationArg, pageInfoOf, pagingOf } from './members.ts';
import { optionalIso } from './timestamps.ts';

/**
 * Facilities and availability: GraphQL in, FacilityService RPC out. The club service authorises
 * every call (club:write to change; a member, or a visitor under an agreement, to read).
 */

type FacilityClient = Client<typeof FacilityService>;
type Settings = MessageInitShape<typeof FacilitySettingsSchema>;

const FACILITY_TYPES = [
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
] as const;

const STATUS_OUT: Record<string, string> = {
  ACTIVE: 'AVAILABLE',
  INACTIVE: 'UNAVAILABLE',
  MAINTENANCE: 'MAINTENANCE',
};
const STATUS_IN: Record<string, string> = {
  AVAILABLE: 'ACTIVE',
  UNAVAILABLE: 'INACTIVE',
  MAINTENANCE: 'MAINTENANCE',
};
const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

const callerOf = async (context: ResolverContext) => callerContextOf(await context.caller.requirePrincipal());

/** Output guard: exactly the Facility type's fields. */
function toFacility(facility: Facility) {
  return {
    id: facility.id,
    clubId: facility.clubId,
    name: facility.name,
    description: facility.description || null,
    type: facility.facilityType,
    capacity: facility.capacity,
    amenities: facility.amenities,
    location: facility.location || null,
    images: facility.images,
    operatingHours: facility.openingHours.map(({ day, opens, closes }) => ({ day, opens, closes })),
    isActive: facility.status === 'ACTIVE',
    requiresApproval: facility.requiresApproval,
    status: STATUS_OUT[facility.status] ?? 'UNAVAILABLE',
    minBookingDuration: facility.minBookingMinutes,
    maxBookingDuration: facility.maxBookingMinutes,
    advanceBookingDays: facility.advanceBookingDays,
    cancellationDeadline: facility.cancellationDeadlineHours,
    cancellationFee: Number(facility.cancellationFee),
    slotDuration: facility.slotMinutes,
    bufferMinutes: facility.bufferMinutes,
    allowedMembershipTypes: facility.allowedMembershipTypes,
    allowsReciprocalVisitors: facility.allowsReciprocalVisitors,
    maxOpenBookingsPerMember: facility.maxOpenBookingsPerMember ?? null,
    maxBookingsPerWeek: facility.maxBookingsPerWeek ?? null,
    createdAt: facility.createdAt ? timestampDate(facility.createdAt) : null,
    updatedAt: facility.updatedAt ? timestampDate(facility.updatedAt) : null,
  };
}

interface FacilityInput {
  name?: string | null;
  description?: string | null;
  type?: string | null;
  capacity?: number | null;
  amenities?: string[] | null;
  location?: string | null;
  images?: string[] | null;
  operatingHours?: unknown;
  bookingRules?: {
    minAdvanceBooking?: number | null;
    maxAdvanceBooking?: number | null;
    minDuration?: number | null;
    maxDuration?: number | null;
    cancellationPolicy?: string | null;
    refundPolicy?: string | null;
    requiresDeposit: boolean;
    depositAmount?: number | null;
  } | null;
  isActive?: boolean | null;
  status?: string | null;
  requiresApproval?: boolean | null;
  bookingFee?: number | null;
  currency?: string | null;
  minBookingDuration?: number | null;
  maxBookingDuration?: number | null;
  slotDuration?: number | null;
  bufferMinutes?: number | null;
  advanceBookingDays?: number | null;
  cancellationDeadline?: number | null;
  cancellationFee?: number | null;
  allowedMembershipTypes?: string[] | null;
  allowsReciprocalVisitors?: boolean | null;
  maxOpenBookingsPerMember?: number | null;
  maxBookingsPerWeek?: number | null;
}

const given = <T>(value: T | null | undefined): T | undefined => (value === null ? undefined : value);

/** The input as the RPC's settings; what the facility cannot honour is refused, naming the field. */
function settingsOf(input: FacilityInput, creating: boolean): Settings {
  const rules = input.bookingRules;
  if (input.bookingFee) throw invalidInput('input.bookingFee', 'booking fees are not offered');
  if (rules?.requiresDeposit || rules?.depositAmount)
    throw invalidInput('input.bookingRules.requiresDeposit', 'deposits are not offered');
  if (rules?.minAdvanceBooking) throw invalidInput('input.bookingRules.minAdvanceBooking', 'not offered');
  const status = input.status
    ? STATUS_IN[input.status]
    : input.isActive == null
      ? undefined
      : input.isActive
        ? 'ACTIVE'
        : 'INACTIVE';
  const hours = input.operatingHours == null ? undefined : openingHoursOf(input.operatingHours);
  const settings: Settings = {
    name: given(input.name),
    description: input.description === null && !creating ? '' : given(input.description),
    facilityType: given(input.type),
    status,
    capacity: given(input.capacity),
    amenities: input.amenities ? { values: input.amenities } : undefined,
    location: input.location === null && !creating ? '' : given(input.location),
    images: input.images ? { values: input.images } : undefined,
    openingHours: hours ? { hours } : undefined,
    requiresApproval: given(input.requiresApproval),
    minBookingMinutes: given(input.minBookingDuration ?? rules?.minDuration),
    maxBookingMinutes: given(input.maxBookingDuration ?? rules?.maxDuration),
    slotMinutes: given(input.slotDuration),
    bufferMinutes: given(input.bufferMinutes),
    advanceBookingDays: given(input.advanceBookingDays ?? rules?.maxAdvanceBooking),
    cancellationDeadlineHours: given(input.cancellationDeadline),
    cancellationFee: input.cancellationFee == null ? undefined : BigInt(input.cancellationFee),
    allowedMembershipTypes: input.allowedMembershipTypes
      ? { values: input.allowedMembershipTypes }
      : undefined,
    allowsReciprocalVisitors: given(input.allowsReciprocalVisitors),
    maxOpenBookingsPerMember: given(input.maxOpenBookingsPerMember),
    clearMaxOpenBookingsPerMember: input.maxOpenBookingsPerMember === null,
    maxBookingsPerWeek: given(input.maxBookingsPerWeek),
    clearMaxBookingsPerWeek: input.maxBookingsPerWeek === null,
  };
  // A minimum shorter than the default slot: slots as long as the minimum.
  if (creating && settings.slotMinutes === undefined && settings.minBookingMinutes !== undefined)
    settings.slotMinutes = Math.min(30, settings.minBookingMinutes);
  return settings;
}

/**
 * Opening hours as JSON: our own list ([{ day, opens, closes }]) or a map by weekday
 * ({ monday: { open: '07:00', close: '22:00' } }, a day null or absent: closed).
 */
function openingHoursOf(value: unknown): { day: string; opens: string; closes: string }[] {
  const bad = () =>
    invalidInput(
      'input.operatingHours',
      'operatingHours: [{ day, opens, closes }] or { monday: { open, close } }',
    );
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  if (Array.isArray(value))
    return value.map((entry) => {
      if (typeof entry !== 'object' || entry === null) throw bad();
      const e = entry as Record<string, unknown>;
      return {
        day: text(e.day).toUpperCase(),
        opens: text(e.opens ?? e.open),
        closes: text(e.closes ?? e.close),
      };
    });
  if (typeof value !== 'object' || value === null) throw bad();
  return Object.entries(value as Record<string, unknown>).flatMap(([day, hours]) => {
    if (!WEEKDAYS.includes(day.toUpperCase())) throw bad();
    if (hours == null) return [];
    const list = Array.isArray(hours) ? hours : [hours];
    return list.map((entry) => {
      const e = (entry ?? {}) as Record<string, unknown>;
      return { day: day.toUpperCase(), opens: text(e.opens ?? e.open), closes: text(e.closes ?? e.close) };
    });
  });
}

/**
 * Facilities by id for one request, batched (a page of bookings names each facility once, in one
 * call), as the request's caller may see them; kept per request context, never across requests.
 */
const facilityLoaders = new WeakMap<
  ResolverContext,
  DataLoader<string, ReturnType<typeof toFacility> | null>
>();

export function loadFacility(facilities: FacilityClient, context: ResolverContext, id: string) {
  let loader = facilityLoaders.get(context);
  if (!loader) {
    loader = new DataLoader(async (ids: readonly string[]) => {
      const { facilities: found } = await facilities.getFacilities({
        caller: await callerOf(context),
        ids: [...ids],
      });
      const byId = new Map(found.map((facility) => [facility.id, toFacility(facility)]));
      return ids.map((id) => byId.get(id) ?? null);
    });
    facilityLoaders.set(context, loader);
  }
  return loader.load(id);
}

export function facilityResolvers(clients: { facilities: FacilityClient }) {
  const { facilities } = clients;
  return {
    Query: {
      facilityTypes: () => FACILITY_TYPES,
      async facilities(
        _: unknown,
        args: {
          pagination?: PaginationArg | null;
          type?: string | null;
          isActive?: boolean | null;
          clubId?: string | null;
        },
        context: ResolverContext,
      ) {
        const { page, pageSize } = pagingOf(args.pagination);
        const response = await facilities.listFacilities({
          caller: await callerOf(context),
          clubId: args.clubId ?? '',
          facilityType: args.type ?? '',
          ...(args.isActive == null ? {} : { isActive: args.isActive }),
          page,
          pageSize,
        });
        return {
          nodes: response.facilities.map(toFacility),
          pageInfo: pageInfoOf(
            response.page,
            response.pageSize,
            response.total,
            response.page * response.pageSize < response.total,
          ),
        };
      },
      async facility(_: unknown, args: { id: string }, context: ResolverContext) {
        const response = await facilities.getFacilities({ caller: await callerOf(context), ids: [args.id] });
        const found = response.facilities[0];
        return found ? toFacility(found) : null;
      },
      async availableSlots(
        _: unknown,
        args: { facilityId: string; date: Date; slotDuration?: number | null },
        context: ResolverContext,
      ) {
        const response = await facilities.availableSlots({
          caller: await callerOf(context),
          facilityId: args.facilityId,
          // The day the client names, read as its calendar date (UTC); its slots are the club's local hours.
          date: args.date.toISOString().slice(0, 10),
          slotMinutes: args.slotDuration ?? 0,
        });
        return response.slots.map((slot) => ({
          startTime: optionalIso(slot.start),
          endTime: optionalIso(slot.end),
          available: slot.available,
          reason: slot.reason || null,
        }));
      },
      async checkAvailability(
        _: unknown,
        args: { facilityId: string; startTime: Date; endTime: Date; excludeBookingId?: string | null },
        context: ResolverContext,
      ) {
        const response = await facilities.checkAvailability({
          caller: await callerOf(context),
          facilityId: args.facilityId,
          start: timestampFromDate(args.startTime),
          end: timestampFromDate(args.endTime),
          excludeBookingId: args.excludeBookingId ?? '',
        });
        return response.available;
      },
    },
    Mutation: {
      async createFacility(
        _: unknown,
        args: { input: FacilityInput & { clubId?: string | null } },
        context: ResolverContext,
      ) {
        const { facility } = await facilities.createFacility({
          caller: await callerOf(context),
          clubId: args.input.clubId ?? '',
          settings: settingsOf(args.input, true),
        });
        return toFacility(facility!);
      },
      async updateFacility(_: unknown, args: { id: string; input: FacilityInput }, context: ResolverContext) {
        const { facility } = await facilities.updateFacility({
          caller: await callerOf(context),
          id: args.id,
          settings: settingsOf(args.input, false),
        });
        return toFacility(facility!);
      },
      async deleteFacility(_: unknown, args: { id: string }, context: ResolverContext) {
        const { deleted } = await facilities.deleteFacility({ caller: await callerOf(context), id: args.id });
        return deleted;
      },
    },
  };
}
