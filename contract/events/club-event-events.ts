import { defineEvent } from '@clubland/bus';
import { z } from 'zod';

/**
 * Events the club service publishes about club events and RSVPs. Ids, statuses and counts only:
 * no member's name or answers to free-text questions.
 */

export const CLUB_EVENT_STATUSES = [
  'DRAFT',
  'PUBLISHED',
  'REGISTRATION_OPEN',
  'REGISTRATION_CLOSED',
  'IN_PROGRESS',
  'COMPLETED',
  'CANCELLED',
] as const;

/** An event was created (`from` null), changed status or was cancelled. */
export const clubEventStatusChanged = defineEvent(
  'club_event.status_changed',
  1,
  z.object({
    eventId: z.uuid(),
    clubId: z.uuid(),
    from: z.enum(CLUB_EVENT_STATUSES).nullable(),
    to: z.enum(CLUB_EVENT_STATUSES),
    reason: z.string().nullable(),
    changedBy: z.uuid(),
    changedAt: z.iso.datetime({ offset: true }),
    startsAt: z.iso.datetime({ offset: true }),
  }),
);

/** An event's details changed (`fields`: their names). */
export const clubEventUpdated = defineEvent(
  'club_event.updated',
  1,
  z.object({ eventId: z.uuid(), clubId: z.uuid(), fields: z.array(z.string()) }),
);

export const RSVP_STATUSES = [
  'PENDING',
  'CONFIRMED',
  'WAITLISTED',
  'ATTENDED',
  'NO_SHOW',
  'CANCELLED',
] as const;

/** An RSVP was made (`from` null), moved (a waitlist promotion: `changedBy` null) or cancelled. */
export const rsvpStatusChanged = defineEvent(
  'rsvp.status_changed',
  1,
  z.object({
    rsvpId: z.uuid(),
    eventId: z.uuid(),
    clubId: z.uuid(),
    memberId: z.uuid(),
    userId: z.uuid(),
    from: z.enum(RSVP_STATUSES).nullable(),
    to: z.enum(RSVP_STATUSES),
    response: z.enum(['YES', 'MAYBE', 'NO']),
    seats: z.number().int().min(0),
    reason: z.string().nullable(),
    changedBy: z.uuid().nullable(),
    changedAt: z.iso.datetime({ offset: true }),
  }),
);
