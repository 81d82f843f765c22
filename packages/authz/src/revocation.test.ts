import { randomUUID } from 'node:crypto';
import { type Cache, createMemoryCache } from '@clubland/cache';
import { createRedisCache } from '@clubland/cache/redis';
import { describe, expect, it } from 'vitest';
import {
  type AccessChange,
  authzVersions,
  type RevocationStore,
  sessionRevocations,
  watchSessionRevocations,
} from './revocation.ts';

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

describe('watched authorisation versions', () => {
  it("reads an account's version once, then hears a newer one without waiting on the store", async () => {
    const cache = createMemoryCache();
    const store = observed(cache);
    const watched = await watchSessionRevocations(store);
    const user = randomUUID();
    expect(await watched.isOutdated(user, 0)).toBe(false);
    expect(watched.isOutdated(user, 0)).toBe(false);
    expect(store.reads).toBe(1);
    await authzVersions(cache).announce([{ userId: user, version: 3 }], 900);
    // Known from the announcement itself: answered without a promise.
    expect(watched.isOutdated(user, 2)).toBe(true);
    expect(store.reads).toBe(1);
    // A token of the new version: the store confirms once, then memory answers.
    expect(await watched.isOutdated(user, 3)).toBe(false);
    expect(watched.isOutdated(user, 3)).toBe(false);
    expect(store.reads).toBe(2);
    await watched.close();
  });

  it('finds a version announced before the watch began by reading the store', async () => {
    const cache = createMemoryCache();
    const user = randomUUID();
    await authzVersions(cache).announce([{ userId: user, version: 2 }], 900);
    const watched = await watchSessionRevocations(cache);
    expect(await watched.isOutdated(user, 1)).toBe(true);
    expect(await watched.isOutdated(user, 2)).toBe(false);
    await watched.close();
  });

  it('never goes back: an older announcement arriving late changes nothing', async () => {
    const cache = createMemoryCache();
    const watched = await watchSessionRevocations(cache);
    const user = randomUUID();
    await authzVersions(cache).announce([{ userId: user, version: 5 }], 900);
    await cache.publish('auth:revoked-sessions', `authz:${user}:4`);
    expect(watched.isOutdated(user, 4)).toBe(true);
    await watched.close();
  });

  it('while its subscription is down, reads the store on every call', async () => {
    const cache = createMemoryCache();
    const store = observed(cache);
    const watched = await watchSessionRevocations(store);
    const user = randomUUID();
    expect(await watched.isOutdated(user, 0)).toBe(false);
    store.connection(false);
    // Changed while the watcher could not hear: only the store tells.
    await cache.set(`auth:authz-version:${user}`, '1', 900);
    expect(await watched.isOutdated(user, 0)).toBe(true);
    expect(await watched.isOutdated(user, 1)).toBe(false);
    expect(await watched.isOutdated(user, 1)).toBe(false);
    expect(store.reads).toBe(4);
    store.connection(true);
    await watched.isOutdated(user, 1);
    await watched.isOutdated(user, 1);
    expect(store.reads).toBe(5);
    await watched.close();
  });

  it('tells its listeners what changed, after its answers reflect it', async () => {
    const cache = createMemoryCache();
    const watched = await watchSessionRevocations(cache);
    const heard: { change: AccessChange; answer: boolean | Promise<boolean> }[] = [];
    const session = randomUUID();
    const user = randomUUID();
    const stop = watched.onChange((change) =>
      heard.push({
        change,
        answer:
          change.kind === 'session_revoked'
            ? watched.isRevoked(change.sessionId)
            : watched.isOutdated(change.userId, 0),
      }),
    );
    await sessionRevocations(cache).announce([session], 900);
    await authzVersions(cache).announce([{ userId: user, version: 1 }], 900);
    expect(heard).toEqual([
      { change: { kind: 'session_revoked', sessionId: session }, answer: true },
      { change: { kind: 'authz_changed', userId: user, version: 1 }, answer: true },
    ]);
    stop();
    await sessionRevocations(cache).announce([randomUUID()], 900);
    expect(heard).toHaveLength(2);
    await watched.close();
  });

  it.skipIf(!process.env.REDIS_URL)('hears a version announced by another client of Redis', async () => {
    const keyPrefix = `test:authz-version:${randomUUID()}:`;
    const gatewaySide = createRedisCache({ url: process.env.REDIS_URL!, keyPrefix });
    const authSide = createRedisCache({ url: process.env.REDIS_URL!, keyPrefix });
    try {
      const watched = await watchSessionRevocations(gatewaySide);
      const user = randomUUID();
      expect(await watched.isOutdated(user, 0)).toBe(false);
      await authzVersions(authSide).announce([{ userId: user, version: 1 }], 5);
      await expect.poll(() => watched.isOutdated(user, 0)).toBe(true);
      await watched.close();
    } finally {
      await gatewaySide.close();
      await authSide.close();
    }
  });
});
