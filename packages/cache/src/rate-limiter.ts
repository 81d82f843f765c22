import { ClubError } from '@clubland/errors';
import type { Cache } from './cache.ts';

export interface RateLimiterOptions {
  /** Names the limit in keys and errors, e.g. `login`. */
  name: string;
  /** Calls allowed per window. */
  limit: number;
  windowSeconds: number;
  /**
   * Count in this process and add the counts to the shared counter every `syncEveryMs` in one
   * INCRBY per key, instead of one round trip per call. For limits on a hot path (the gateway's,
   * on every request). Within one process the count stays exact; across N instances a limit can
   * be exceeded by what the others admitted since their last sync (their rate x `syncEveryMs`),
   * and a refusal may come that much early. Unset: every call counts in the cache before it is
   * answered (exact across instances; for logins and other low-volume, high-stakes limits).
   */
  syncEveryMs?: number;
  /** Failed syncs (the cache unreachable); the counts are kept and sent with the next sync. */
  onSyncError?: (error: unknown) => void;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Calls left in the current window. */
  remaining: number;
  /** 0 when allowed; otherwise whole seconds until the window resets. */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  consume(key: string): Promise<RateLimitDecision>;
  /** Like `consume`, but throws `request.rate_limited` (with `retryAfterSeconds`) when refused. */
  hit(key: string): Promise<RateLimitDecision>;
}

/**
 * A fixed-window limiter on `cache.increment`: the first call opens a window of `windowSeconds`,
 * every call in it counts. With the Redis cache the count is shared by every instance.
 */
export function createRateLimiter(cache: Cache, options: RateLimiterOptions): RateLimiter {
  const { name, limit, windowSeconds } = options;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`rate limit ${name}: limit must be >= 1`);
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1) {
    throw new RangeError(`rate limit ${name}: windowSeconds must be a whole number >= 1`);
  }

  const counterKey = (key: string) => `ratelimit:${name}:${key}`;
  const decide = (value: number, secondsLeft: number): RateLimitDecision => {
    const allowed = value <= limit;
    return {
      allowed,
      remaining: Math.max(0, limit - value),
      retryAfterSeconds: allowed ? 0 : Math.max(1, secondsLeft),
    };
  };

  const consume =
    options.syncEveryMs === undefined
      ? async (key: string): Promise<RateLimitDecision> => {
          const { value, ttlSeconds } = await cache.increment(counterKey(key), windowSeconds);
          return decide(value, ttlSeconds);
        }
      : createSyncedCount(cache, { ...options, syncEveryMs: options.syncEveryMs }, counterKey, decide);

  return {
    consume,
    async hit(key) {
      const decision = await consume(key);
      if (!decision.allowed) {
        throw new ClubError('request.rate_limited', `Too many requests (${name}); retry later`, {
          retryAfterSeconds: decision.retryAfterSeconds,
        });
      }
      return decision;
    },
  };
}

/** One key's window as this process knows it. */
interface LocalWindow {
  /** The shared counter's value at the last answer from the cache (this process's synced calls included). */
  shared: number;
  /** Calls counted here and not yet sent. */
  pending: number;
  /** Calls sent by the sync in flight, not yet in `shared`. */
  sending: number;
  /** When the window ends, on `performance.now()`'s clock. */
  endsAt: number;
  /** The first call's INCR, which opens the window here; later calls of the window wait for it. */
  opening: Promise<void> | null;
}

/**
 * The `syncEveryMs` mode. The first call of a window in this process counts in the cache at once
 * (so it learns what other instances counted and when the window ends); the rest count locally
 * and are answered from shared + pending, and a timer sends the pending counts, one sync at a
 * time, each learning the shared value again.
 */
function createSyncedCount(
  cache: Cache,
  options: RateLimiterOptions & { syncEveryMs: number },
  counterKey: (key: string) => string,
  decide: (value: number, secondsLeft: number) => RateLimitDecision,
): (key: string) => Promise<RateLimitDecision> {
  const windows = new Map<string, LocalWindow>();
  let timer: NodeJS.Timeout | null = null;
  let syncing = false;

  const secondsLeft = (window: LocalWindow, now: number) => Math.ceil((window.endsAt - now) / 1000);
  const learn = (window: LocalWindow, answer: { value: number; ttlSeconds: number }, now: number) => {
    window.shared = answer.value;
    window.endsAt = now + answer.ttlSeconds * 1000;
  };

  function schedule(): void {
    if (timer || syncing) return;
    timer = setTimeout(() => void sync(), options.syncEveryMs);
    timer.unref();
  }

  async function sync(): Promise<void> {
    timer = null;
    syncing = true;
    const now = performance.now();
    const sends: Promise<void>[] = [];
    for (const [key, window] of windows) {
      if (window.opening) continue;
      if (window.endsAt <= now) {
        // Over: its unsent calls belonged to a window the cache has closed too.
        windows.delete(key);
        continue;
      }
      if (window.pending === 0) continue;
      const sent = window.pending;
      window.pending = 0;
      window.sending = sent;
      sends.push(
        cache.increment(counterKey(key), options.windowSeconds, sent).then(
          (answer) => {
            // In the same step as `shared` takes them in, so no call counts them twice.
            learn(window, answer, performance.now());
            window.sending = 0;
          },
          (error: unknown) => {
            window.sending = 0;
            window.pending += sent;
            options.onSyncError?.(error);
          },
        ),
      );
    }
    await Promise.all(sends);
    syncing = false;
    if ([...windows.values()].some((window) => window.pending > 0)) schedule();
  }

  return async (key) => {
    const window = windows.get(key);
    if (!window || (!window.opening && window.endsAt <= performance.now())) {
      const opened: LocalWindow = { shared: 0, pending: 0, sending: 0, endsAt: 0, opening: null };
      opened.opening = cache
        .increment(counterKey(key), options.windowSeconds)
        .then((answer) => learn(opened, answer, performance.now()))
        .finally(() => {
          opened.opening = null;
        });
      windows.set(key, opened);
      schedule(); // a sync also drops windows that have ended, so idle keys do not pile up
      try {
        await opened.opening;
      } catch (error) {
        windows.delete(key);
        throw error;
      }
      return decide(opened.shared, secondsLeft(opened, performance.now()));
    }
    if (window.opening) await window.opening;
    window.pending += 1;
    schedule();
    return decide(window.shared + window.sending + window.pending, secondsLeft(window, performance.now()));
  };
}
