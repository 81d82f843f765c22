import type { ClubFact, ClubFacts } from './deps.ts';

/**
 * Club facts kept for a short while: every availability question needs the club's time zone, and
 * every booking and cancellation its currency; both change seldom. An entry lives `ttlMs` at most, so a changed zone is seen within that
 * long. Unknown clubs are not remembered: a club registered a moment ago is found on the next call.
 */
export const DEFAULT_CLUB_FACTS_TTL_MS = 30_000;

export function cacheClubFacts(inner: ClubFacts, options: { ttlMs: number; now?: () => number }): ClubFacts {
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
      for (const [id, fact] of await inner.describe(missing)) {
        found.set(id, fact);
        if (options.ttlMs > 0) entries.set(id, { fact, until: at + options.ttlMs });
      }
      return found;
    },
  };
}
