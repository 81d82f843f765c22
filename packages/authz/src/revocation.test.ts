import { randomUUID } from 'node:crypto';
import { type Cache, createMemoryCache, createRedisCache } from '@clubland/cache';
import { describe, expect, it } from 'vitest';
import { type RevocationStore, sessionRevocations, watchSessionRevocations } from './revocation.ts';

/** A real cache, with its list reads counted and its subscription's liveness in the test's hands. */
function observed(cache: Cache) {
  let setLive: (live: boolean) => void = () => undefined;
  const store = {
    reads: 0,
    get: (key: string) => {
      store.reads++;
      return cache.get(key);
    },
    set: cache.set.bind(cache),
    publish: cache.publish.bind(cache),
    subscribe: (channel: string, onMessage: (m: string) => void, onLive?: (live: boolean) => void) => {
      setLive = (live) => onLive?.(live);
      return cache.subscribe(channel, onMessage, onLive);
    },
    /** As the adapter reports a dropped (false) or restored (true) connection. */
    connection: (live: boolean) => setLive(live),
  } satisfies RevocationStore & Record<string, unknown>;
  return store;
}

describe('watched session revocations', () => {
  it('reads a session once, then hears its revocation without reading again', async () => {
    const cache = createMemoryCache();
    const store = observed(cache);
    const watched = await watchSessionRevocations(store);
    const session = randomUUID();
    expect(await watched.isRevoked(session)).toBe(false);
    expect(await watched.isRevoked(session)).toBe(false);
    expect(store.reads).toBe(1);
    await sessionRevocations(cache).announce([session], 900);
    expect(await watched.isRevoked(session)).toBe(true);
    expect(store.reads).toBe(1);
    await watched.close();
  });

  it('finds a session revoked before the watch began by reading the list', async () => {
    const cache = createMemoryCache();
    const session = randomUUID();
    await sessionRevocations(cache).announce([session], 900);
    const watched = await watchSessionRevocations(cache);
    expect(await watched.isRevoked(session)).toBe(true);
    await watched.close();
  });

  it('while its subscription is down, reads the list on every call and forgets what it believed', async () => {
    const cache = createMemoryCache();
    const store = observed(cache);
    const watched = await watchSessionRevocations(store);
    const session = randomUUID();
    expect(await watched.isRevoked(session)).toBe(false);
    store.connection(false);
    // Revoked while the watcher could not hear: only the list tells.
    await cache.set(`auth:revoked-session:${session}`, '1', 900);
    expect(await watched.isRevoked(session)).toBe(true);
    const other = randomUUID();
    await watched.isRevoked(other);
    await watched.isRevoked(other);
    expect(store.reads).toBe(4);
    store.connection(true);
    await watched.isRevoked(other);
    await watched.isRevoked(other);
    expect(store.reads).toBe(5);
    await watched.close();
  });

  it('fails closed: an unreachable list is an error, not "not revoked"', async () => {
    const cache = createMemoryCache();
    const store = observed(cache);
    const watched = await watchSessionRevocations({
      ...store,
      get: async () => {
        throw new Error('cache unreachable');
      },
    });
    await expect(watched.isRevoked(randomUUID())).rejects.toThrow('cache unreachable');
    await watched.close();
  });

  it.skipIf(!process.env.REDIS_URL)('hears a revocation announced by another client of Redis', async () => {
    const keyPrefix = `test:revocation:${randomUUID()}:`;
    const gatewaySide = createRedisCache({ url: process.env.REDIS_URL!, keyPrefix });
    const authSide = createRedisCache({ url: process.env.REDIS_URL!, keyPrefix });
    try {
      const store = observed(gatewaySide);
      const watched = await watchSessionRevocations(store);
      const session = randomUUID();
      expect(await watched.isRevoked(session)).toBe(false);
      await sessionRevocations(authSide).announce([session], 5);
      await expect.poll(() => watched.isRevoked(session)).toBe(true);
      expect(store.reads).toBe(1);
      await watched.close();
    } finally {
      await gatewaySide.close();
      await authSide.close();
    }
  });
});
