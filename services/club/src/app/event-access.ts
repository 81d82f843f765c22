import { authorize, can, type Principal } from '@clubland/authz';
import { assertClubId, type Tx } from '@clubland/db';
import { ClubError, invalidInput, notFound } from '@clubland/errors';
import type { Attendee } from '../domain/rsvp-eligibility.ts';
import type { ClubOpsDeps } from './deps.ts';
import type { MembershipFact } from './event-members.ts';

/**
 * Who may see and answer a club's events. Members of the club (a role there) read them; staff with
 * event:manage also see drafts. A reciprocal visitor reads the events that allow visitors, only while
 * their home club holds an ACTIVE agreement with the host (the VisitorAgreements port); until that
 * read model is wired, nobody outside the club sees its events.
 */

/** How the caller reads a club's events. */
export type EventReader = { principal: Principal; scope: 'staff' | 'member' | 'visitor' };

export async function authorizeEventRead(
  deps: ClubOpsDeps,
  principal: Principal | null,
  clubId: string,
): Promise<EventReader> {
  if (can(principal, 'event:manage', clubId)) return { principal: principal!, scope: 'staff' };
  if (can(principal, 'event:rsvp', clubId) || can(principal, 'club:read', clubId))
    return { principal: principal!, scope: 'member' };
  if (
    principal?.homeClubId &&
    deps.visitorAgreements &&
    (await deps.visitorAgreements.isActive(clubId, principal.homeClubId))
  )
    return { principal, scope: 'visitor' };
  authorize(principal, 'event:rsvp', clubId);
  throw new ClubError(
    'request.forbidden',
    deps.visitorAgreements
      ? "this club's events are for its members and visitors under an active reciprocal agreement"
      : "this club's events are for its members (reciprocal visitors: once agreements reach this service)",
  );
}

/** The club a call acts in: the one it names, else the caller's home club. */
export function clubOfCall(principal: Principal | null, requestedClubId: string): string {
  if (!principal) throw new ClubError('request.unauthenticated', 'sign in first');
  const clubId = requestedClubId !== '' ? requestedClubId : (principal.homeClubId ?? '');
  if (clubId === '') throw invalidInput('clubId', 'clubId is required when the caller has no home club');
  return assertClubId(clubId);
}

/**
 * Clubs where an event or RSVP named by id alone may be: the one named, else the caller's home club
 * and the clubs where they hold a role (row-level security needs the club before the row).
 */
export function clubsToSearch(principal: Principal | null, requestedClubId: string): string[] {
  if (!principal) throw new ClubError('request.unauthenticated', 'sign in first');
  if (requestedClubId !== '') return [assertClubId(requestedClubId)];
  const clubs = new Set<string>();
  if (principal.homeClubId) clubs.add(principal.homeClubId);
  for (const grant of principal.grants) if (grant.clubId) clubs.add(grant.clubId);
  return [...clubs];
}

/** Runs `find` in each club until one answers; NOT_FOUND otherwise. */
export async function findInClubs<T>(
  deps: ClubOpsDeps,
  clubs: readonly string[],
  entity: string,
  id: string,
  find: (tx: Tx) => Promise<T | null>,
): Promise<{ clubId: string; found: T }> {
  for (const clubId of clubs) {
    const found = await deps.db.withTenant(clubId, find);
    if (found !== null) return { clubId, found };
  }
  throw notFound(entity, id);
}

/** Who the caller is at the event's club: a member there, a visitor from their home club, or nobody we know. */
export async function attendeeAt(
  deps: ClubOpsDeps,
  principal: Principal,
  clubId: string,
): Promise<{ attendee: Attendee; membership: MembershipFact | null; rsvpType: 'PRIMARY' | 'RECIPROCAL' }> {
  const mine = await deps.eventMembers.mine(principal);
  const here = mine.find((fact) => fact.clubId === clubId);
  if (here) {
    return {
      attendee: { kind: 'member', membershipType: here.membershipType, isActive: here.isActive },
      membership: here,
      rsvpType: 'PRIMARY',
    };
  }
  const home = mine.find((fact) => fact.clubId === principal.homeClubId);
  if (!home) return { attendee: { kind: 'stranger' }, membership: null, rsvpType: 'PRIMARY' };
  const hasActiveAgreement = deps.visitorAgreements
    ? await deps.visitorAgreements.isActive(clubId, home.clubId)
    : false;
  return {
    attendee: {
      kind: 'visitor',
      membershipType: home.membershipType,
      isActive: home.isActive,
      hasActiveAgreement,
    },
    membership: home,
    rsvpType: 'RECIPROCAL',
  };
}
