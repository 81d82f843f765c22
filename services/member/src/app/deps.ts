import type { Principal } from '@clubland/authz';
import type { Db } from '@clubland/db';
import type { MemberCache } from './member-cache.ts';

/** What the member service's use cases need from the world, passed in explicitly. */
export interface MemberDeps {
  db: Db;
  /** Members by id for display reads; every use case that writes a member forgets it after. */
  memberCache: MemberCache;
  /** Wakes the outbox relay after a commit, so events leave at once rather than at the next poll. */
  eventsWritten: () => void;
  /** How long a membership card is valid after issue (the app refreshes its QR code before). */
  cardTtlSeconds: number;
}

/** Per-call facts: who asks, under which correlation id, and the clock and ids to use. */
export interface UseCaseContext {
  /** The caller as the gateway read it from the verified token; null for anonymous calls. */
  principal: Principal | null;
  correlationId: string | null;
  clock: () => Date;
  newId: () => string;
}

export const MEMBER_SCHEMA = 'member';
export const DEFAULT_CARD_TTL_SECONDS = 300;
