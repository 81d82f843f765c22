import { ClubError } from '@clubland/errors';
import { assertBackoffPolicy, type BackoffPolicy } from './backoff.ts';
import type { Cache } from './cache.ts';

export interface BackoffLimiterOptions extends BackoffPolicy {
  /** Names the limit in keys and errors, e.g. `sign-in-source`. */
  name: string;
  /**
   * What a success does to the key's failures: `reset` forgets them all (the source proved itself,
   * e.g. an account signed in from this address); `uncount` takes back only the success's own count
   * (a shared key, e.g. an address many people use: their successes are not failures, but they do
   * not excuse the failures of others).
   */
  onSuccess: 'reset' | 'uncount';
}

/** One attempt let through: say how it ended, if it succeeded (a failure is already counted). */
export interface BackoffLimiter {
  readonly name: string;
  /** Before the attempt: `request.rate_limited` with `retryAfterSeconds` while the key is held back;
   *  otherwise the attempt counts as a failure until `succeeded` says otherwise. */
  attempt(key: string): Promise<void>;
  succeeded(key: string): Promise<void>;
  /** Takes back an attempt that never happened (another limit refused it after this one let it in). */
  withdraw(key: string): Promise<void>;
}

/**
 * Growing delays on repeated failures, counted in the cache (shared by every instance with Redis):
 * `policy.free` failures per window cost nothing, then each one holds the key back twice as long
 * as the last (OWASP: throttle, do not lock out). Successes are not failures.
 */
export function createBackoffLimiter(cache: Cache, options: BackoffLimiterOptions): BackoffLimiter {
  const { name, onSuccess, ...policy } = options;
  assertBackoffPolicy(name, policy);
  const keyOf = (key: string) => `backoff:${name}:${key}`;
  return {
    name,
    async attempt(key) {
      const answer = await cache.backoff(keyOf(key), policy);
      if (!answer.allowed) {
        throw new ClubError('request.rate_limited', `Too many failed attempts (${name}); retry later`, {
          retryAfterSeconds: Math.max(1, Math.ceil(answer.retryAfterMs / 1000)),
        });
      }
    },
    succeeded(key) {
      return cache.forgive(keyOf(key), onSuccess === 'reset');
    },
    withdraw(key) {
      return cache.forgive(keyOf(key), false);
    },
  };
}
