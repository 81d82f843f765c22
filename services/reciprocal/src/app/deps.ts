import type { Principal } from '@clubland/authz';
import type { Db } from '@clubland/db';

/** What the reciprocal service's use cases need from the world, passed in explicitly. */
export interface ReciprocalDeps {
  db: Db;
  /** Wakes the outbox relay after a commit, so events leave at once rather than at the next poll. */
  eventsWritten: () => void;
  /** Clubs as the member service describes them (club-directory.ts); never its tables. */
  clubs: ClubFacts;
}

/** A club as agreements and the front desk need it. */
export interface ClubFact {
  id: string;
  name: string;
  status: 'ACTIVE' | 'INACTIVE' | 'SUSPENDED';
  latitude: number | null;
  longitude: number | null;
  /** The address's city, for the residents rule; '' when unknown. */
  city: string;
  /** IANA time zone: the host's calendar decides a visit's day. */
  timezone: string;
  currency: string;
}

export interface ClubFacts {
  /** The clubs by id; unknown ids are absent. */
  describe(ids: readonly string[]): Promise<Map<string, ClubFact>>;
}

/** Per-call facts: who asks, under which correlation id, and the clock and ids to use. */
export interface UseCaseContext {
  /** The caller as the gateway read it from the verified token; null for anonymous calls. */
  principal: Principal | null;
  correlationId: string | null;
  clock: () => Date;
  newId: () => string;
}

export const RECIPROCAL_SCHEMA = 'reciprocal';
