import type { Principal } from '@clubland/authz';
import type { Db } from '@clubland/db';
import type { EventMembers, VisitorAgreements } from './event-members.ts';

/** What the club service's use cases need from the world, passed in explicitly. */
export interface ClubOpsDeps {
  db: Db;
  /** Wakes the outbox relay after a commit, so events leave at once rather than at the next poll. */
  eventsWritten: () => void;
  /** Members as the member service describes them to the caller (event-members.ts); never its tables. */
  eventMembers: EventMembers;
  /** Whether a visitor's home club has an ACTIVE agreement with the host; null until that read model lands: visitors refused. */
  visitorAgreements: VisitorAgreements | null;
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
