import type { Bus, Subscription } from '@clubland/bus';
import { memoizeBatch } from '@clubland/cache';
import type { ClubFacts } from './deps.ts';

/**
 * Club facts kept for a short while: every check-in asks about two clubs (host and home), whose
 * coordinates, time zone and status change seldom. A club's entry is dropped at once when its
 * change is announced (club.updated, club.status_changed, heard by every instance), and in any
 * case after `ttlMs`, so a missed announcement costs at most that long. Unknown clubs are not
 * remembered (memoizeBatch): a club registered a moment ago is found on the next call.
 */
export interface CachedClubFacts extends ClubFacts {
  forget(clubId: string): void;
}

export const DEFAULT_CLUB_FACTS_TTL_MS = 30_000;

export function cacheClubFacts(
  inner: ClubFacts,
  options: { ttlMs: number; now?: () => number },
): CachedClubFacts {
  const memo = memoizeBatch((ids) => inner.describe(ids), options);
  return { describe: (ids) => memo.get(ids), forget: (clubId) => memo.forget(clubId) };
}

/** Forgets a club when any instance announces its change (a consumer per instance: every copy hears it). */
export function forgetOnClubEvents(
  bus: Bus,
  cache: CachedClubFacts,
  instanceId: string,
): Promise<Subscription> {
  return bus.subscribe({
    consumer: `reciprocal-club-facts-${instanceId}`,
    perInstance: true,
    types: ['club.updated', 'club.status_changed'],
    handler: async (event) => {
      const { clubId } = event.data as { clubId?: unknown };
      if (typeof clubId === 'string') cache.forget(clubId);
    },
  });
}
