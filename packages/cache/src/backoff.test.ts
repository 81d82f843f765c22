import { describe, expect, it } from 'vitest';
import { assertBackoffPolicy, backoffDelayMs } from './backoff.ts';

describe('backoffDelayMs', () => {
  const policy = { free: 5, baseDelayMs: 1_000, maxDelayMs: 900_000, windowSeconds: 86_400 };

  it('costs nothing within the free failures, then doubles from the base up to the ceiling', () => {
    const delays = Array.from({ length: 16 }, (_, i) => backoffDelayMs(i + 1, policy));
    expect(delays).toEqual([
      0, 0, 0, 0, 0, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 512_000, 900_000,
    ]);
    expect(backoffDelayMs(5_000, policy)).toBe(900_000);
  });

  it('refuses policies that cannot work', () => {
    expect(() => assertBackoffPolicy('x', { ...policy, free: -1 })).toThrow(RangeError);
    expect(() => assertBackoffPolicy('x', { ...policy, baseDelayMs: 0 })).toThrow(RangeError);
    expect(() => assertBackoffPolicy('x', { ...policy, maxDelayMs: 10 })).toThrow(RangeError);
    expect(() => assertBackoffPolicy('x', { ...policy, windowSeconds: 0.5 })).toThrow(RangeError);
  });
});
