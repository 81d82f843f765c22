import type { EventEnvelope } from '@clubland/bus';
import { userRegistered, userRoleGranted } from '@clubland/contract/events/auth';
import { bookingStatusChanged } from '@clubland/contract/events/booking';
import { rsvpStatusChanged } from '@clubland/contract/events/club-events';
import { ledgerEntryStatusChanged } from '@clubland/contract/events/ledger';
import { memberStatusChanged } from '@clubland/contract/events/member';
import {
  agreementStatusChanged,
  letterStatusChanged,
  visitStatusChanged,
} from '@clubland/contract/events/reciprocal';
import type { Notice } from './create-notifications.ts';
import type { Channel, Priority } from './deps.ts';

/**
 * What each domain event tells whom, as plain notices: pure, no I/O. The text is the plain English
 * default; club templates and locales (src/domain, issue 33's notif-domain) render over it by type.
 * `adminsOf` gives the club admins this service knows of (for events addressed to a club).
 */

type Draft = { title: string; body: string; priority?: Priority; channels?: readonly Channel[] };

const PERSONAL: readonly Channel[] = ['IN_APP', 'EMAIL', 'PUSH'];

const when = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

function notice(
  event: EventEnvelope,
  target: { clubId: string | null; userId: string },
  category: string,
  draft: Draft,
): Notice {
  return {
    clubId: target.clubId,
    userId: target.userId,
    type: event.type,
    category,
    title: draft.title,
    body: draft.body,
    priority: draft.priority ?? 'NORMAL',
    channels: draft.channels ?? PERSONAL,
    sourceEventId: event.id,
    sentBy: null,
  };
}

const BOOKING: Partial<Record<string, Draft>> = {
  REQUESTED: {
    title: 'Booking requested',
    body: 'Your booking of {facility} on {when} waits for the club to confirm it.',
  },
  CONFIRMED: { title: 'Booking confirmed', body: 'Your booking of {facility} on {when} is confirmed.' },
  CANCELLED: {
    title: 'Booking cancelled',
    body: 'Your booking of {facility} on {when} was cancelled.',
    priority: 'HIGH',
  },
  NO_SHOW: { title: 'Booking missed', body: 'Your booking of {facility} on {when} was marked as a no-show.' },
};

const RSVP: Partial<Record<string, Draft>> = {
  CONFIRMED: { title: 'You are going', body: 'Your place at the event is confirmed ({seats} seat(s)).' },
  PENDING: { title: 'RSVP received', body: 'Your RSVP waits for the club to approve it.' },
  WAITLISTED: { title: 'On the waitlist', body: 'The event is full: you are on its waitlist.' },
  CANCELLED: { title: 'RSVP cancelled', body: 'Your RSVP to the event was cancelled.' },
};

const LETTER: Partial<Record<string, Draft>> = {
  PENDING: {
    title: 'Letter of introduction requested',
    body: 'Your letter for {arrives} to {departs} waits for approval.',
  },
  APPROVED: {
    title: 'Letter of introduction approved',
    body: 'Your letter for {arrives} to {departs} is approved.',
    priority: 'HIGH',
  },
  DECLINED: {
    title: 'Letter of introduction declined',
    body: 'Your letter for {arrives} to {departs} was declined.',
  },
  REVOKED: {
    title: 'Letter of introduction revoked',
    body: 'Your letter for {arrives} to {departs} was revoked.',
    priority: 'HIGH',
  },
  EXPIRED: {
    title: 'Letter of introduction expired',
    body: 'Your letter for {arrives} to {departs} has expired.',
  },
};

const VISIT: Partial<Record<string, Draft>> = {
  CHECKED_IN: { title: 'Checked in', body: 'Welcome: your visit has begun.', channels: ['IN_APP', 'PUSH'] },
  CHECKED_OUT: {
    title: 'Checked out',
    body: 'Your visit has ended. Thank you for visiting.',
    channels: ['IN_APP'],
  },
  CANCELLED: { title: 'Visit cancelled', body: 'Your planned visit was cancelled.' },
};

const fill = (draft: Draft, values: Record<string, string>): Draft => ({
  ...draft,
  body: draft.body.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole),
});

/** The event types that cause notices (and the people read models' types, for the subscription). */
export const NOTICE_EVENT_TYPES = [
  userRegistered.type,
  userRoleGranted.type,
  memberStatusChanged.type,
  bookingStatusChanged.type,
  rsvpStatusChanged.type,
  letterStatusChanged.type,
  visitStatusChanged.type,
  agreementStatusChanged.type,
  ledgerEntryStatusChanged.type,
] as const;

export async function noticesOf(
  event: EventEnvelope,
  adminsOf: (clubIds: string[]) => Promise<{ clubId: string; userId: string }[]>,
): Promise<Notice[]> {
  if (userRegistered.is(event)) {
    const { data } = userRegistered.parse(event);
    return [
      notice(event, { clubId: data.clubId, userId: data.userId }, 'account', {
        title: 'Welcome to Clubland',
        body: `Hello ${data.firstName}, your account is ready.`,
        channels: ['IN_APP'],
      }),
    ];
  }
  if (userRoleGranted.is(event)) {
    const { data } = userRoleGranted.parse(event);
    if (data.grantedBy === null || data.role === 'MEMBER') return [];
    return [
      notice(event, { clubId: data.clubId, userId: data.userId }, 'account', {
        title: 'New role',
        body: `You now hold the ${data.role.replace('_', ' ').toLowerCase()} role.`,
        // In the app only: the auth service writes to the person about their account itself.
        channels: ['IN_APP'],
      }),
    ];
  }
  if (memberStatusChanged.is(event)) {
    const { data } = memberStatusChanged.parse(event);
    if (!data.userId) return [];
    return [
      notice(event, { clubId: data.clubId, userId: data.userId }, 'membership', {
        title: 'Membership update',
        body: `Your membership is now ${data.to.toLowerCase()}.`,
        priority: data.to === 'SUSPENDED' ? 'HIGH' : 'NORMAL',
      }),
    ];
  }
  if (bookingStatusChanged.is(event)) {
    const { data } = bookingStatusChanged.parse(event);
    const draft = BOOKING[data.to];
    if (!data.memberUserId || !draft || data.from === data.to) return [];
    return [
      notice(
        event,
        { clubId: data.clubId, userId: data.memberUserId },
        'bookings',
        fill(draft, { facility: data.facilityName, when: when(data.startsAt) }),
      ),
    ];
  }
  if (rsvpStatusChanged.is(event)) {
    const { data } = rsvpStatusChanged.parse(event);
    let draft = RSVP[data.to];
    if (data.from === 'WAITLISTED' && data.to === 'CONFIRMED')
      draft = {
        title: 'A seat opened up',
        body: 'You moved off the waitlist: your place is confirmed.',
        priority: 'HIGH',
      };
    if (!draft || data.from === data.to) return [];
    return [
      notice(
        event,
        { clubId: data.clubId, userId: data.userId },
        'events',
        fill(draft, { seats: String(data.seats) }),
      ),
    ];
  }
  if (letterStatusChanged.is(event)) {
    const { data } = letterStatusChanged.parse(event);
    const draft = LETTER[data.to];
    if (!data.memberUserId || !draft) return [];
    return [
      notice(
        event,
        { clubId: data.homeClubId, userId: data.memberUserId },
        'visits',
        fill(draft, { arrives: data.arrivesOn, departs: data.departsOn }),
      ),
    ];
  }
  if (visitStatusChanged.is(event)) {
    const { data } = visitStatusChanged.parse(event);
    const draft = VISIT[data.to];
    if (!data.memberUserId || !draft) return [];
    return [notice(event, { clubId: data.hostClubId, userId: data.memberUserId }, 'visits', draft)];
  }
  if (agreementStatusChanged.is(event)) {
    const { data } = agreementStatusChanged.parse(event);
    if (data.from === data.to) return [];
    const admins = await adminsOf([data.proposerClubId, data.partnerClubId]);
    return admins.map((admin) =>
      notice(event, admin, 'agreements', {
        title: 'Reciprocal agreement update',
        body: `A reciprocal agreement of your club is now ${data.to.toLowerCase()}.`,
        channels: ['IN_APP', 'EMAIL'],
      }),
    );
  }
  if (ledgerEntryStatusChanged.is(event)) {
    const { data } = ledgerEntryStatusChanged.parse(event);
    if (data.status !== 'FAILED') return [];
    const admins = await adminsOf([data.clubId]);
    return admins.map((admin) =>
      notice(event, admin, 'ledger', {
        title: 'Ledger entry failed',
        body: `A ${data.entityKind.toLowerCase()} record could not be written to the ledger${data.error ? `: ${data.error}` : ''}.`,
        priority: 'HIGH',
        channels: ['IN_APP', 'EMAIL'],
      }),
    );
  }
  return [];
}
