import type { MessageInitShape } from '@bufbuild/protobuf';
import type { Timestamp } from '@bufbuild/protobuf/wkt';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type {
  ClubEventService,
  Event,
  EventFieldsSchema,
  FriendsGoing,
  Rsvp,
} from '@clubland/contract/club/v1/events';
import { invalidInput } from '@clubland/errors';
import type { Client } from '@connectrpc/connect';
import type { Caller } from '../caller.ts';
import { callerContextOf, type PaginationArg, pageInfoOf, pagingOf } from './members.ts';
import { isoOf, optionalIso, requiredIso } from './timestamps.ts';

/**
 * Club events and RSVPs: GraphQL in, ClubEventService RPC out. The club service authorises every
 * call again; money crosses the RPC in minor units and reaches the client in major units.
 */

type ClubEventClient = Client<typeof ClubEventService>;
interface Context {
  caller: Caller;
}

const callerOf = async (context: Context) => callerContextOf(await context.caller.requirePrincipal());

function decimalsOf(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}
const toMajor = (minor: bigint, currency: string) => Number(minor) / 10 ** decimalsOf(currency);
function toMinor(major: number | null | undefined, currency: string, field: string): bigint | undefined {
  if (major === null || major === undefined) return undefined;
  if (!Number.isFinite(major) || major < 0) throw invalidInput(field, `${field} must be 0 or more`);
  return BigInt(Math.round(major * 10 ** decimalsOf(currency)));
}
const stampOf = (iso: string | null | undefined): Timestamp | undefined => {
  if (iso === null || iso === undefined) return undefined;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw invalidInput('time', `not an instant: ${iso}`);
  return timestampFromDate(date);
};
const orNull = (text: string) => (text === '' ? null : text);

/** Output guard: exactly the fields the Event type declares. */
export function toEvent(event: Event) {
  const startTime = requiredIso(event.startsAt, 'an event start');
  const cancellationDeadline =
    event.startsAt && event.cancellationFeePercent > 0 && event.price > 0n
      ? new Date(Date.parse(startTime) - event.freeCancellationDays * 86_400_000).toISOString()
      : null;
  return {
    id: event.id,
    clubId: event.clubId,
    title: event.title,
    name: event.title,
    description: orNull(event.description),
    eventType: event.eventType,
    type: event.eventType,
    status: event.status,
    startTime,
    endTime: requiredIso(event.endsAt, 'an event end'),
    location: orNull(event.location),
    imageUrl: orNull(event.imageUrl),
    capacity: event.capacity,
    currentAttendees: event.seatsTaken,
    availableSpots: event.waitlistCount > 0 ? 0 : Math.max(0, event.capacity - event.seatsTaken),
    tentativeCount: event.tentativeCount,
    waitlistCount: event.waitlistCount,
    guestPolicy: event.guestPolicy,
    maxGuestsPerMember: event.maxGuestsPerMember,
    allowedMembershipTypes: event.allowedMembershipTypes,
    allowsReciprocalVisitors: event.allowsReciprocalVisitors,
    requiresApproval: event.requiresApproval,
    requiresPayment: event.price > 0n,
    price: toMajor(event.price, event.currency),
    currency: event.currency,
    cancellationDeadline,
    freeCancellationDays: event.freeCancellationDays,
    cancellationFeePercentage: event.cancellationFeePercent,
    allowsSubgroupPriority: false,
    fullHouseExclusive: false,
    rsvpDeadline: optionalIso(event.rsvpDeadline),
    subgroupId: null,
    organizerName: orNull(event.organizerName),
    contactEmail: orNull(event.contactEmail),
    contactPhone: orNull(event.contactPhone),
    paymentInstructions: orNull(event.paymentInstructions),
    cancellationReason: orNull(event.cancellationReason),
    createdAt: requiredIso(event.createdAt, 'an event creation time'),
    updatedAt: requiredIso(event.updatedAt, 'an event update time'),
  };
}

/** Output guard: exactly the fields the EventRSVP type declares. */
export function toRsvp(rsvp: Rsvp) {
  const rsvpedAt = requiredIso(rsvp.rsvpedAt, 'an RSVP time');
  return {
    id: rsvp.id,
    clubId: rsvp.clubId,
    eventId: rsvp.eventId,
    memberId: rsvp.memberId,
    status: rsvp.status,
    response: rsvp.response,
    rsvpType: rsvp.rsvpType,
    priority: null,
    attendanceCount: 1 + rsvp.guestCount,
    guestCount: rsvp.guestCount,
    guestNames: rsvp.guestNames,
    dietaryRestrictions: rsvp.dietaryRestrictions,
    seatingPreferences: orNull(rsvp.seatingPreferences),
    specialRequests: orNull(rsvp.specialRequests),
    paymentStatus: rsvp.paymentStatus,
    paymentRequired: rsvp.paymentAmount > 0n,
    paymentVerified: rsvp.paymentStatus === 'PAID',
    paymentAmount: toMajor(rsvp.paymentAmount, rsvp.currency),
    cancellationFee: toMajor(rsvp.cancellationFee, rsvp.currency),
    feeWaived: rsvp.feeWaived,
    waitlistPosition: rsvp.waitlistPosition > 0 ? rsvp.waitlistPosition : null,
    rsvpedAt,
    createdAt: rsvpedAt,
    updatedAt: requiredIso(rsvp.updatedAt, 'an RSVP update time'),
    cancelledAt: optionalIso(rsvp.cancelledAt),
    cancellationReason: orNull(rsvp.cancellationReason),
    approvedBy: null,
    approvedAt: null,
    declineReason: null,
  };
}

function toSubgroup(group: FriendsGoing) {
  const shown = group.names.slice(0, 3);
  const more = group.count - shown.length;
  return {
    id: group.eventId,
    clubId: group.clubId,
    eventId: group.eventId,
    name: group.eventTitle,
    description: `${shown.join(', ')}${more > 0 ? ` and ${more} other${more === 1 ? '' : 's'}` : ''} ${group.count === 1 ? 'is' : 'are'} going`,
    memberCount: group.count,
    isActive: group.open,
    organizerId: orNull(group.organizerId),
    organizerName: orNull(group.organizerName),
    friends: group.names,
    startTime: group.startsAt ? isoOf(group.startsAt) : null,
  };
}

interface EventInputArg {
  title?: string | null;
  name?: string | null;
  description?: string | null;
  type?: string | null;
  startTime?: string | null;
  endTime?: string | null;
  location?: string | null;
  imageUrl?: string | null;
  capacity?: number | null;
  rsvpDeadline?: string | null;
  registrationDeadline?: string | null;
  allowedMembershipTypes?: string[] | null;
  guestPolicy?: string | null;
  maxGuestsPerMember?: number | null;
  allowsReciprocalVisitors?: boolean | null;
  requiresApproval?: boolean | null;
  price?: number | null;
  registrationFee?: number | null;
  currency?: string | null;
  paymentInstructions?: string | null;
  freeCancellationDays?: number | null;
  cancellationFeePercentage?: number | null;
  organizer?: string | null;
  organizerName?: string | null;
  contactEmail?: string | null;
  contactPhone?: string | null;
  status?: string | null;
  clubId?: string | null;
}

const opt = <T>(value: T | null | undefined): T | undefined => (value === null ? undefined : value);

function fieldsOf(input: EventInputArg): MessageInitShape<typeof EventFieldsSchema> {
  const currency = input.currency ?? 'GBP';
  const percent = input.cancellationFeePercentage;
  return {
    title: opt(input.title ?? input.name),
    description: opt(input.description),
    eventType: opt(input.type),
    startsAt: stampOf(input.startTime),
    endsAt: stampOf(input.endTime),
    location: opt(input.location),
    imageUrl: opt(input.imageUrl),
    capacity: opt(input.capacity),
    rsvpDeadline: stampOf(input.rsvpDeadline ?? input.registrationDeadline),
    setAllowedMembershipTypes: input.allowedMembershipTypes != null,
    allowedMembershipTypes: input.allowedMembershipTypes ?? [],
    guestPolicy: opt(input.guestPolicy),
    maxGuestsPerMember: opt(input.maxGuestsPerMember),
    allowsReciprocalVisitors: opt(input.allowsReciprocalVisitors),
    requiresApproval: opt(input.requiresApproval),
    price: toMinor(input.price ?? input.registrationFee, currency, 'price'),
    currency: opt(input.currency),
    paymentInstructions: opt(input.paymentInstructions),
    freeCancellationDays: opt(input.freeCancellationDays),
    cancellationFeePercent: percent == null ? undefined : Math.round(percent),
    organizerName: opt(input.organizerName ?? input.organizer),
    contactEmail: opt(input.contactEmail),
    contactPhone: opt(input.contactPhone),
    status: opt(input.status),
  };
}

export function clubEventResolvers(clients: { clubEvents: ClubEventClient }) {
  const events = clients.clubEvents;
  return {
    Query: {
      async events(
        _: unknown,
        args: {
          pagination?: PaginationArg | null;
          status?: string | null;
          type?: string | null;
          startDate?: string | null;
          endDate?: string | null;
          clubId?: string | null;
        },
        context: Context,
      ) {
        const { page, pageSize } = pagingOf(args.pagination);
        const result = await events.listEvents({
          caller: await callerOf(context),
          clubId: args.clubId ?? '',
          status: args.status ?? '',
          eventType: args.type ?? '',
          from: stampOf(args.startDate),
          to: stampOf(args.endDate),
          page,
          pageSize,
        });
        return {
          nodes: result.events.map(toEvent),
          pageInfo: pageInfoOf(
            result.page,
            result.pageSize,
            result.total,
            result.page * result.pageSize < result.total,
          ),
        };
      },
      async event(_: unknown, args: { id: string }, context: Context) {
        const { event } = await events.getEvent({ caller: await callerOf(context), id: args.id });
        return event ? toEvent(event) : null;
      },
      async myEventRSVPs(
        _: unknown,
        args: { pagination?: PaginationArg | null; status?: string | null },
        context: Context,
      ) {
        const { page, pageSize } = pagingOf(args.pagination);
        const result = await events.listMyRsvps({
          caller: await callerOf(context),
          status: args.status ?? '',
          page,
          pageSize,
        });
        return {
          nodes: result.rsvps.map(toRsvp),
          pageInfo: pageInfoOf(
            result.page,
            result.pageSize,
            result.total,
            result.page * result.pageSize < result.total,
          ),
        };
      },
      async checkRSVPEligibility(
        _: unknown,
        args: { eventId: string; memberId?: string | null; guestCount?: number | null },
        context: Context,
      ) {
        const result = await events.checkRsvpEligibility({
          caller: await callerOf(context),
          eventId: args.eventId,
          memberId: args.memberId ?? '',
          guestCount: args.guestCount ?? 0,
        });
        return {
          eligible: result.eligible,
          reason:
            result.reasons.length > 0
              ? result.reasons.join(', ')
              : result.wouldBeWaitlisted
                ? 'EVENT_FULL'
                : null,
          reasons: result.reasons,
          memberInGoodStanding: result.memberInGoodStanding,
          hasOutstandingDebt: false,
          debtAmount: null,
          wouldBeWaitlisted: result.wouldBeWaitlisted,
          estimatedWaitlistPosition: result.wouldBeWaitlisted ? result.estimatedWaitlistPosition : null,
          availableSpots: result.availableSpots,
          priority: null,
          requiresApproval: result.requiresApproval,
          isSubgroupMember: false,
        };
      },
      async findingFriendsSubgroups(
        _: unknown,
        args: { eventId?: string | null; clubId?: string | null },
        context: Context,
      ) {
        const { groups } = await events.findFriendsGoing({
          caller: await callerOf(context),
          clubId: args.clubId ?? '',
          eventId: args.eventId ?? '',
        });
        return groups.map(toSubgroup);
      },
    },
    Mutation: {
      async createEvent(_: unknown, args: { input: EventInputArg }, context: Context) {
        const { event } = await events.createEvent({
          caller: await callerOf(context),
          clubId: args.input.clubId ?? '',
          fields: fieldsOf(args.input),
        });
        return toEvent(event!);
      },
      async updateEvent(_: unknown, args: { id: string; input: EventInputArg }, context: Context) {
        const { event } = await events.updateEvent({
          caller: await callerOf(context),
          id: args.id,
          fields: fieldsOf(args.input),
        });
        return toEvent(event!);
      },
      async cancelEvent(_: unknown, args: { id: string; reason: string }, context: Context) {
        const { event } = await events.cancelEvent({
          caller: await callerOf(context),
          id: args.id,
          reason: args.reason,
        });
        return toEvent(event!);
      },
      async createEventRSVP(
        _: unknown,
        args: {
          input: {
            eventId: string;
            clubId?: string | null;
            response?: string | null;
            guestCount?: number | null;
            guestNames?: string[] | null;
            dietaryRestrictions?: string[] | null;
            specialRequests?: string | null;
            seatingPreferences?: string | null;
          };
        },
        context: Context,
      ) {
        const input = args.input;
        const { rsvp } = await events.createRsvp({
          caller: await callerOf(context),
          clubId: input.clubId ?? '',
          eventId: input.eventId,
          response: input.response ?? 'YES',
          guestCount: input.guestCount ?? 0,
          guestNames: input.guestNames ?? [],
          dietaryRestrictions: input.dietaryRestrictions ?? [],
          specialRequests: input.specialRequests ?? '',
          seatingPreferences: input.seatingPreferences ?? '',
        });
        return toRsvp(rsvp!);
      },
      async updateEventRSVP(
        _: unknown,
        args: {
          id: string;
          input: {
            response?: string | null;
            guestCount?: number | null;
            guestNames?: string[] | null;
            dietaryRestrictions?: string[] | null;
            specialRequests?: string | null;
            seatingPreferences?: string | null;
          };
        },
        context: Context,
      ) {
        const input = args.input;
        const { rsvp } = await events.updateRsvp({
          caller: await callerOf(context),
          id: args.id,
          response: opt(input.response),
          guestCount: opt(input.guestCount),
          setGuestNames: input.guestNames != null,
          guestNames: input.guestNames ?? [],
          setDietaryRestrictions: input.dietaryRestrictions != null,
          dietaryRestrictions: input.dietaryRestrictions ?? [],
          specialRequests: opt(input.specialRequests),
          seatingPreferences: opt(input.seatingPreferences),
        });
        return toRsvp(rsvp!);
      },
      async cancelEventRSVP(_: unknown, args: { id: string; reason: string }, context: Context) {
        const { rsvp } = await events.cancelRsvp({
          caller: await callerOf(context),
          id: args.id,
          reason: args.reason,
        });
        return toRsvp(rsvp!);
      },
    },
  };
}
