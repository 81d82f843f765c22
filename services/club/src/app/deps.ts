import type { Principal } from '@clubland/authz';
import type { Db, Queryable } from '@clubland/db';
import type { HeldRange } from '../domain/availability.ts';
import type { BookingPeople } from './booking-ports.ts';
import type { EventMembers, VisitorAgreements } from './event-members.ts';
import type { FacilityDayCache } from './facility-day-cache.ts';

/** What the club service's use cases need from the world, passed in explicitly. */
export interface ClubOpsDeps {
  db: Db;
  /** Wakes the outbox relay after a commit, so events leave at once rather than at the next poll. */
  eventsWritten: () => void;
  /** Members as the member service describes them to the caller (event-members.ts); never its tables. */
  eventMembers: EventMembers;
  /** Whether a visitor's home club has an ACTIVE agreement with the host; null until that read model lands: visitors refused. */
  visitorAgreements: VisitorAgreements | null;
  /** Bookings open from a moment on, for refusing to delete a facility that has them. */
  futureBookings: FutureBookings;
  /** Bookings holding a facility's units over a time range, for availability. */
  heldBookings: HeldBookings;
  /** Clubs' time zones and statuses (the member service's directory). */
  clubs: ClubFacts;
  /** Bookers as the member service answers the caller (src/booking-directory.ts). */
  bookers: BookingPeople;
  /**
   * Facilities' clubs as read from club.facility_directory, remembered: a facility never changes
   * club (get-facilities.ts clubOfFacilityId); one instance's own, bounded.
   */
  facilityClubs: Map<string, string>;
  /** Facility days for availability, remembered briefly (facility-day-cache.ts); forget a facility after writing it. */
  facilityDays: FacilityDayCache;
}

/** Per-call facts: who asks, under which correlation id, and the clock and ids to use. */
export interface UseCaseContext {
  /** The caller as the gateway read it from the verified token; null for anonymous calls. */
  principal: Principal | null;
  correlationId: string | null;
  clock: () => Date;
  newId: () => string;
}

/** Bookings of a facility still open (requested, confirmed, checked in) that end after `from`; read in `tx`. */
export interface FutureBookings {
  count(tx: Queryable, facilityId: string, from: Date): Promise<number>;
}

/** Open bookings of a facility overlapping [from, to); `excludeId`: a booking to leave out (the one being moved). */
export interface HeldBookings {
  overlapping(
    tx: Queryable,
    facilityId: string,
    range: { from: Date; to: Date },
    excludeId: string | null,
  ): Promise<HeldRange[]>;
}

export interface ClubFact {
  id: string;
  status: 'ACTIVE' | 'INACTIVE' | 'SUSPENDED';
  /** IANA time zone, e.g. Europe/London. */
  timezone: string;
  /** ISO 4217: what the club charges in (fees, cancellations). */
  currency: string;
}

/** One club's facts, or null when the member service does not know it. */
export async function clubFactOf(clubs: ClubFacts, clubId: string): Promise<ClubFact | null> {
  return (await clubs.describe([clubId])).get(clubId) ?? null;
}

/** Clubs as the member service describes them; a club it does not know is absent. */
export interface ClubFacts {
  describe(ids: readonly string[]): Promise<Map<string, ClubFact>>;
}

export const CLUB_SCHEMA = 'club';
