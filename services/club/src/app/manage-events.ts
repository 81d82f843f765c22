import { authorize } from '@clubland/authz';
import { addToOutbox, type EventEnvelope } from '@clubland/bus';
import { ClubError, invalidInput, notFound } from '@clubland/errors';
import {
  EVENT_STATUSES,
  EVENT_TYPES,
  type EventStatus,
  type EventType,
  GUEST_POLICIES,
  type GuestPolicy,
} from '../domain/event.ts';
import {
  clubEventStatusChangedEvent,
  clubEventUpdatedEvent,
  rsvpStatusChangedEvent,
} from '../events/club-event-builders.ts';
import { createEventQueries, type EventRow } from '../store/event-queries.ts';
import { createRsvpQueries } from '../store/rsvp-queries.ts';
import { CLUB_SCHEMA, type ClubOpsDeps, type UseCaseContext } from './deps.ts';
import { clubOfCall, clubsToSearch, findInClubs } from './event-access.ts';
import { promoteWaitlist } from './rsvp-to-event.ts';

/** An event's fields as written; undefined keeps the current value on update. */
export interface EventFieldsInput {
  title?: string | undefined;
  description?: string | null | undefined;
  eventType?: string | undefined;
  status?: string | undefined;
  startsAt?: Date | undefined;
  endsAt?: Date | undefined;
  location?: string | null | undefined;
  imageUrl?: string | null | undefined;
  capacity?: number | undefined;
  rsvpDeadline?: Date | null | undefined;
  allowedMembershipTypes?: string[] | undefined;
  guestPolicy?: string | undefined;
  maxGuestsPerMember?: number | undefined;
  allowsReciprocalVisitors?: boolean | undefined;
  requiresApproval?: boolean | undefined;
  price?: number | undefined;
  currency?: string | undefined;
  paymentInstructions?: string | null | undefined;
  freeCancellationDays?: number | undefined;
  cancellationFeePercent?: number | undefined;
  organizerName?: string | null | undefined;
  contactEmail?: string | null | undefined;
  contactPhone?: string | null | undefined;
}

const oneOf = <T extends string>(values: readonly T[], value: string, field: string): T => {
  if ((values as readonly string[]).includes(value)) return value as T;
  throw invalidInput(field, `${field} must be one of ${values.join(', ')}`);
};

const intIn = (value: number, min: number, max: number, field: string): number => {
  if (!Number.isInteger(value) || value < min || value > max)
    throw invalidInput(field, `${field} must be a whole number from ${min} to ${max}`);
  return value;
};

/** Merges `input` over `current` and validates the result (the DDL's checks, said with the field). */
function mergeFields(current: EventRow, input: EventFieldsInput): EventRow {
  const row: EventRow = { ...current };
  for (const [key, value] of Object.entries(input) as [keyof EventFieldsInput, unknown][]) {
    if (value !== undefined) (row as unknown as Record<string, unknown>)[key] = value;
  }
  row.title = row.title.trim();
  if (row.title.length < 1 || row.title.length > 200)
    throw invalidInput('title', 'title must be 1-200 characters');
  row.eventType = oneOf<EventType>(EVENT_TYPES, row.eventType, 'eventType');
  row.status = oneOf<EventStatus>(EVENT_STATUSES, row.status, 'status');
  row.guestPolicy = oneOf<GuestPolicy>(GUEST_POLICIES, row.guestPolicy, 'guestPolicy');
  if (Number.isNaN(row.startsAt.getTime())) throw invalidInput('startTime', 'startTime is required');
  if (!(row.endsAt > row.startsAt)) throw invalidInput('endTime', 'endTime must be after startTime');
  if (row.rsvpDeadline && row.rsvpDeadline > row.startsAt)
    throw invalidInput('rsvpDeadline', 'rsvpDeadline must not be after startTime');
  intIn(row.capacity, 1, 100_000, 'capacity');
  intIn(row.maxGuestsPerMember, 0, 50, 'maxGuestsPerMember');
  intIn(row.price, 0, 100_000_000, 'price');
  intIn(row.freeCancellationDays, 0, 365, 'freeCancellationDays');
  intIn(row.cancellationFeePercent, 0, 100, 'cancellationFeePercentage');
  if (!/^[A-Z]{3}$/.test(row.currency)) throw invalidInput('currency', 'currency must be an ISO 4217 code');
  return row;
}

/** Creates an event (needs event:manage); PUBLISHED unless a DRAFT is asked for. */
export async function createEvent(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  requestedClubId: string,
  input: EventFieldsInput,
): Promise<EventRow> {
  const clubId = clubOfCall(context.principal, requestedClubId);
  authorize(context.principal, 'event:manage', clubId);
  const now = context.clock();
  if (input.title === undefined) throw invalidInput('title', 'title is required');
  if (!input.startsAt) throw invalidInput('startTime', 'startTime is required');
  if (!input.endsAt) throw invalidInput('endTime', 'endTime is required');
  if (input.capacity === undefined) throw invalidInput('capacity', 'capacity is required');
  if (input.status === 'CANCELLED') throw invalidInput('status', 'an event is created, then cancelled');
  const blank: EventRow = {
    id: context.newId(),
    clubId,
    title: '',
    description: null,
    eventType: 'SOCIAL',
    status: 'PUBLISHED',
    startsAt: new Date(Number.NaN),
    endsAt: new Date(Number.NaN),
    location: null,
    imageUrl: null,
    capacity: 0,
    seatsTaken: 0,
    waitlistSeq: 0,
    rsvpDeadline: null,
    allowedMembershipTypes: [],
    guestPolicy: 'NO_GUESTS',
    maxGuestsPerMember: 0,
    allowsReciprocalVisitors: false,
    requiresApproval: false,
    price: 0,
    currency: 'GBP',
    paymentInstructions: null,
    freeCancellationDays: 0,
    cancellationFeePercent: 0,
    organizerName: null,
    contactEmail: null,
    contactPhone: null,
    createdBy: context.principal.userId,
    createdAt: now,
    updatedAt: now,
    cancelledAt: null,
    cancellationReason: null,
  };
  const row = mergeFields(blank, input);
  await deps.db.withTenant(clubId, async (tx) => {
    await createEventQueries(tx).insert(row);
    await addToOutbox(tx, CLUB_SCHEMA, [clubEventStatusChangedEvent(row, null, row.createdBy, context)]);
  });
  deps.eventsWritten();
  return row;
}

/**
 * Changes an event (needs event:manage). Capacity may not drop below the seats taken; seats it adds
 * go to the waitlist in the same transaction. A cancelled or completed event changes no more.
 */
export async function updateEvent(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  requestedClubId: string,
  id: string,
  input: EventFieldsInput,
): Promise<EventRow> {
  const { clubId } = await findInClubs(
    deps,
    clubsToSearch(context.principal, requestedClubId),
    'event',
    id,
    (tx) => createEventQueries(tx).findById(id),
  );
  return changeEvent(deps, context, clubId, id, async (current) => {
    if (input.status === 'CANCELLED') throw invalidInput('status', 'cancel an event with cancelEvent');
    const row = mergeFields(current, input);
    row.updatedAt = context.clock();
    if (row.capacity < current.seatsTaken)
      throw new ClubError('event.capacity_below_seats', `${current.seatsTaken} seats are taken already`, {
        field: 'capacity',
      });
    return row;
  });
}

/** Cancels an event and every live RSVP to it (needs event:manage). */
export async function cancelEvent(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  requestedClubId: string,
  id: string,
  reason: string,
): Promise<EventRow> {
  const trimmed = reason.trim();
  if (trimmed.length < 1 || trimmed.length > 1000)
    throw invalidInput('reason', 'reason must be 1-1000 characters');
  const { clubId } = await findInClubs(
    deps,
    clubsToSearch(context.principal, requestedClubId),
    'event',
    id,
    (tx) => createEventQueries(tx).findById(id),
  );
  return changeEvent(deps, context, clubId, id, async (current) => ({
    ...current,
    status: 'CANCELLED',
    cancelledAt: context.clock(),
    cancellationReason: trimmed,
    updatedAt: context.clock(),
  }));
}

async function changeEvent(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  clubId: string,
  id: string,
  change: (current: EventRow) => Promise<EventRow>,
): Promise<EventRow> {
  authorize(context.principal, 'event:manage', clubId);
  const principal = context.principal;
  const result = await deps.db.withTenant(clubId, async (tx) => {
    const events = createEventQueries(tx);
    // FOR UPDATE: RSVPs to the event wait, so the seats counted against the new capacity stay true.
    const current = await events.findById(id, { forUpdate: true });
    if (!current) throw notFound('event', id);
    if (current.status === 'CANCELLED' || current.status === 'COMPLETED')
      throw new ClubError('event.closed', `the event is ${current.status}`);
    const row = await change(current);
    await events.update(row);
    const outbox: EventEnvelope[] = [];
    const fields = (Object.keys(row) as (keyof EventRow)[]).filter(
      (key) => key !== 'updatedAt' && String(row[key]) !== String(current[key]),
    );
    if (row.status !== current.status)
      outbox.push(clubEventStatusChangedEvent(row, current.status, principal.userId, context));
    if (
      fields.some((field) => field !== 'status' && field !== 'cancelledAt' && field !== 'cancellationReason')
    )
      outbox.push(clubEventUpdatedEvent(row, fields, context));

    let seatsTaken = current.seatsTaken;
    if (row.status === 'CANCELLED') {
      const rsvps = createRsvpQueries(tx);
      for (const rsvp of await rsvps.live(id)) {
        const cancelled = {
          ...rsvp,
          status: 'CANCELLED' as const,
          seats: 0,
          waitlistSeq: null,
          cancelledAt: row.updatedAt,
          cancellationReason: 'the event was cancelled',
          updatedAt: row.updatedAt,
        };
        await rsvps.update(cancelled);
        const changeRow = {
          id: context.newId(),
          clubId,
          rsvpId: rsvp.id,
          fromStatus: rsvp.status,
          toStatus: 'CANCELLED' as const,
          reason: 'the event was cancelled',
          changedBy: principal.userId,
          changedAt: row.updatedAt,
        };
        await rsvps.addChange(changeRow);
        outbox.push(rsvpStatusChangedEvent(cancelled, changeRow, context));
      }
      seatsTaken = 0;
      await events.setCounters(id, 0, row.waitlistSeq);
    } else if (row.capacity > current.capacity) {
      const promoted = await promoteWaitlist(tx, row, seatsTaken, context);
      seatsTaken = promoted.seatsTaken;
      outbox.push(...promoted.events);
      await events.setCounters(id, seatsTaken, row.waitlistSeq);
    }
    if (outbox.length > 0) await addToOutbox(tx, CLUB_SCHEMA, outbox);
    return { ...row, seatsTaken };
  });
  deps.eventsWritten();
  return result;
}
