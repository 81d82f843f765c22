import type { BackoffAnswer, BackoffPolicy } from './backoff.ts';

export interface CacheSubscription {
  close(): Promise<void>;
}

/** The cache port. In-memory LRU by default; Redis with `REDIS_URL`. Values are strings. */
export interface Cache {
  readonly kind: 'memory' | 'redis';
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Atomically adds `by` to a counter, creating it with `ttlSeconds` if absent; returns the new
   *  value and the seconds left before it expires. The building block of rate limits. */
  increment(key: string, ttlSeconds: number, by?: number): Promise<{ value: number; ttlSeconds: number }>;
  /**
   * Atomically, for throttling failures (wrong passwords): while `key` is held back, answers how
   * long it still is and counts nothing. Otherwise counts one failure in advance (the caller
   * forgives it if the attempt succeeds) and, past `policy.free` failures in the window, holds the
   * key back for `backoffDelayMs`. Counting before the attempt is decided is what makes it exact:
   * a hundred attempts sent at once are admitted one by one, not all before the first fails.
   */
  backoff(key: string, policy: BackoffPolicy): Promise<BackoffAnswer>;
  /** Takes back what `backoff` counted: `reset` forgets the key's failures and lifts its hold;
   *  otherwise one failure is taken back (the hold, if any, runs out on its own). */
  forgive(key: string, reset: boolean): Promise<void>;
  /** Sends `message` to every current subscriber of `channel`, in every process sharing the store.
   *  At most once: a subscriber that is not connected at that moment never gets it. */
  publish(channel: string, message: string): Promise<void>;
  /**
   * Calls `onMessage` for each message on `channel` until closed. `onLive` says whether messages
   * are arriving: false when the connection drops (what is published meanwhile is lost to this
   * subscriber), true once it is listening again; a subscriber that must not miss anything treats
   * the time in between as unknown. Resolves once listening.
   */
  subscribe(
    channel: string,
    onMessage: (message: string) => void,
    onLive?: (live: boolean) => void,
  ): Promise<CacheSubscription>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
