import type { Db } from '@clubland/db';

/** What the member service's use cases need from the world, passed in explicitly. */
export interface MemberDeps {
  db: Db;
  /** Wakes the outbox relay after a commit, so events leave at once rather than at the next poll. */
  eventsWritten: () => void;
}

/** Per-call facts: who asks, under which correlation id, and the clock and ids to use. */
export interface UseCaseContext {
  correlationId: string | null;
  clock: () => Date;
  newId: () => string;
}

export const MEMBER_SCHEMA = 'member';
