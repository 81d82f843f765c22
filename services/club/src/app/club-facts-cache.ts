import { type Bus, forgetOnEvents, type Subscription } from '@clubland/bus';
import { memoizeBatch } from '@clubland/cache';
import { clubStatusChanged, clubUpdated } from '@clubland/contract/events/member';
import type { ClubFacts } from './deps.ts';

/**
 * Club facts kept for a short while: every availability question needs the club's time zone, and
 * every booking and cancellation its currency; both change seldom. A club's entry is dropped at
 * once when its change is announced (club.updated, club.status_changed, heard by every instance),
 * and in any case after `ttlMs`; unknown clubs are not remembered (memoizeBatch).
 */
export interface CachedClubFacts extends ClubFacts {
  forget(clubId: string): void;
}

export const DEFAULT_CLUB_FACTS_TTL_MS = 30_000;

const CLUB_CHANGES = [clubUpdated.type, clubStatusChanged.type];

export function cacheClubFacts(
  inner: ClubFacts,
  options: { ttlMs: number; now?: () => number },
): CachedClubFacts {
  const memo = memoizeBatch((ids) => inner.describe(ids), options);
  return { describe: (ids) => memo.get(ids), forget: (clubId) => memo.forget(clubId) };
}

/** Forgets a club when any instance announces its change (every instance hears it). */
export function forgetOnClubEvents(
  bus: Bus,
  cache: CachedClubFacts,
  instanceId: string,
): Promise<Subscription> {
  return forgetOnEvents(bus, {
    name: 'club-facts',
    instanceId,
    types: CLUB_CHANGES,
    forget: ({ clubId }) => {
      if (typeof clubId === 'string') cache.forget(clubId);
    },
  });
}
