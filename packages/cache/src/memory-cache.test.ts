import { describe, expect, it } from 'vitest';
import { describeCacheContract } from '../test/cache-contract.ts';
import { createMemoryCache } from './memory-cache.ts';

describeCacheContract('memory', () => {
  // One in-process store: every "instance" of the all-in-one mode shares it.
  const cache = createMemoryCache();
  return {
    open: async () => cache,
    cleanup: async () => {},
  };
});

describe('memory cache', () => {
  it('evicts the least recently used entry beyond maxEntries', async () => {
    const cache = createMemoryCache({ maxEntries: 2 });
    await cache.set('a', '1');
    await cache.set('b', '2');
    await cache.get('a');
    await cache.set('c', '3');
    expect(await cache.get('b')).toBeNull();
    expect(await cache.get('a')).toBe('1');
    expect(await cache.get('c')).toBe('3');
  });

  it('honours TTLs on the clock it is given', async () => {
    let now = 1_000;
    const cache = createMemoryCache({ now: () => now });
    await cache.set('k', 'v', 10);
    expect(await cache.increment('n', 10)).toEqual({ value: 1, ttlSeconds: 10 });
    now += 4_500;
    expect(await cache.increment('n', 10)).toEqual({ value: 2, ttlSeconds: 6 });
    now += 5_499;
    expect(await cache.get('k')).toBe('v');
    now += 2;
    expect(await cache.get('k')).toBeNull();
    expect(await cache.increment('n', 10)).toEqual({ value: 1, ttlSeconds: 10 });
  });
});
