import { LRUCache } from 'lru-cache';
import { backoffDelayMs } from './backoff.ts';
import type { Cache, CacheSubscription } from './cache.ts';

export interface MemoryCacheOptions {
  /** Upper bound on entries; the least recently used go first. */
  maxEntries?: number;
  /** Milliseconds on a monotonic clock; tests pass their own to step time. */
  now?: () => number;
}

interface Entry {
  value: string;
  /** On the `now` clock; Infinity when the entry never expires. */
  expiresAt: number;
}

/**
 * The in-process cache of the all-in-one mode. Every operation is synchronous under the hood,
 * so `increment` is atomic within the process without a lock.
 *
 * Expiry is kept here rather than with lru-cache's own TTL: lru-cache caches its clock reading
 * between timer ticks, which made remaining TTLs read a second long and ignored an injected clock.
 */
export function createMemoryCache(options: MemoryCacheOptions = {}): Cache {
  const now = options.now ?? (() => performance.now());
  const entries = new LRUCache<string, Entry>({ max: options.maxEntries ?? 10_000 });
  const channels = new Map<string, Set<(message: string) => void>>();

  function live(key: string): Entry | undefined {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  const expiry = (ttlSeconds: number | undefined) =>
    ttlSeconds === undefined ? Number.POSITIVE_INFINITY : now() + ttlSeconds * 1000;

  return {
    kind: 'memory',
    async get(key) {
      return live(key)?.value ?? null;
    },
    async set(key, value, ttlSeconds) {
      entries.set(key, { value, expiresAt: expiry(ttlSeconds) });
    },
    async delete(key) {
      entries.delete(key);
    },
    async increment(key, ttlSeconds, by = 1) {
      const current = live(key);
      const value = (current === undefined ? 0 : parseCounter(key, current.value)) + by;
      // Like the Redis script: a counter without an expiry (set without TTL) gets one now.
      const expiresAt =
        current === undefined || current.expiresAt === Number.POSITIVE_INFINITY
          ? expiry(ttlSeconds)
          : current.expiresAt;
      entries.set(key, { value: String(value), expiresAt });
      return { value, ttlSeconds: Math.max(1, Math.ceil((expiresAt - now()) / 1000)) };
    },
    async backoff(key, policy) {
      const hold = live(holdKey(key));
      if (hold !== undefined) return { allowed: false, retryAfterMs: Math.ceil(hold.expiresAt - now()) };
      const current = live(key);
      const failures = (current === undefined ? 0 : parseCounter(key, current.value)) + 1;
      entries.set(key, {
        value: String(failures),
        expiresAt: current?.expiresAt ?? expiry(policy.windowSeconds),
      });
      const delayMs = backoffDelayMs(failures, policy);
      if (delayMs > 0) entries.set(holdKey(key), { value: '1', expiresAt: now() + delayMs });
      return { allowed: true, failures };
    },
    async forgive(key, reset) {
      const current = live(key);
      if (reset) {
        entries.delete(key);
        entries.delete(holdKey(key));
      } else if (current !== undefined) {
        const failures = parseCounter(key, current.value) - 1;
        if (failures > 0) entries.set(key, { value: String(failures), expiresAt: current.expiresAt });
        else entries.delete(key);
      }
    },
    async publish(channel, message) {
      for (const listener of channels.get(channel) ?? []) listener(message);
    },
    async subscribe(channel, onMessage, onLive): Promise<CacheSubscription> {
      // A copy per subscription, so one listener added twice is still removed once per close.
      const listener = (message: string) => onMessage(message);
      const listeners = channels.get(channel) ?? new Set();
      channels.set(channel, listeners.add(listener));
      onLive?.(true); // in process: never disconnected
      return {
        async close() {
          listeners.delete(listener);
        },
      };
    },
    async ping() {},
    async close() {
      entries.clear();
      channels.clear();
    },
  };
}

/** Where a key's hold lives; the same name as the Redis adapter's. */
function holdKey(key: string): string {
  return `${key}:hold`;
}

function parseCounter(key: string, raw: string): number {
  // Same refusal as Redis INCRBY on a non-integer value, so both adapters fail alike.
  if (!/^-?\d+$/.test(raw)) throw new Error(`cache value at ${key} is not an integer`);
  return Number(raw);
}
