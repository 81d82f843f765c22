import type { EventEnvelope } from '@clubland/bus';
import {
  clubEventStatusChanged,
  clubEventUpdated,
  rsvpStatusChanged,
} from '@clubland/contract/events/club-events';
import type { UseCaseContext } from '../app/deps.ts';
import type { EventRow } from '../store/event-queries.ts';
import type { RsvpChangeRow, RsvpRow } from '../store/rsvp-queries.ts';

/** Every event about club events and RSVPs is built here, from the contract's definition. */

function deps(context: UseCaseContext) {
  return { clock: context.clock, newId: context.newId };
}

export function clubEventStatusChangedEvent(
  event: EventRow,
  from: EventRow['status'] | null,
  changedBy: string,
  context: UseCaseContext,
): EventEnvelope {
  return clubEventStatusChanged.build(
    {
      tenantId: event.clubId,
      correlationId: context.correlationId,
      data: {
        eventId: event.id,
        clubId: event.clubId,
        from,
        to: event.status,
        reason: event.cancellationReason,
        changedBy,
        changedAt: event.updatedAt.toISOString(),
        startsAt: event.startsAt.toISOString(),
      },
    },
    deps(context),
  );
}

export function clubEventUpdatedEvent(
  event: EventRow,
  fields: string[],
  context: UseCaseContext,
): EventEnvelope {
  return clubEventUpdated.build(
    {
      tenantId: event.clubId,
      correlationId: context.correlationId,
      data: { eventId: event.id, clubId: event.clubId, fields },
    },
    deps(context),
  );
}

export function rsvpStatusChangedEvent(
  rsvp: RsvpRow,
  change: RsvpChangeRow,
  context: UseCaseContext,
): EventEnvelope {
  return rsvpStatusChanged.build(
    {
      tenantId: rsvp.clubId,
      correlationId: context.correlationId,
      data: {
        rsvpId: rsvp.id,
        eventId: rsvp.eventId,
        clubId: rsvp.clubId,
        memberId: rsvp.memberId,
        userId: rsvp.userId,
        from: change.fromStatus,
        to: change.toStatus,
        response: rsvp.response,
        seats: rsvp.seats,
        reason: change.reason,
        changedBy: change.changedBy,
        changedAt: change.changedAt.toISOString(),
      },
    },
    deps(context),
  );
}
