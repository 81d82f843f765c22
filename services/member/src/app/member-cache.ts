import { type Bus, forgetOnEvents, type Subscription } from '@clubland/bus';
import { createReadThroughCache } from '@clubland/cache';
import { memberErased, memberStatusChanged, memberUpdated } from '@clubland/contract/events/member';
import type { Db } from '@clubland/db';
import { createMemberQueries, type MemberRow } from '../store/member-queries.ts';

/**
 * Members read by id, kept in this process for `ttlMs`: the signed-in member's own record is
 * behind most screens of the app, and read far more often than it changes. Only `GetMember`
 * (display) reads through it; anything that decides on a member (a status change, a card, a
 * visit) reads the table inside its own transaction.
 *
 * Freshness: every use case that writes a member forgets it after its commit, so this process
 * reads its own writes at once; other instances forget when the write's event reaches them
 * (`forgetOnMemberEvents`), and the TTL bounds staleness if that event is lost.
 */
export interface MemberCache {
  read(clubId: string, memberId: string): Promise<MemberRow | undefined>;
  forget(clubId: string, memberId: string): void;
}

export const DEFAULT_MEMBER_CACHE_TTL_MS = 30_000;

export function createMemberCache(db: Db, options: { ttlMs: number; max?: number }): MemberCache {
  const rows = createReadThroughCache<MemberRow>({
    ttlMs: options.ttlMs,
    max: options.max,
    load: async (key) => {
      const [clubId, memberId] = key.split('/') as [string, string];
      const row = await db.readAtOnce(clubId, (tx) => createMemberQueries(tx).findById(clubId, memberId));
      // Shared by every reader: frozen so a use case that edits its copy fails loudly in tests.
      return row ? Object.freeze(row) : undefined;
    },
  });
  return {
    read: (clubId, memberId) => rows.get(`${clubId}/${memberId}`),
    forget: (clubId, memberId) => rows.forget(`${clubId}/${memberId}`),
  };
}

const MEMBER_WRITES = [memberUpdated.type, memberStatusChanged.type, memberErased.type];

/** Forgets members written by any instance, as their events arrive (every instance hears each). */
export function forgetOnMemberEvents(
  bus: Bus,
  cache: MemberCache,
  instanceId: string,
): Promise<Subscription> {
  return forgetOnEvents(bus, {
    name: 'member-cache',
    instanceId,
    types: MEMBER_WRITES,
    forget: ({ clubId, memberId }) => {
      if (typeof clubId === 'string' && typeof memberId === 'string') cache.forget(clubId, memberId);
    },
  });
}
