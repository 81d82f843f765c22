import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ClubError } from '@clubland/errors';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { describeCacheContract } from '../test/cache-contract.ts';
import { startPrivateRedis } from '../test/redis-server.ts';
import { createCache } from './create-cache.ts';
import { createRedisCache } from './redis-cache.ts';

const redisUrl = process.env.REDIS_URL;
const prefix = `test:cache:${randomUUID()}:`;

/** Deletes every key this run wrote, with a plain client that sees keys unprefixed. */
async function deleteKeys(url: string, pattern: string): Promise<void> {
  const admin = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, found] = await admin.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      if (found.length > 0) await admin.del(...found);
    } while (cursor !== '0');
  } finally {
    await admin.quit();
  }
}

describe.skipIf(!redisUrl)('redis cache (REDIS_URL)', () => {
  const url = redisUrl ?? '';

  describeCacheContract('redis', () => ({
    open: async () => createRedisCache({ url, keyPrefix: `${prefix}contract:` }),
    cleanup: () => deleteKeys(url, `${prefix}*`),
  }));

  afterAll(() => deleteKeys(url, `${prefix}*`));

  it('stores keys under its prefix', async () => {
    const cache = createRedisCache({ url, keyPrefix: `${prefix}own:` });
    const admin = new Redis(url);
    try {
      await cache.set('greeting', 'hello');
      await cache.increment('visits', 60);
      expect(await admin.get(`${prefix}own:greeting`)).toBe('hello');
      expect(await admin.get(`${prefix}own:visits`)).toBe('1');
      expect(await admin.ttl(`${prefix}own:visits`)).toBeGreaterThan(0);
    } finally {
      await cache.close();
      await admin.quit();
    }
  });

  it('reconnects after its connection is killed', async () => {
    const connectionName = `clubland-test-${randomUUID()}`;
    const cache = createRedisCache({ url, keyPrefix: `${prefix}reconnect:`, connectionName });
    const admin = new Redis(url);
    try {
      await cache.set('k', 'before');
      const killed = await admin.call('CLIENT', 'KILL', 'ID', await clientId(admin, connectionName));
      expect(killed).toBe(1);
      await sleep(50);
      // The first command after the drop may ride the reconnect; it must not need a new cache.
      expect(await cache.get('k')).toBe('before');
      await cache.set('k', 'after');
      expect(await cache.get('k')).toBe('after');
    } finally {
      await cache.close();
      await admin.quit();
    }
  });

  it('says when a subscription stops hearing and when it hears again', async () => {
    const connectionName = `clubland-test-${randomUUID()}`;
    const cache = createRedisCache({ url, keyPrefix: `${prefix}pubsub:`, connectionName });
    const admin = new Redis(url);
    try {
      const live: boolean[] = [];
      const heard: string[] = [];
      await cache.subscribe(
        'revoked',
        (m) => heard.push(m),
        (l) => live.push(l),
      );
      const list = String(await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub'));
      const id = list
        .split('\n')
        .find((l) => l.includes(` name=${connectionName} `))
        ?.match(/\bid=(\d+)/)?.[1];
      expect(await admin.call('CLIENT', 'KILL', 'ID', id!)).toBe(1);
      await expect.poll(() => live, { timeout: 5_000 }).toEqual([true, false, true]);
      // Subscribed again: what is published now arrives (under the prefix, like keys).
      await admin.publish(`${prefix}pubsub:revoked`, 'after');
      await expect.poll(() => heard).toEqual(['after']);
    } finally {
      await cache.close();
      await admin.quit();
    }
  });

  it('is what createCache returns for a redis URL', async () => {
    const cache = await createCache({ redisUrl: url, keyPrefix: `${prefix}factory:` });
    try {
      expect(cache.kind).toBe('redis');
      await cache.ping();
    } finally {
      await cache.close();
    }
  });
});

describe('redis cache without a server', () => {
  it('connects lazily and reports the failure from ping() without crashing', async () => {
    const errors: Error[] = [];
    const cache = createRedisCache({ url: 'redis://127.0.0.1:1', onError: (e) => errors.push(e) });
    // Nothing connects until the first command.
    await sleep(50);
    expect(errors).toEqual([]);
    await expect(cache.ping()).rejects.toThrow();
    expect(errors.length).toBeGreaterThan(0);
    await cache.close();
  });

  it('closes a cache that never connected', async () => {
    const cache = createRedisCache({ url: 'redis://127.0.0.1:1' });
    await expect(cache.close()).resolves.toBeUndefined();
  });

  it('createCache without a URL is the memory cache', async () => {
    expect((await createCache({})).kind).toBe('memory');
  });
});

describe('redis cache during an outage (its own redis-server, stopped mid-test)', () => {
  /** The error a command ends with, and how long it took to get it. */
  async function failure(command: () => Promise<unknown>) {
    const started = performance.now();
    const error = await command().then(
      () => null,
      (e: unknown) => e,
    );
    return { error, ms: performance.now() - started };
  }
  const policy = { free: 5, baseDelayMs: 1_000, maxDelayMs: 60_000, windowSeconds: 60 };

  it('fails every command fast with dependency.unavailable while Redis is down, and heals when it is back', async () => {
    const server = await startPrivateRedis();
    const cache = createRedisCache({ url: server.url, keyPrefix: 'outage:' });
    try {
      await cache.set('k', 'before');
      await server.stop();

      // At once: a command already on its way, or queued while the first reconnect is tried.
      const first = await failure(() => cache.get('k'));
      expect(first.error).toBeInstanceOf(ClubError);
      expect(first.error).toMatchObject({ code: 'dependency.unavailable' });
      expect(first.ms).toBeLessThan(1_500);

      // An outage that lasts: before, each command waited for several reconnect attempts
      // (up to ~8 s once they were 2 s apart); now a known-down server is not waited for.
      await sleep(3_000);
      const commands: (() => Promise<unknown>)[] = [
        () => cache.get('k'),
        () => cache.set('k', 'during'),
        () => cache.increment('n', 60),
        () => cache.backoff('b', policy),
        () => cache.forgive('b', true),
        () => cache.publish('channel', 'message'),
        () => cache.ping(),
      ];
      for (const command of commands) {
        const { error, ms } = await failure(command);
        expect(error).toMatchObject({ code: 'dependency.unavailable' });
        expect(ms).toBeLessThan(250);
      }

      await server.start();
      await expect
        .poll(
          () =>
            cache.get('k').then(
              () => 'answered',
              () => 'unavailable',
            ),
          { timeout: 10_000 },
        )
        .toBe('answered');
      await cache.set('k', 'after');
      expect(await cache.get('k')).toBe('after');
    } finally {
      await cache.close();
      await server.stop();
    }
  }, 30_000);

  it('fails a command fast when Redis is down from the start', async () => {
    const server = await startPrivateRedis();
    await server.stop();
    const cache = createRedisCache({ url: server.url });
    try {
      const first = await failure(() => cache.increment('n', 60));
      expect(first.error).toMatchObject({ code: 'dependency.unavailable' });
      expect(first.ms).toBeLessThan(1_500);
      const next = await failure(() => cache.increment('n', 60));
      expect(next.error).toMatchObject({ code: 'dependency.unavailable' });
      expect(next.ms).toBeLessThan(250);
    } finally {
      await cache.close();
    }
  });
});

async function clientId(admin: Redis, connectionName: string): Promise<string> {
  const list = String(await admin.call('CLIENT', 'LIST'));
  const line = list.split('\n').find((l) => l.includes(` name=${connectionName} `));
  const id = line?.match(/\bid=(\d+)/)?.[1];
  if (id === undefined) throw new Error(`no connection named ${connectionName}`);
  return id;
}
