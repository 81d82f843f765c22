import { ClubError } from '@clubland/errors';
import type { Cache } from './cache.ts';

export interface RateLimiterOptions {
  /** Names the limit in keys and errors, e.g. `login`. */
  name: string;
  /** Calls allowed per window. */
  limit: number;
  windowSeconds: number;
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

  async function consume(key: string): Promise<RateLimitDecision> {
    const { value, ttlSeconds } = await cache.increment(`ratelimit:${name}:${key}`, windowSeconds);
    const allowed = value <= limit;
    return {
      allowed,
      remaining: Math.max(0, limit - value),
      retryAfterSeconds: allowed ? 0 : Math.max(1, ttlSeconds),
    };
  }

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
