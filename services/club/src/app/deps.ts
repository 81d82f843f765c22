import type { Principal } from '@clubland/authz';
import type { Db } from '@clubland/db';
import type { BookingClubFacts, BookingPeople } from './booking-ports.ts';

/** What the club service's use cases need from the world, passed in explicitly. */
export interface ClubOpsDeps {
  db: Db;
  /** Wakes the outbox relay after a commit, so events leave at once rather than at the next poll. */
  eventsWritten: () => void;
  /** Bookers as the member service answers the caller (src/booking-directory.ts). */
  bookers: BookingPeople;
  /** Time zone and currency of a club, for bookings (src/booking-directory.ts). */
  bookingClubs: BookingClubFacts;
}

/** Per-call facts: who asks, under which correlation id, and the clock and ids to use. */
export interface UseCaseContext {
  /** The caller as the gateway read it from the verified token; null for anonymous calls. */
  principal: Principal | null;
  correlationId: string | null;
  clock: () => Date;
  newId: () => string;
}

export const CLUB_SCHEMA = 'club';
