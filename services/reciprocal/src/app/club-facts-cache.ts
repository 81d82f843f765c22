import type { Bus, Subscription } from '@clubland/bus';
import type { ClubFact, ClubFacts } from './deps.ts';

/**
 * Club facts kept for a short while: every check-in asks about two clubs (host and home), whose
 * coordinates, time zone and status change seldom. A club's entry is dropped at once when its
 * change is announced (club.updated, club.status_changed, heard by every instance), and in any
 * case after `ttlMs`, so a missed announcement costs at most that long. Unknown clubs are not
 * remembered: a club registered a moment ago is found on the next call.
 */
export interface CachedClubFacts extends ClubFacts {
  forget(clubId: string): void;
}

export const DEFAULT_CLUB_FACTS_TTL_MS = 30_000;

export function cacheClubFacts(
  inner: ClubFacts,
  options: { ttlMs: number; now?: () => number },
): CachedClubFacts {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { fact: ClubFact; until: number }>();
  return {
    async describe(ids) {
      const found = new Map<string, ClubFact>();
      const missing: string[] = [];
      const at = now();
      for (const id of ids) {
        const entry = entries.get(id);
        if (entry && entry.until > at) found.set(id, entry.fact);
        else missing.push(id);
      }
      if (missing.length === 0) return found;
      const fresh = await inner.describe(missing);
      for (const [id, fact] of fresh) {
        found.set(id, fact);
        if (options.ttlMs > 0) entries.set(id, { fact, until: at + options.ttlMs });
      }
      return found;
    },
    forget(clubId) {
      entries.delete(clubId);
    },
  };
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
