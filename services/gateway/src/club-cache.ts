import { LRUCache } from 'lru-cache';
import type { ClubModel } from './resolvers/clubs.ts';

/**
 * Registry entries of clubs, shared by every request of this gateway instance for `ttlMs`. Clubs
 * are the network's public directory and change rarely, while nearly every answer nests one (a
 * member's club, a visit's host): caching them takes a call off most requests. A change is
 * forgotten as soon as its event arrives (club.updated, club.status_changed); the TTL bounds how
 * stale an entry can be if an event is missed.
 */
export interface ClubCache {
  get(id: string): ClubModel | undefined;
  set(club: ClubModel): void;
  forget(id: string): void;
}

export function createClubCache(options: { ttlMs: number; max?: number }): ClubCache {
  if (options.ttlMs <= 0) return { get: () => undefined, set: () => undefined, forget: () => undefined };
  const clubs = new LRUCache<string, ClubModel>({ max: options.max ?? 10_000, ttl: options.ttlMs });
  return {
    get: (id) => clubs.get(id),
    set: (club) => void clubs.set(club.id, club),
    forget: (id) => void clubs.delete(id),
  };
}
