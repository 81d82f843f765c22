import type { Principal } from '@clubland/authz';
import type { Db } from '@clubland/db';

/** What the governance service's use cases need from the world, passed in explicitly. */
export interface GovernanceDeps {
  db: Db;
  /** Wakes the outbox relay after a commit, so events leave at once rather than at the next poll. */
  eventsWritten: () => void;
  /** Officers and clubs as the member service answers the caller (member-directory.ts); never its tables. */
  people: GovernancePeople;
}

/** The caller's own member record at a club, as the member service shows it to them; null: none there. */
export interface OfficerFact {
  memberId: string;
  status: 'PENDING' | 'ACTIVE' | 'SUSPENDED' | 'EXPIRED' | 'INACTIVE';
}

export interface GovernancePeople {
  /** The caller's member record at `clubId`, if they have one. */
  officerAt(principal: Principal, clubId: string): Promise<OfficerFact | null>;
  /** Whether the club is ACTIVE in the network (the member service's directory); false when unknown. */
  clubIsActive(clubId: string): Promise<boolean>;
  /** The club's ACTIVE members, counted by the member service for the caller (a WEIGHTED vote's weight). */
  activeMembers(principal: Principal, clubId: string): Promise<number>;
}

/** Per-call facts: who asks, under which correlation id, and the clock and ids to use. */
export interface UseCaseContext {
  /** The caller as the gateway read it from the verified token; null for anonymous calls. */
  principal: Principal | null;
  correlationId: string | null;
  clock: () => Date;
  newId: () => string;
}

export const GOVERNANCE_SCHEMA = 'governance';
