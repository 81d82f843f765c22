/**
 * When to try a failed delivery again: exponential backoff with jitter, pure.
 *
 * Attempt n (1 = the first try, which failed) waits about `baseMs × factor^(n-1)`, capped at
 * `maxMs`, before attempt n+1. "Equal jitter" (AWS Architecture Blog, "Exponential Backoff And
 * Jitter") spreads the wait over [delay/2, delay]: receivers that came back from an outage are not
 * hit by every sender at the same instant, and no retry is ever immediate. After `maxAttempts`
 * tries the message is given up on (a dead letter an admin may retry).
 *
 * The defaults come close to the Standard Webhooks schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h...):
 * 5 s × 5^n capped at 10 h over 8 attempts is 5 s, 25 s, 2 min, 10 min, 52 min, 4.3 h, 10 h.
 */
export interface RetryPolicy {
  /** Tries in all, the first included; after the last failed one the message is dead. */
  maxAttempts: number;
  /** The wait after the first failure, before jitter. */
  baseMs: number;
  /** Each further failure multiplies the wait by this. */
  factor: number;
  /** No wait is longer than this, before jitter. */
  maxMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  baseMs: 5_000,
  factor: 5,
  maxMs: 10 * 60 * 60 * 1000,
};

/**
 * The wait after failed attempt `attempt` (1-based), or null when that was the last attempt.
 * `random` returns a number in [0, 1): `Math.random` in production, a constant in tests.
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy, random: () => number): number | null {
  if (!Number.isInteger(attempt) || attempt < 1)
    throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  if (attempt >= policy.maxAttempts) return null;
  // factor^(attempt-1) overflows to Infinity long before it matters; min() keeps the cap.
  const delay = Math.min(policy.maxMs, policy.baseMs * policy.factor ** (attempt - 1));
  const half = delay / 2;
  return Math.round(half + half * clampUnit(random()));
}

/** When attempt `attempt + 1` is due, or null when `attempt` was the last one. */
export function nextAttemptAt(
  failedAt: Date,
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
): Date | null {
  const delay = retryDelayMs(attempt, policy, random);
  return delay === null ? null : new Date(failedAt.getTime() + delay);
}

function clampUnit(value: number): number {
  if (!Number.isFinite(value) || value < 0) return 0;
  return Math.min(value, 1);
}
