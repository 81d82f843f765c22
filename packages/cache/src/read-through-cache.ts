import { LRUCache } from 'lru-cache';

/**
 * An in-process read-through cache of one service's rows, for reads that serve display (a member
 * card, a profile screen). It never serves a value older than the last `forget` of its key in
 * this process: a load in flight when its key is forgotten is thrown away and the read starts
 * again, so a writer that forgets after its commit is read back by the next read here. Other
 * processes learn of a write from its event and forget then; `ttlMs` bounds how stale an entry
 * can get if that event is lost. Decisions (may this member check in, vote, book) read the table.
 */
export interface ReadThroughCache<V> {
  /** The cached value, or `load(key)`'s answer (kept unless undefined). Concurrent reads of one
   *  key share one load; a load that throws is not kept and throws to each of them. */
  get(key: string): Promise<V | undefined>;
  /** Drops the key, and any load of it already in flight. */
  forget(key: string): void;
  /** Entries held now (for tests and metrics). */
  readonly size: number;
}

export interface ReadThroughCacheOptions<V> {
  load: (key: string) => Promise<V | undefined>;
  /**
   * How long an entry is served without a reload; 0 turns the cache off (every get loads). Each
   * entry lives between 75% and 100% of it, drawn when it is loaded: keys read in the same burst
   * (a screen's worth, a benchmark's warm-up) do not all expire, and reload, in the same instant.
   */
  ttlMs: number;
  /** Most entries held; the least recently read go first. Default 10,000. */
  max?: number;
  /**
   * An entry past its TTL is answered once more, stale, while it reloads in the background, rather
   * than making its readers wait for the reload. For reads whose keys are all hot (every reader of
   * a key would otherwise queue behind each expiry's load) and whose writers forget what they
   * change (a forget still drops the entry at once): the TTL then only bounds a lost event, by one
   * more answer. Default false.
   */
  serveStaleWhileReloading?: boolean;
}

/** The share of `ttlMs` by which entries' lives differ. */
const TTL_SPREAD = 0.25;

/** A read that races this many forgets of its key in a row stops waiting for a quiet moment. */
const MAX_ATTEMPTS = 3;

export function createReadThroughCache<V extends object>(
  options: ReadThroughCacheOptions<V>,
): ReadThroughCache<V> {
  if (options.ttlMs <= 0) return { get: options.load, forget: () => undefined, size: 0 };
  const entries = new LRUCache<string, V>({
    max: options.max ?? 10_000,
    ttl: options.ttlMs,
    allowStale: options.serveStaleWhileReloading ?? false,
    // Forgetting a key aborts its fetch: the fetch's promise rejects and its answer is not kept.
    fetchMethod: (key, _stale, { options: entry }) => {
      // This entry's life, drawn once per load (not per read): see `ttlMs`.
      entry.ttl = options.ttlMs * (1 - TTL_SPREAD * Math.random());
      return options.load(key);
    },
  });
  // Counts forgets, to tell a fetch aborted by one from a load that failed on its own.
  let forgets = 0;

  return {
    async get(key) {
      for (let attempt = 1; ; attempt++) {
        const before = forgets;
        try {
          return await entries.fetch(key);
        } catch (error) {
          if (forgets === before) throw error;
          // Forgotten mid-load: what was read may predate the write. The last attempt still reads
          // after that forget, so its answer is fresh; it is just not kept.
          if (attempt === MAX_ATTEMPTS) return options.load(key);
        }
      }
    },
    forget(key) {
      forgets++;
      entries.delete(key);
    },
    get size() {
      return entries.size;
    },
  };
}
