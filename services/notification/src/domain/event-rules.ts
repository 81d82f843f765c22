import type { EventDefinition, EventEnvelope } from '@clubland/bus';
import { userRoleGranted } from '@clubland/contract/events/auth';
import { bookingStatusChanged } from '@clubland/contract/events/booking';
import { clubEventStatusChanged, rsvpStatusChanged } from '@clubland/contract/events/club-events';
import { policyChanged, proposalStatusChanged } from '@clubland/contract/events/governance';
import { ledgerEntryStatusChanged } from '@clubland/contract/events/ledger';
import { clubStatusChanged, memberCreated, memberStatusChanged } from '@clubland/contract/events/member';
import {
  agreementStatusChanged,
  letterStatusChanged,
  visitStatusChanged,
} from '@clubland/contract/events/reciprocal';
import type { z } from 'zod';
import type { TemplateKey } from './catalogue.ts';
import type { NotificationCategory, NotificationPriority } from './notification.ts';
import { type Checked, refuseInput } from './refusal.ts';

/**
 * Which domain events become notifications, for whom, about what and how urgent: one table a
 * reader can check against contract/events. Pure: the caller resolves audiences (club admins,
 * members, an event's attendees) and lookups (a club's or an event's name) through RPC, renders
 * with render-notification.ts, and stores one notification per (source event, recipient).
 *
 * Not notified, on purpose: user.registered (auth sends its verification mail), role
 * revocations, profile and settings changes (club.updated, member.updated, facility.*,
 * club_event.updated), ledger entries that go well, a member's own cancellation of a booking or
 * RSVP, check-outs and completions (the member was there).
 */

export type Audience =
  | { kind: 'user'; userId: string }
  | { kind: 'club_admins'; clubId: string }
  /** Every club's administrators: the network's officers (a network vote). */
  | { kind: 'every_club_admins' }
  | { kind: 'club_members'; clubId: string }
  /** The members holding an RSVP (not cancelled) for the event. */
  | { kind: 'event_attendees'; clubId: string; eventId: string };

export interface NotificationPlan {
  templateKey: TemplateKey;
  category: NotificationCategory;
  priority: NotificationPriority;
  audience: Audience;
  /** The club the message speaks for: its name and branding, the notification's clubId. */
  clubId: string;
  /** The template's variables taken from the event (nulls made 'none' where a select tests them). */
  values: Record<string, string | number>;
  /** Names the caller looks up and adds to `values`: `otherClubName` (a club id), `eventTitle` (an event id). */
  lookups: { otherClubName?: string; eventTitle?: string };
  /** The source event's id; with the recipient, the key that makes a redelivered event one notification. */
  sourceEventId: string;
}

type Plan = Omit<NotificationPlan, 'sourceEventId'>;

interface Rule {
  type: string;
  version: number;
  /** The plans for the event's data; null when the data does not match the event's schema. */
  plan(data: unknown): Plan[] | null;
}

function rule<S extends z.ZodType>(
  definition: EventDefinition<S>,
  plan: (data: z.output<S>) => Plan[],
): Rule {
  return {
    type: definition.type,
    version: definition.version,
    plan(data) {
      const parsed = definition.schema.safeParse(data);
      return parsed.success ? plan(parsed.data) : null;
    },
  };
}

/** A free-text value a template tests with `{x, select, none {} other {...}}`: absent or blank is 'none'. */
const none = (value: string | null | undefined) => (value?.trim() ? value : 'none');

const RULES: Rule[] = [
  rule(memberCreated, (data) =>
    data.userId
      ? [
          {
            templateKey: 'member.created',
            category: 'MEMBERSHIP',
            priority: 'NORMAL',
            audience: { kind: 'user', userId: data.userId },
            clubId: data.clubId,
            values: { memberNumber: data.memberNumber, membershipType: data.membershipType },
            lookups: {},
          },
        ]
      : [],
  ),
  rule(memberStatusChanged, (data) =>
    data.userId
      ? [
          {
            templateKey: 'member.status_changed',
            category: 'MEMBERSHIP',
            priority: data.to === 'SUSPENDED' || data.to === 'INACTIVE' ? 'HIGH' : 'NORMAL',
            audience: { kind: 'user', userId: data.userId },
            clubId: data.clubId,
            values: { from: data.from, to: data.to, reason: none(data.reason) },
            lookups: {},
          },
        ]
      : [],
  ),
  rule(userRoleGranted, (data) =>
    // Grants the system makes (MEMBER at registration) are no news; network roles have no club.
    data.grantedBy && data.clubId && data.role !== 'MEMBER'
      ? [
          {
            templateKey: 'user.role_granted',
            category: 'ACCOUNT',
            priority: 'NORMAL',
            audience: { kind: 'user', userId: data.userId },
            clubId: data.clubId,
            values: { role: data.role },
            lookups: {},
          },
        ]
      : [],
  ),
  rule(clubStatusChanged, (data) => [
    {
      templateKey: 'club.status_changed',
      category: 'CLUB_ADMIN',
      priority: 'HIGH',
      audience: { kind: 'club_admins', clubId: data.clubId },
      clubId: data.clubId,
      values: { from: data.from, to: data.to, reason: none(data.reason) },
      lookups: {},
    },
  ]),
  rule(bookingStatusChanged, (data) => {
    if (!data.memberUserId) return [];
    const ownCancellation = data.to === 'CANCELLED' && data.changedBy === data.memberUserId;
    const told = ['REQUESTED', 'CONFIRMED', 'CANCELLED', 'NO_SHOW'].includes(data.to);
    if (!told || ownCancellation) return [];
    return [
      {
        templateKey: 'booking.status_changed',
        category: 'BOOKINGS',
        priority: data.to === 'CANCELLED' ? 'HIGH' : data.to === 'REQUESTED' ? 'LOW' : 'NORMAL',
        audience: { kind: 'user', userId: data.memberUserId },
        clubId: data.clubId,
        values: {
          from: none(data.from),
          to: data.to,
          facilityName: data.facilityName,
          startsAt: data.startsAt,
          endsAt: data.endsAt,
          guestCount: data.guestCount,
          reason: none(data.reason),
        },
        lookups: {},
      },
    ];
  }),
  rule(clubEventStatusChanged, (data) => {
    const base = {
      templateKey: 'club_event.status_changed' as const,
      category: 'EVENTS' as const,
      clubId: data.clubId,
      values: { from: none(data.from), to: data.to, startsAt: data.startsAt, reason: none(data.reason) },
      lookups: { eventTitle: data.eventId },
    };
    if (data.to === 'REGISTRATION_OPEN' && data.from !== 'REGISTRATION_CLOSED') {
      return [{ ...base, priority: 'LOW', audience: { kind: 'club_members', clubId: data.clubId } }];
    }
    if (data.to === 'CANCELLED' && data.from !== 'DRAFT' && data.from !== null) {
      return [
        {
          ...base,
          priority: 'HIGH',
          audience: { kind: 'event_attendees', clubId: data.clubId, eventId: data.eventId },
        },
      ];
    }
    return [];
  }),
  rule(rsvpStatusChanged, (data) => {
    const byTheClub = data.changedBy !== data.userId;
    const promoted = data.to === 'CONFIRMED' && data.from === 'WAITLISTED';
    const told =
      (data.to === 'CONFIRMED' && (data.from === null || promoted)) ||
      (data.to === 'WAITLISTED' && data.from === null) ||
      (data.to === 'CANCELLED' && byTheClub);
    if (!told) return [];
    return [
      {
        templateKey: 'rsvp.status_changed',
        category: 'EVENTS',
        priority: promoted || data.to === 'CANCELLED' ? 'HIGH' : 'NORMAL',
        audience: { kind: 'user', userId: data.userId },
        clubId: data.clubId,
        values: {
          from: none(data.from),
          to: data.to,
          response: data.response,
          seats: data.seats,
          reason: none(data.reason),
        },
        lookups: { eventTitle: data.eventId },
      },
    ];
  }),
  rule(agreementStatusChanged, (data) => {
    if (data.to === 'DRAFT') return [];
    const values = { from: none(data.from), to: data.to, reason: none(data.reason), startsOn: data.startsOn };
    const toClub = (clubId: string, otherClubId: string): Plan => ({
      templateKey: 'agreement.status_changed',
      category: 'CLUB_ADMIN',
      priority:
        data.to === 'PENDING' || data.to === 'SUSPENDED' || data.to === 'TERMINATED' ? 'HIGH' : 'NORMAL',
      audience: { kind: 'club_admins', clubId },
      clubId,
      values,
      lookups: { otherClubName: otherClubId },
    });
    // A proposal is news to the partner only: the proposer made it.
    if (data.to === 'PENDING') return [toClub(data.partnerClubId, data.proposerClubId)];
    return [toClub(data.proposerClubId, data.partnerClubId), toClub(data.partnerClubId, data.proposerClubId)];
  }),
  rule(proposalStatusChanged, (data) => {
    // A vote opening, decided or withdrawn while open concerns every club (each has a vote); an
    // expiry only the proposing club; drafts, submissions and the network's review nobody else.
    const everyClub =
      data.to === 'VOTING_OPEN' ||
      data.to === 'APPROVED' ||
      data.to === 'REJECTED' ||
      (data.to === 'WITHDRAWN' && data.from === 'VOTING_OPEN');
    if (!everyClub && data.to !== 'EXPIRED') return [];
    return [
      {
        templateKey: 'proposal.status_changed',
        category: 'CLUB_ADMIN',
        priority: data.to === 'VOTING_OPEN' ? 'HIGH' : 'NORMAL',
        audience: everyClub ? { kind: 'every_club_admins' } : { kind: 'club_admins', clubId: data.clubId },
        // The message speaks for the proposing club (its name in the text).
        clubId: data.clubId,
        values: {
          to: data.to,
          title: data.title,
          reason: none(data.reason),
          votingEndsAt: data.votingEndsAt,
          yay: data.yay,
          nay: data.nay,
          abstain: data.abstain,
        },
        lookups: {},
      },
    ];
  }),
  rule(policyChanged, (data) =>
    // A policy put in force that asks the members to acknowledge it: they are asked.
    data.change === 'ACTIVATED' && data.requiresAcknowledgment
      ? [
          {
            templateKey: 'policy.changed',
            category: 'MEMBERSHIP',
            priority: 'NORMAL',
            audience: { kind: 'club_members', clubId: data.clubId },
            clubId: data.clubId,
            values: { name: data.name, version: data.version, effectiveDate: data.effectiveDate },
            lookups: {},
          },
        ]
      : [],
  ),
  rule(letterStatusChanged, (data) => {
    const told =
      (data.to === 'PENDING' && data.from === null) ||
      ['APPROVED', 'DECLINED', 'REVOKED', 'EXPIRED'].includes(data.to);
    if (!data.memberUserId || !told) return [];
    return [
      {
        templateKey: 'letter.status_changed',
        category: 'RECIPROCAL',
        priority:
          data.to === 'DECLINED' || data.to === 'REVOKED' ? 'HIGH' : data.to === 'PENDING' ? 'LOW' : 'NORMAL',
        audience: { kind: 'user', userId: data.memberUserId },
        clubId: data.homeClubId,
        values: {
          from: none(data.from),
          to: data.to,
          reason: none(data.reason),
          arrivesOn: data.arrivesOn,
          departsOn: data.departsOn,
        },
        lookups: { otherClubName: data.hostClubId },
      },
    ];
  }),
  rule(visitStatusChanged, (data) => {
    if (!data.memberUserId || !['CHECKED_IN', 'CANCELLED', 'NO_SHOW'].includes(data.to)) return [];
    return [
      {
        templateKey: 'visit.status_changed',
        category: 'RECIPROCAL',
        priority: 'NORMAL',
        audience: { kind: 'user', userId: data.memberUserId },
        clubId: data.homeClubId,
        values: {
          from: none(data.from),
          to: data.to,
          reason: none(data.reason),
          guestCount: data.guestCount ?? 0,
        },
        lookups: { otherClubName: data.hostClubId },
      },
    ];
  }),
  rule(ledgerEntryStatusChanged, (data) =>
    data.status === 'FAILED'
      ? [
          {
            templateKey: 'ledger.entry_status_changed',
            category: 'CLUB_ADMIN',
            priority: 'HIGH',
            audience: { kind: 'club_admins', clubId: data.clubId },
            clubId: data.clubId,
            values: { entityKind: data.entityKind, error: data.error ?? 'unknown error' },
            lookups: {},
          },
        ]
      : [],
  ),
];

/** The event types that can produce notifications: what the consumer subscribes to. */
export const NOTIFYING_EVENT_TYPES: readonly string[] = RULES.map((r) => r.type);

/**
 * The notifications one domain event asks for (often none). Unknown types and versions give none;
 * a known type whose data does not match its schema is a refusal (the consumer logs it and acks:
 * redelivery would not mend it).
 */
export function planNotifications(event: EventEnvelope): Checked<NotificationPlan[]> {
  const match = RULES.find((r) => r.type === event.type && r.version === event.version);
  if (!match) return { ok: true, value: [] };
  const plans = match.plan(event.data);
  if (plans === null)
    return refuseInput('data', `${event.type} v${event.version} data does not match its schema`);
  return { ok: true, value: plans.map((plan) => ({ ...plan, sourceEventId: event.id })) };
}

/** What the service's own mails (auth's, through the email channel) are: security, never held. */
export const AUTH_EMAILS = {
  'auth.verify-email': { category: 'SECURITY', priority: 'CRITICAL' },
  'auth.reset-password': { category: 'SECURITY', priority: 'CRITICAL' },
  'auth.club-invitation': { category: 'SECURITY', priority: 'CRITICAL' },
} as const satisfies Partial<
  Record<TemplateKey, { category: NotificationCategory; priority: NotificationPriority }>
>;
