/**
 * Back-off of repeated failures (wrong passwords): a few are free, then each further failure holds
 * the key back for twice as long as the one before, up to a ceiling. Pure: both cache adapters
 * apply it (the Redis one in its script, which must compute the same delays).
 */
export interface BackoffPolicy {
  /** Failures in a window that cost nothing (typos). */
  free: number;
  /** Hold after the first failure beyond `free`; it doubles with each further failure. */
  baseDelayMs: number;
  /** Longest hold. */
  maxDelayMs: number;
  /** Failures are remembered this long from the first one (a fixed window); then counting starts afresh. */
  windowSeconds: number;
}

/** What `Cache.backoff` answered: the attempt may go on (counted as failed until forgiven), or wait. */
export type BackoffAnswer = { allowed: true; failures: number } | { allowed: false; retryAfterMs: number };

/** The hold after the `failures`-th failure of a window: 0 while free, then base, 2 x base, ... up to max. */
export function backoffDelayMs(failures: number, policy: BackoffPolicy): number {
  if (failures <= policy.free) return 0;
  const doublings = failures - policy.free - 1;
  // 2 ** 1024 is Infinity, which Math.min turns into the ceiling: no overflow to guard.
  return Math.floor(Math.min(policy.baseDelayMs * 2 ** doublings, policy.maxDelayMs));
}

export function assertBackoffPolicy(name: string, policy: BackoffPolicy): void {
  const whole = (value: number, min: number) => Number.isInteger(value) && value >= min;
  if (!whole(policy.free, 0)) throw new RangeError(`back-off ${name}: free must be a whole number >= 0`);
  if (!whole(policy.baseDelayMs, 1) || !whole(policy.maxDelayMs, policy.baseDelayMs)) {
    throw new RangeError(`back-off ${name}: delays must be whole milliseconds, 1 <= base <= max`);
  }
  if (!whole(policy.windowSeconds, 1)) {
    throw new RangeError(`back-off ${name}: windowSeconds must be a whole number >= 1`);
  }
}
