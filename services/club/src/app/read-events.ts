import { authorize, can } from '@clubland/authz';
import { ClubError, invalidInput, notFound } from '@clubland/errors';
import {
  EVENT_STATUSES,
  EVENT_TYPES,
  type EventStatus,
  type EventType,
  OPEN_STATUSES,
  RSVP_STATUSES,
  type RsvpStatus,
} from '../domain/event.ts';
import {
  type Attendee,
  checkRsvpEligibility,
  type Eligibility,
  eventRefusals,
} from '../domain/rsvp-eligibility.ts';
import { createEventQueries, type EventRow, type EventView } from '../store/event-queries.ts';
import { createRsvpQueries, type RsvpView } from '../store/rsvp-queries.ts';
import type { ClubOpsDeps, UseCaseContext } from './deps.ts';
import { attendeeAt, authorizeEventRead, clubOfCall, clubsToSearch, findInClubs } from './event-access.ts';

/** Reads skip the domain: straight to the store, after the access check. */

const pageOf = (page: number, pageSize: number) => {
  const size = Math.min(Math.max(pageSize || 10, 1), 100);
  const number = Math.max(page || 1, 1);
  return { page: number, pageSize: size, limit: size, offset: (number - 1) * size };
};

const optionalEnum = <T extends string>(values: readonly T[], value: string, field: string): T | null => {
  if (value === '') return null;
  if ((values as readonly string[]).includes(value)) return value as T;
  throw invalidInput(field, `${field} must be one of ${values.join(', ')}`);
};

export async function listEvents(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  query: {
    clubId: string;
    status: string;
    eventType: string;
    from: Date | null;
    to: Date | null;
    page: number;
    pageSize: number;
  },
): Promise<{ events: EventView[]; total: number; page: number; pageSize: number }> {
  const clubId = clubOfCall(context.principal, query.clubId);
  const reader = await authorizeEventRead(deps, context.principal, clubId);
  const paging = pageOf(query.page, query.pageSize);
  const found = await deps.db.withTenant(clubId, (tx) =>
    createEventQueries(tx).list({
      clubId,
      includeDrafts: reader.scope === 'staff',
      visitorsOnly: reader.scope === 'visitor',
      status: optionalEnum<EventStatus>(EVENT_STATUSES, query.status, 'status'),
      eventType: optionalEnum<EventType>(EVENT_TYPES, query.eventType, 'type'),
      from: query.from,
      to: query.to,
      limit: paging.limit,
      offset: paging.offset,
    }),
  );
  return { ...found, page: paging.page, pageSize: paging.pageSize };
}

/** An event the caller may read; a draft (to non-staff) or another club's event reads as missing. */
export async function getEvent(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  requestedClubId: string,
  id: string,
): Promise<EventView> {
  const { clubId, found } = await findInClubs(
    deps,
    clubsToSearch(context.principal, requestedClubId),
    'event',
    id,
    (tx) => createEventQueries(tx).viewById(id),
  );
  const reader = await authorizeEventRead(deps, context.principal, clubId);
  if (reader.scope !== 'staff' && found.status === 'DRAFT') throw notFound('event', id);
  if (reader.scope === 'visitor' && !found.allowsReciprocalVisitors) throw notFound('event', id);
  return found;
}

export async function listMyRsvps(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  query: { status: string; page: number; pageSize: number },
): Promise<{ rsvps: RsvpView[]; total: number; page: number; pageSize: number }> {
  const clubs = clubsToSearch(context.principal, '');
  const principal = context.principal!;
  const status = optionalEnum<RsvpStatus>(RSVP_STATUSES, query.status, 'status');
  const paging = pageOf(query.page, query.pageSize);
  if (clubs.length === 1) {
    const found = await deps.db.withTenant(clubs[0]!, (tx) =>
      createRsvpQueries(tx).listByUser(principal.userId, status, paging.limit, paging.offset),
    );
    return { ...found, page: paging.page, pageSize: paging.pageSize };
  }
  // Several clubs (staff at more than one): merged in memory, by event start.
  const all: RsvpView[] = [];
  for (const clubId of clubs) {
    const found = await deps.db.withTenant(clubId, (tx) =>
      createRsvpQueries(tx).listByUser(principal.userId, status, paging.offset + paging.limit, 0),
    );
    all.push(...found.rsvps);
  }
  return {
    rsvps: all.slice(paging.offset, paging.offset + paging.limit),
    total: all.length,
    page: paging.page,
    pageSize: paging.pageSize,
  };
}

/**
 * Whether the member may RSVP, with every reason not. The caller's own membership when `memberId`
 * is empty or theirs; another member's needs event:manage, and the member service's word on them.
 */
export async function checkEligibility(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  query: { clubId: string; eventId: string; memberId: string; guestCount: number },
): Promise<Eligibility & { memberInGoodStanding: boolean; requiresApproval: boolean }> {
  const { clubId } = await findInClubs(
    deps,
    clubsToSearch(context.principal, query.clubId),
    'event',
    query.eventId,
    (tx) => createEventQueries(tx).findById(query.eventId),
  );
  const principal = context.principal!;
  let attendee: Attendee;
  let memberId: string | null;
  const own = await attendeeAt(deps, principal, clubId);
  if (query.memberId === '' || query.memberId === own.membership?.memberId) {
    attendee = own.attendee;
    memberId = own.membership?.memberId ?? null;
  } else {
    authorize(principal, 'event:manage', clubId);
    const member = await deps.eventMembers.find(principal, clubId, query.memberId);
    attendee = member
      ? { kind: 'member', membershipType: member.membershipType, isActive: member.isActive }
      : { kind: 'stranger' };
    memberId = member?.memberId ?? null;
  }
  if (attendee.kind === 'stranger' && !can(principal, 'event:manage', clubId))
    await authorizeEventRead(deps, principal, clubId);
  const now = context.clock();
  return deps.db.withTenant(clubId, async (tx) => {
    const event = await createEventQueries(tx).viewById(query.eventId);
    if (!event) throw notFound('event', query.eventId);
    const hasLiveRsvp = memberId
      ? (await createRsvpQueries(tx).findLive(event.id, memberId)) !== null
      : false;
    const eligibility = checkRsvpEligibility({
      event,
      attendee,
      guestCount: query.guestCount,
      hasLiveRsvp,
      now,
    });
    return {
      ...eligibility,
      memberInGoodStanding: attendee.kind !== 'stranger' && attendee.isActive,
      requiresApproval: event.requiresApproval,
    };
  });
}

/** Fellow members going to one event. */
export interface FriendsGoing {
  event: EventRow;
  /** "Ada L.", earliest RSVP first. */
  names: string[];
  /** The caller may still RSVP. */
  open: boolean;
}

/**
 * The "subgroups" of the mobile client's findingFriendsSubgroups: for each upcoming event of the
 * club, the fellow members (members of the club, the caller left out) going to it, as first name and
 * last initial; events nobody the caller knows is going to are left out. Members of the club only.
 */
export async function findFriendsGoing(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  query: { clubId: string; eventId: string },
): Promise<FriendsGoing[]> {
  const clubId = clubOfCall(context.principal, query.clubId);
  if (!can(context.principal, 'event:rsvp', clubId) && !can(context.principal, 'event:manage', clubId)) {
    authorize(context.principal, 'event:rsvp', clubId);
    throw new ClubError('request.forbidden', 'friends going are shown to members of the club');
  }
  const principal = context.principal!;
  const now = context.clock();
  return deps.db.withTenant(clubId, async (tx) => {
    const events = createEventQueries(tx);
    let upcoming: EventRow[];
    if (query.eventId !== '') {
      const one = await events.findById(query.eventId);
      if (!one || one.status === 'DRAFT') throw notFound('event', query.eventId);
      upcoming = [one];
    } else {
      upcoming = await events.upcoming(clubId, now, 50);
    }
    const going = await createRsvpQueries(tx).goingByEvent(
      upcoming.map((event) => event.id),
      principal.userId,
    );
    const names = new Map<string, string[]>();
    for (const row of going) names.set(row.eventId, [...(names.get(row.eventId) ?? []), row.displayName]);
    return upcoming
      .filter((event) => names.has(event.id))
      .map((event) => ({
        event,
        names: names.get(event.id) ?? [],
        open: OPEN_STATUSES.includes(event.status) && eventRefusals(event, now).length === 0,
      }));
  });
}
