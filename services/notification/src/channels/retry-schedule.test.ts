import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, nextAttemptAt, type RetryPolicy, retryDelayMs } from './retry-schedule.ts';

const policy: RetryPolicy = { maxAttempts: 5, baseMs: 1_000, factor: 2, maxMs: 5_000 };

describe('retry schedule', () => {
  it('doubles the wait after each failure, between half and all of it by the jitter', () => {
    expect([1, 2, 3].map((attempt) => retryDelayMs(attempt, policy, () => 0))).toEqual([500, 1_000, 2_000]);
    expect([1, 2, 3].map((attempt) => retryDelayMs(attempt, policy, () => 0.999_999))).toEqual([
      1_000, 2_000, 4_000,
    ]);
  });

  it('never waits longer than the cap', () => {
    expect(retryDelayMs(4, policy, () => 0.999_999)).toBe(5_000);
    const long: RetryPolicy = { maxAttempts: 5_000, baseMs: 1_000, factor: 10, maxMs: 60_000 };
    expect(retryDelayMs(4_000, long, () => 0.5)).toBe(45_000);
  });

  it('gives up after the last attempt', () => {
    expect(retryDelayMs(4, policy, () => 0)).not.toBeNull();
    expect(retryDelayMs(5, policy, () => 0)).toBeNull();
    expect(nextAttemptAt(new Date(0), 5, policy, () => 0)).toBeNull();
  });

  it('spreads retries of the same attempt over the jitter window', () => {
    const delays = new Set(Array.from({ length: 50 }, (_, n) => retryDelayMs(3, policy, () => n / 50)));
    expect(delays.size).toBe(50);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(2_000);
      expect(delay).toBeLessThanOrEqual(4_000);
    }
  });

  it('dates the next attempt from the failure', () => {
    expect(nextAttemptAt(new Date('2030-01-01T00:00:00Z'), 1, policy, () => 0)).toEqual(
      new Date('2030-01-01T00:00:00.500Z'),
    );
  });

  it('keeps a broken random source inside the window', () => {
    expect(retryDelayMs(1, policy, () => Number.NaN)).toBe(500);
    expect(retryDelayMs(1, policy, () => 7)).toBe(1_000);
  });

  it('refuses an attempt number that is not a positive integer', () => {
    expect(() => retryDelayMs(0, policy, () => 0)).toThrow(RangeError);
    expect(() => retryDelayMs(1.5, policy, () => 0)).toThrow(RangeError);
  });

  it('spans about a day over the default eight attempts', () => {
    const waits = Array.from({ length: 7 }, (_, n) =>
      retryDelayMs(n + 1, DEFAULT_RETRY_POLICY, () => 0.999_999),
    );
    expect(waits[0]).toBe(5_000);
    expect(waits.at(-1)).toBeGreaterThan(10 * 60 * 60 * 1000 - 100);
    expect(waits.at(-1)).toBeLessThanOrEqual(10 * 60 * 60 * 1000);
    expect(retryDelayMs(8, DEFAULT_RETRY_POLICY, () => 0)).toBeNull();
  });
});
