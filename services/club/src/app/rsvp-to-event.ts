import { authorize, can, type Principal } from '@clubland/authz';
import { addToOutbox, type EventEnvelope } from '@clubland/bus';
import type { Tx } from '@clubland/db';
import { ClubError, invalidInput, notFound } from '@clubland/errors';
import { RSVP_RESPONSES, type RsvpResponse, type RsvpStatus } from '../domain/event.ts';
import {
  checkRsvpEligibility,
  type Eligibility,
  eventRefusals,
  guestRefusals,
} from '../domain/rsvp-eligibility.ts';
import { cancellationFeeOf, placeRsvp, promotionsFrom, seatsWanted } from '../domain/rsvp-lifecycle.ts';
import { rsvpStatusChangedEvent } from '../events/club-event-builders.ts';
import { createEventQueries, type EventRow } from '../store/event-queries.ts';
import { createRsvpQueries, type RsvpChangeRow, type RsvpRow } from '../store/rsvp-queries.ts';
import { CLUB_SCHEMA, type ClubOpsDeps, type UseCaseContext } from './deps.ts';
import { attendeeAt, clubsToSearch, findInClubs } from './event-access.ts';

export interface RsvpInput {
  eventId: string;
  response: string;
  guestCount: number;
  guestNames: string[];
  dietaryRestrictions: string[];
  specialRequests: string | null;
  seatingPreferences: string | null;
}

export interface RsvpPatch {
  response?: string | undefined;
  guestCount?: number | undefined;
  guestNames?: string[] | undefined;
  dietaryRestrictions?: string[] | undefined;
  specialRequests?: string | undefined;
  seatingPreferences?: string | undefined;
}

function responseOf(value: string): RsvpResponse {
  const response = value === '' ? 'YES' : value;
  if (!(RSVP_RESPONSES as readonly string[]).includes(response))
    throw invalidInput('response', `response must be one of ${RSVP_RESPONSES.join(', ')}`);
  return response as RsvpResponse;
}

function guestCountOf(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 50)
    throw invalidInput('guestCount', 'guestCount must be a whole number from 0 to 50');
  return value;
}

/**
 * RSVPs to an event (needs event:rsvp where the caller is a member: at the event's club, or at a
 * reciprocal visitor's home club). Every RSVP change to an event holds the event's row (FOR UPDATE):
 * seats_taken and the waitlist order are read and written by one transaction at a time, so 50
 * concurrent YES answers to 10 seats seat exactly 10 and queue the other 40 in the order they got
 * the lock. Refused with every reason (rsvp.refused) before anything is written.
 */
export async function createRsvp(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  requestedClubId: string,
  input: RsvpInput,
): Promise<RsvpRow> {
  const { clubId } = await findInClubs(
    deps,
    clubsToSearch(context.principal, requestedClubId),
    'event',
    input.eventId,
    (tx) => createEventQueries(tx).findById(input.eventId),
  );
  const principal = context.principal!;
  // Outside the transaction: the member service may share this database.
  const who = await attendeeAt(deps, principal, clubId);
  authorize(principal, 'event:rsvp', who.membership?.clubId ?? clubId);
  const response = responseOf(input.response);
  const guestCount = guestCountOf(input.guestCount);
  const now = context.clock();

  const result = await deps.db.withTenant(clubId, async (tx) => {
    const events = createEventQueries(tx);
    const rsvps = createRsvpQueries(tx);
    const event = await events.findById(input.eventId, { forUpdate: true });
    if (!event) throw notFound('event', input.eventId);
    const waitlist = await rsvps.waitlist(event.id);
    const live = who.membership ? await rsvps.findLive(event.id, who.membership.memberId) : null;
    const eligibility = checkRsvpEligibility({
      event: { ...event, waitlistCount: waitlist.length },
      attendee: who.attendee,
      guestCount: response === 'YES' ? guestCount : 0,
      hasLiveRsvp: live !== null,
      now,
    });
    if (!eligibility.eligible || !who.membership) throw refused(eligibility);

    const placement = placeRsvp({
      response,
      guestCount,
      seatsFree: waitlist.length > 0 ? 0 : event.capacity - event.seatsTaken,
      requiresApproval: event.requiresApproval,
    });
    const waitlistSeq = placement.status === 'WAITLISTED' ? event.waitlistSeq + 1 : null;
    const row: RsvpRow = {
      id: context.newId(),
      clubId,
      eventId: event.id,
      memberId: who.membership.memberId,
      userId: principal.userId,
      displayName: who.membership.displayName,
      rsvpType: who.rsvpType,
      response,
      status: placement.status,
      guestCount,
      guestNames: input.guestNames.slice(0, guestCount),
      dietaryRestrictions: input.dietaryRestrictions,
      specialRequests: input.specialRequests,
      seatingPreferences: input.seatingPreferences,
      seats: placement.seats,
      waitlistSeq,
      paymentStatus: 'PENDING',
      paymentAmount: response === 'YES' ? event.price * (1 + guestCount) : 0,
      cancellationFee: 0,
      feeWaived: false,
      rsvpedAt: now,
      updatedAt: now,
      cancelledAt: null,
      cancellationReason: null,
    };
    await rsvps.insert(row);
    await events.setCounters(event.id, event.seatsTaken + row.seats, waitlistSeq ?? event.waitlistSeq);
    const change = await recordChange(rsvps, row, null, null, principal.userId, context);
    await addToOutbox(tx, CLUB_SCHEMA, [rsvpStatusChangedEvent(row, change, context)]);
    return row;
  });
  deps.eventsWritten();
  return result;
}

/**
 * Changes an RSVP's answer, party or requests (its member, or event:manage). A seated RSVP that
 * asks for more seats than are free keeps what it has (rsvp.no_seats); seats it gives back go to
 * the waitlist in the same transaction.
 */
export async function updateRsvp(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  requestedClubId: string,
  id: string,
  patch: RsvpPatch,
): Promise<RsvpRow> {
  return changeRsvp(deps, context, requestedClubId, id, (current, event, waitlistLength) => {
    const response = patch.response !== undefined ? responseOf(patch.response) : current.response;
    const guestCount = patch.guestCount !== undefined ? guestCountOf(patch.guestCount) : current.guestCount;
    const reasons = [
      ...eventRefusals(event, context.clock()),
      ...guestRefusals(event, response === 'YES' ? guestCount : 0),
    ];
    if (reasons.length > 0) throw refused({ reasons });
    const wanted = seatsWanted(response, guestCount);
    let status: RsvpStatus = current.status;
    let seats = current.seats;
    let waitlistSeq = current.waitlistSeq;
    if (wanted === 0) {
      status = 'PENDING';
      seats = 0;
      waitlistSeq = null;
    } else if (current.seats > 0) {
      if (wanted > event.capacity - event.seatsTaken + current.seats)
        throw new ClubError('rsvp.no_seats', `only ${event.capacity - event.seatsTaken} more seats are free`);
      seats = wanted;
    } else if (current.status !== 'WAITLISTED') {
      const placement = placeRsvp({
        response,
        guestCount,
        seatsFree: waitlistLength > 0 ? 0 : event.capacity - event.seatsTaken,
        requiresApproval: event.requiresApproval,
      });
      status = placement.status;
      seats = placement.seats;
      waitlistSeq = status === 'WAITLISTED' ? event.waitlistSeq + 1 : null;
    }
    return {
      ...current,
      response,
      guestCount,
      status,
      seats,
      waitlistSeq,
      guestNames: (patch.guestNames ?? current.guestNames).slice(0, guestCount),
      dietaryRestrictions: patch.dietaryRestrictions ?? current.dietaryRestrictions,
      specialRequests: patch.specialRequests ?? current.specialRequests,
      seatingPreferences: patch.seatingPreferences ?? current.seatingPreferences,
      paymentAmount: response === 'YES' ? event.price * (1 + guestCount) : 0,
      updatedAt: context.clock(),
    };
  });
}

/** Cancels an RSVP (its member, or event:manage); its seats go to the waitlist's first, in the same transaction. */
export async function cancelRsvp(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  requestedClubId: string,
  id: string,
  reason: string,
): Promise<RsvpRow> {
  const trimmed = reason.trim();
  if (trimmed.length > 1000) throw invalidInput('reason', 'reason must be at most 1000 characters');
  return changeRsvp(deps, context, requestedClubId, id, (current, event) => {
    const now = context.clock();
    const fee = cancellationFeeOf({
      now,
      startsAt: event.startsAt,
      freeCancellationDays: event.freeCancellationDays,
      feePercent: event.cancellationFeePercent,
      paymentAmount: current.seats > 0 ? current.paymentAmount : 0,
    });
    return {
      ...current,
      status: 'CANCELLED',
      seats: 0,
      waitlistSeq: null,
      cancellationFee: fee,
      feeWaived: false,
      cancelledAt: now,
      cancellationReason: trimmed || null,
      updatedAt: now,
    };
  });
}

async function changeRsvp(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  requestedClubId: string,
  id: string,
  change: (current: RsvpRow, event: EventRow, waitlistLength: number) => RsvpRow,
): Promise<RsvpRow> {
  const { clubId } = await findInClubs(
    deps,
    clubsToSearch(context.principal, requestedClubId),
    'rsvp',
    id,
    (tx) => createRsvpQueries(tx).findById(id),
  );
  const principal = context.principal!;
  const result = await deps.db.withTenant(clubId, async (tx) => {
    const events = createEventQueries(tx);
    const rsvps = createRsvpQueries(tx);
    const found = await rsvps.findById(id);
    if (!found) throw notFound('rsvp', id);
    requireRsvpOwner(principal, found);
    // FOR UPDATE on the event, then the RSVP read again under it: the lock every RSVP change takes.
    const event = await events.findById(found.eventId, { forUpdate: true });
    if (!event) throw notFound('event', found.eventId);
    const current = (await rsvps.findById(id))!;
    if (current.status === 'CANCELLED' || current.status === 'ATTENDED' || current.status === 'NO_SHOW')
      throw new ClubError('rsvp.transition_refused', `the RSVP is ${current.status}`);
    const waitlist = await rsvps.waitlist(event.id);
    const next = change(current, event, waitlist.length);
    await rsvps.update(next);
    const outbox: EventEnvelope[] = [];
    if (next.status !== current.status) {
      const changeRow = await recordChange(
        rsvps,
        next,
        current.status,
        next.cancellationReason,
        principal.userId,
        context,
      );
      outbox.push(rsvpStatusChangedEvent(next, changeRow, context));
    }
    const promoted = await promoteWaitlist(tx, event, event.seatsTaken - current.seats + next.seats, context);
    outbox.push(...promoted.events);
    await events.setCounters(
      event.id,
      promoted.seatsTaken,
      Math.max(event.waitlistSeq, next.waitlistSeq ?? 0),
    );
    if (outbox.length > 0) await addToOutbox(tx, CLUB_SCHEMA, outbox);
    return next;
  });
  deps.eventsWritten();
  return result;
}

/**
 * Seats the waitlist's first parties that fit in the seats free, in order (domain/rsvp-lifecycle.ts).
 * Inside the caller's transaction, under the event's lock; returns the seats now taken.
 */
export async function promoteWaitlist(
  tx: Tx,
  event: EventRow,
  seatsTaken: number,
  context: UseCaseContext,
): Promise<{ seatsTaken: number; events: EventEnvelope[] }> {
  const rsvps = createRsvpQueries(tx);
  const waitlist = (await rsvps.waitlist(event.id)).map((rsvp) => ({
    rsvp,
    seatsWanted: seatsWanted(rsvp.response, rsvp.guestCount),
  }));
  const now = context.clock();
  const events: EventEnvelope[] = [];
  let taken = seatsTaken;
  for (const { rsvp, seatsWanted: seats } of promotionsFrom(waitlist, event.capacity - seatsTaken)) {
    const promoted: RsvpRow = {
      ...rsvp,
      status: event.requiresApproval ? 'PENDING' : 'CONFIRMED',
      seats,
      waitlistSeq: null,
      updatedAt: now,
    };
    await rsvps.update(promoted);
    const change = await recordChange(rsvps, promoted, 'WAITLISTED', 'a seat was freed', null, context);
    events.push(rsvpStatusChangedEvent(promoted, change, context));
    taken += seats;
  }
  return { seatsTaken: taken, events };
}

async function recordChange(
  rsvps: ReturnType<typeof createRsvpQueries>,
  row: RsvpRow,
  from: RsvpStatus | null,
  reason: string | null,
  changedBy: string | null,
  context: UseCaseContext,
): Promise<RsvpChangeRow> {
  const change: RsvpChangeRow = {
    id: context.newId(),
    clubId: row.clubId,
    rsvpId: row.id,
    fromStatus: from,
    toStatus: row.status,
    reason,
    changedBy,
    changedAt: row.updatedAt,
  };
  await rsvps.addChange(change);
  return change;
}

/** An RSVP is changed by its member or by staff with event:manage; anyone else is told it does not exist. */
function requireRsvpOwner(principal: Principal, rsvp: RsvpRow): void {
  if (rsvp.userId === principal.userId) return;
  if (can(principal, 'event:manage', rsvp.clubId)) return;
  throw notFound('rsvp', rsvp.id);
}

function refused(eligibility: Pick<Eligibility, 'reasons'>): ClubError {
  return new ClubError('rsvp.refused', `RSVP refused: ${eligibility.reasons.join(', ')}`, {
    reasons: eligibility.reasons,
  });
}
