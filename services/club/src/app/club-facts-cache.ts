import { memoizeBatch } from '@clubland/cache';
import type { ClubFacts } from './deps.ts';

/**
 * Club facts kept for a short while: every availability question needs the club's time zone, and
 * every booking and cancellation its currency; both change seldom. An entry lives `ttlMs` at most,
 * so a changed zone is seen within that long; unknown clubs are not remembered (memoizeBatch).
 */
export const DEFAULT_CLUB_FACTS_TTL_MS = 30_000;

export function cacheClubFacts(inner: ClubFacts, options: { ttlMs: number; now?: () => number }): ClubFacts {
  const memo = memoizeBatch((ids) => inner.describe(ids), options);
  return { describe: (ids) => memo.get(ids) };
}
