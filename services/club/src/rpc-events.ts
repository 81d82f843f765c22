import { create } from '@bufbuild/protobuf';
import { type Timestamp, timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  ClubEventService,
  type Event,
  type EventFields,
  EventSchema,
  type FriendsGoing,
  FriendsGoingSchema,
  type Rsvp,
  RsvpSchema,
} from '@clubland/contract/club/v1/events';
import type { CallerContext } from '@clubland/contract/member/v1/caller';
import type { ConnectRouter, HandlerContext } from '@connectrpc/connect';
import type { ClubOpsDeps, UseCaseContext } from './app/deps.ts';
import { cancelEvent, createEvent, type EventFieldsInput, updateEvent } from './app/manage-events.ts';
import type { FriendsGoing as FriendsGoingRow } from './app/read-events.ts';
import { checkEligibility, findFriendsGoing, getEvent, listEvents, listMyRsvps } from './app/read-events.ts';
import { cancelRsvp, createRsvp, updateRsvp } from './app/rsvp-to-event.ts';
import type { EventView } from './store/event-queries.ts';
import type { RsvpRow, RsvpView } from './store/rsvp-queries.ts';
import { createRsvpQueries } from './store/rsvp-queries.ts';

/** ClubEventService: protobuf in, use cases, protobuf out. No rules here. */
export function registerClubEventRpc(
  router: ConnectRouter,
  deps: ClubOpsDeps,
  contextOf: (handler: HandlerContext, caller?: CallerContext) => UseCaseContext,
): void {
  router.service(ClubEventService, {
    async createEvent(request, handler) {
      const row = await createEvent(
        deps,
        contextOf(handler, request.caller),
        request.clubId,
        fieldsOf(request.fields),
      );
      return { event: eventMessage({ ...row, tentativeCount: 0, waitlistCount: 0 }) };
    },
    async updateEvent(request, handler) {
      const context = contextOf(handler, request.caller);
      const row = await updateEvent(deps, context, request.clubId, request.id, fieldsOf(request.fields));
      return { event: eventMessage(await getEvent(deps, context, row.clubId, row.id)) };
    },
    async cancelEvent(request, handler) {
      const context = contextOf(handler, request.caller);
      const row = await cancelEvent(deps, context, request.clubId, request.id, request.reason);
      return { event: eventMessage(await getEvent(deps, context, row.clubId, row.id)) };
    },
    async listEvents(request, handler) {
      const page = await listEvents(deps, contextOf(handler, request.caller), {
        clubId: request.clubId,
        status: request.status,
        eventType: request.eventType,
        from: dateOf(request.from),
        to: dateOf(request.to),
        page: request.page,
        pageSize: request.pageSize,
      });
      return {
        events: page.events.map(eventMessage),
        total: page.total,
        page: page.page,
        pageSize: page.pageSize,
      };
    },
    async getEvent(request, handler) {
      return {
        event: eventMessage(
          await getEvent(deps, contextOf(handler, request.caller), request.clubId, request.id),
        ),
      };
    },
    async createRsvp(request, handler) {
      const row = await createRsvp(deps, contextOf(handler, request.caller), request.clubId, {
        eventId: request.eventId,
        response: request.response,
        guestCount: request.guestCount,
        guestNames: request.guestNames,
        dietaryRestrictions: request.dietaryRestrictions,
        specialRequests: request.specialRequests || null,
        seatingPreferences: request.seatingPreferences || null,
      });
      return { rsvp: await rsvpAsRead(deps, row) };
    },
    async updateRsvp(request, handler) {
      const row = await updateRsvp(deps, contextOf(handler, request.caller), request.clubId, request.id, {
        response: request.response,
        guestCount: request.guestCount,
        guestNames: request.setGuestNames ? request.guestNames : undefined,
        dietaryRestrictions: request.setDietaryRestrictions ? request.dietaryRestrictions : undefined,
        specialRequests: request.specialRequests,
        seatingPreferences: request.seatingPreferences,
      });
      return { rsvp: await rsvpAsRead(deps, row) };
    },
    async cancelRsvp(request, handler) {
      const row = await cancelRsvp(
        deps,
        contextOf(handler, request.caller),
        request.clubId,
        request.id,
        request.reason,
      );
      return { rsvp: await rsvpAsRead(deps, row) };
    },
    async listMyRsvps(request, handler) {
      const page = await listMyRsvps(deps, contextOf(handler, request.caller), {
        status: request.status,
        page: request.page,
        pageSize: request.pageSize,
      });
      return {
        rsvps: page.rsvps.map(rsvpMessage),
        total: page.total,
        page: page.page,
        pageSize: page.pageSize,
      };
    },
    async checkRsvpEligibility(request, handler) {
      const result = await checkEligibility(deps, contextOf(handler, request.caller), {
        clubId: request.clubId,
        eventId: request.eventId,
        memberId: request.memberId,
        guestCount: request.guestCount,
      });
      return {
        eligible: result.eligible,
        reasons: result.reasons,
        wouldBeWaitlisted: result.wouldBeWaitlisted,
        estimatedWaitlistPosition: result.estimatedWaitlistPosition,
        availableSpots: result.availableSpots,
        memberInGoodStanding: result.memberInGoodStanding,
        requiresApproval: result.requiresApproval,
      };
    },
    async findFriendsGoing(request, handler) {
      const groups = await findFriendsGoing(deps, contextOf(handler, request.caller), {
        clubId: request.clubId,
        eventId: request.eventId,
      });
      return { groups: groups.map(friendsMessage) };
    },
  });
}

/** The RSVP with its waitlist position and currency, read after the commit that wrote it. */
async function rsvpAsRead(deps: ClubOpsDeps, row: RsvpRow): Promise<Rsvp> {
  const view = await deps.db.readAtOnce(row.clubId, (tx) => createRsvpQueries(tx).viewById(row.id));
  return rsvpMessage(view ?? { ...row, waitlistPosition: 0, currency: 'GBP' });
}

const dateOf = (timestamp: Timestamp | undefined): Date | null =>
  timestamp ? timestampDate(timestamp) : null;
const stampOf = (date: Date | null): Timestamp | undefined => (date ? timestampFromDate(date) : undefined);

function fieldsOf(fields: EventFields | undefined): EventFieldsInput {
  if (!fields) return {};
  return {
    title: fields.title,
    description: fields.description,
    eventType: fields.eventType,
    status: fields.status,
    startsAt: dateOf(fields.startsAt) ?? undefined,
    endsAt: dateOf(fields.endsAt) ?? undefined,
    location: fields.location,
    imageUrl: fields.imageUrl,
    capacity: fields.capacity,
    rsvpDeadline: dateOf(fields.rsvpDeadline) ?? undefined,
    allowedMembershipTypes: fields.setAllowedMembershipTypes ? fields.allowedMembershipTypes : undefined,
    guestPolicy: fields.guestPolicy,
    maxGuestsPerMember: fields.maxGuestsPerMember,
    allowsReciprocalVisitors: fields.allowsReciprocalVisitors,
    requiresApproval: fields.requiresApproval,
    price: fields.price === undefined ? undefined : Number(fields.price),
    currency: fields.currency,
    paymentInstructions: fields.paymentInstructions,
    freeCancellationDays: fields.freeCancellationDays,
    cancellationFeePercent: fields.cancellationFeePercent,
    organizerName: fields.organizerName,
    contactEmail: fields.contactEmail,
    contactPhone: fields.contactPhone,
  };
}

function eventMessage(row: EventView): Event {
  return create(EventSchema, {
    id: row.id,
    clubId: row.clubId,
    title: row.title,
    description: row.description ?? '',
    eventType: row.eventType,
    status: row.status,
    startsAt: stampOf(row.startsAt),
    endsAt: stampOf(row.endsAt),
    location: row.location ?? '',
    imageUrl: row.imageUrl ?? '',
    capacity: row.capacity,
    seatsTaken: row.seatsTaken,
    tentativeCount: row.tentativeCount,
    waitlistCount: row.waitlistCount,
    rsvpDeadline: stampOf(row.rsvpDeadline),
    allowedMembershipTypes: row.allowedMembershipTypes,
    guestPolicy: row.guestPolicy,
    maxGuestsPerMember: row.maxGuestsPerMember,
    allowsReciprocalVisitors: row.allowsReciprocalVisitors,
    requiresApproval: row.requiresApproval,
    price: BigInt(row.price),
    currency: row.currency,
    paymentInstructions: row.paymentInstructions ?? '',
    freeCancellationDays: row.freeCancellationDays,
    cancellationFeePercent: row.cancellationFeePercent,
    organizerName: row.organizerName ?? '',
    contactEmail: row.contactEmail ?? '',
    contactPhone: row.contactPhone ?? '',
    createdAt: stampOf(row.createdAt),
    updatedAt: stampOf(row.updatedAt),
    cancellationReason: row.cancellationReason ?? '',
  });
}

function rsvpMessage(row: RsvpView): Rsvp {
  return create(RsvpSchema, {
    id: row.id,
    clubId: row.clubId,
    eventId: row.eventId,
    memberId: row.memberId,
    status: row.status,
    response: row.response,
    rsvpType: row.rsvpType,
    guestCount: row.guestCount,
    guestNames: row.guestNames,
    dietaryRestrictions: row.dietaryRestrictions,
    specialRequests: row.specialRequests ?? '',
    seatingPreferences: row.seatingPreferences ?? '',
    seats: row.seats,
    waitlistPosition: row.waitlistPosition,
    paymentStatus: row.paymentStatus,
    paymentAmount: BigInt(row.paymentAmount),
    cancellationFee: BigInt(row.cancellationFee),
    feeWaived: row.feeWaived,
    currency: row.currency,
    rsvpedAt: stampOf(row.rsvpedAt),
    updatedAt: stampOf(row.updatedAt),
    cancelledAt: stampOf(row.cancelledAt),
    cancellationReason: row.cancellationReason ?? '',
  });
}

function friendsMessage(group: FriendsGoingRow): FriendsGoing {
  return create(FriendsGoingSchema, {
    eventId: group.event.id,
    clubId: group.event.clubId,
    eventTitle: group.event.title,
    startsAt: stampOf(group.event.startsAt),
    names: group.names,
    count: group.names.length,
    open: group.open,
    organizerId: group.event.createdBy,
    organizerName: group.event.organizerName ?? '',
  });
}
