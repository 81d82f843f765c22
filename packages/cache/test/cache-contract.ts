import { setTimeout as sleep } from 'node:timers/promises';
import { ClubError } from '@clubland/errors';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackoffLimiter } from '../src/backoff-limiter.ts';
import type { Cache } from '../src/cache.ts';
import { createRateLimiter } from '../src/rate-limiter.ts';

/** One store under test. Every `open()` is a client of the same store (another instance's view of it). */
export interface CacheContractTarget {
  open(): Promise<Cache>;
  /** Removes what the suite wrote. */
  cleanup(): Promise<void>;
}

/** The behaviour every cache adapter must have; each adapter's test file runs it against its store. */
export function describeCacheContract(name: string, makeTarget: () => CacheContractTarget): void {
  describe(`Cache contract: ${name}`, () => {
    const target = makeTarget();
    const opened: Cache[] = [];
    let keys = 0;
    const key = (label: string) => `contract:${label}:${++keys}`;
    const open = async () => {
      const cache = await target.open();
      opened.push(cache);
      return cache;
    };

    afterAll(async () => {
      await target.cleanup();
      for (const cache of opened) await cache.close();
    });

    it('answers ping', async () => {
      const cache = await open();
      await expect(cache.ping()).resolves.toBeUndefined();
    });

    it('gets what was set, overwrites, and forgets on delete', async () => {
      const cache = await open();
      const k = key('crud');
      expect(await cache.get(k)).toBeNull();
      await cache.set(k, 'one');
      expect(await cache.get(k)).toBe('one');
      await cache.set(k, 'two');
      expect(await cache.get(k)).toBe('two');
      await cache.delete(k);
      expect(await cache.get(k)).toBeNull();
      await expect(cache.delete(k)).resolves.toBeUndefined();
    });

    it('expires a value after its TTL and keeps one without TTL', async () => {
      const cache = await open();
      const brief = key('ttl');
      const lasting = key('no-ttl');
      await cache.set(brief, 'soon gone', 1);
      await cache.set(lasting, 'stays');
      expect(await cache.get(brief)).toBe('soon gone');
      await sleep(1_200);
      expect(await cache.get(brief)).toBeNull();
      expect(await cache.get(lasting)).toBe('stays');
    });

    it('creates a counter with its TTL and adds to it', async () => {
      const cache = await open();
      const k = key('counter');
      expect(await cache.increment(k, 60)).toEqual({ value: 1, ttlSeconds: 60 });
      const second = await cache.increment(k, 60, 5);
      expect(second.value).toBe(6);
      expect(second.ttlSeconds).toBeGreaterThanOrEqual(59);
      expect(second.ttlSeconds).toBeLessThanOrEqual(60);
      expect(await cache.get(k)).toBe('6');
    });

    it('starts a counter afresh once its window expired', async () => {
      const cache = await open();
      const k = key('counter-expiry');
      await cache.increment(k, 1);
      await cache.increment(k, 1);
      await sleep(1_200);
      expect(await cache.increment(k, 1)).toEqual({ value: 1, ttlSeconds: 1 });
    });

    it('gives an expiry to a counter that was set without one', async () => {
      const cache = await open();
      const k = key('counter-no-ttl');
      await cache.set(k, '5');
      expect(await cache.increment(k, 30)).toEqual({ value: 6, ttlSeconds: 30 });
    });

    it('refuses to increment a value that is not an integer', async () => {
      const cache = await open();
      const k = key('not-a-number');
      await cache.set(k, 'abc');
      await expect(cache.increment(k, 60)).rejects.toThrow(/integer/);
    });

    it('increments atomically under 200 concurrent calls', async () => {
      const cache = await open();
      const other = await open();
      const k = key('concurrent');
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? cache : other).increment(k, 60)),
      );
      const values = results.map((r) => r.value).sort((a, b) => a - b);
      expect(values).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      expect(await cache.get(k)).toBe('200');
    });

    it('delivers a published message to the subscribers of its channel on every client, none after close', async () => {
      const first = await open();
      const second = await open();
      const channel = key('channel');
      const heard = { first: [] as string[], second: [] as string[], elsewhere: [] as string[] };
      const live: boolean[] = [];
      const one = await first.subscribe(
        channel,
        (m) => heard.first.push(m),
        (l) => live.push(l),
      );
      const two = await second.subscribe(channel, (m) => heard.second.push(m));
      const other = await second.subscribe(key('other-channel'), (m) => heard.elsewhere.push(m));
      expect(live).toEqual([true]);
      await second.publish(channel, 'session-1');
      await expect.poll(() => [heard.first, heard.second]).toEqual([['session-1'], ['session-1']]);
      await one.close();
      await first.publish(channel, 'session-2');
      await expect.poll(() => heard.second).toEqual(['session-1', 'session-2']);
      await sleep(50);
      expect(heard.first).toEqual(['session-1']);
      expect(heard.elsewhere).toEqual([]);
      await two.close();
      await other.close();
    });

    it('rate limiter allows the limit and refuses the next call with a retry time', async () => {
      const cache = await open();
      const limiter = createRateLimiter(cache, { name: key('limiter'), limit: 3, windowSeconds: 60 });
      const allowed = [
        await limiter.consume('ip-1'),
        await limiter.consume('ip-1'),
        await limiter.consume('ip-1'),
      ];
      expect(allowed.map((d) => [d.allowed, d.remaining])).toEqual([
        [true, 2],
        [true, 1],
        [true, 0],
      ]);
      const refused = await limiter.consume('ip-1');
      expect(refused.allowed).toBe(false);
      expect(refused.remaining).toBe(0);
      expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(59);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
      // Another key has its own window.
      expect((await limiter.consume('ip-2')).allowed).toBe(true);
    });

    it('rate limiter hit() throws request.rate_limited with retryAfterSeconds when over', async () => {
      const cache = await open();
      const limiter = createRateLimiter(cache, { name: key('hit'), limit: 1, windowSeconds: 30 });
      await expect(limiter.hit('member-1')).resolves.toMatchObject({ allowed: true, remaining: 0 });
      const error = await limiter.hit('member-1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ClubError);
      expect(error).toMatchObject({ code: 'request.rate_limited' });
      const retryAfter = (error as ClubError).details.retryAfterSeconds;
      expect(retryAfter).toBeGreaterThanOrEqual(29);
      expect(retryAfter).toBeLessThanOrEqual(30);
    });

    it('rate limiter lets calls through again when the window ends', async () => {
      const cache = await open();
      const limiter = createRateLimiter(cache, { name: key('window'), limit: 1, windowSeconds: 1 });
      expect((await limiter.consume('k')).allowed).toBe(true);
      expect(await limiter.consume('k')).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 1 });
      await sleep(1_200);
      expect((await limiter.consume('k')).allowed).toBe(true);
    });

    it('two limiter instances on two clients of one store share one count', async () => {
      const name = key('shared');
      const first = createRateLimiter(await open(), { name, limit: 5, windowSeconds: 60 });
      const second = createRateLimiter(await open(), { name, limit: 5, windowSeconds: 60 });
      const decisions = [];
      for (let i = 0; i < 6; i++) decisions.push(await (i % 2 === 0 ? first : second).consume('club-a'));
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false]);
      expect((await first.consume('club-a')).allowed).toBe(false);
    });

    it('a synced limiter counts exactly in its process, refusing at the limit before any sync', async () => {
      const cache = await open();
      const name = key('synced');
      const limiter = createRateLimiter(cache, { name, limit: 3, windowSeconds: 60, syncEveryMs: 60_000 });
      const decisions = [];
      for (let i = 0; i < 5; i++) decisions.push(await limiter.consume('ip-1'));
      expect(decisions.map((d) => [d.allowed, d.remaining])).toEqual([
        [true, 2],
        [true, 1],
        [true, 0],
        [false, 0],
        [false, 0],
      ]);
      expect(decisions[3]!.retryAfterSeconds).toBeGreaterThanOrEqual(59);
      // Only the window's first call has reached the shared counter; the rest wait for the sync.
      expect(await cache.get(`ratelimit:${name}:ip-1`)).toBe('1');
    });

    it('synced limiters on two clients send their counts and learn each other at each sync', async () => {
      const name = key('synced-shared');
      const options = { name, limit: 10, windowSeconds: 60, syncEveryMs: 20 };
      const cache = await open();
      const first = createRateLimiter(cache, options);
      const second = createRateLimiter(await open(), options);
      for (let i = 0; i < 6; i++) expect((await first.consume('club-a')).allowed).toBe(true);
      await sleep(150);
      expect(await cache.get(`ratelimit:${name}:club-a`)).toBe('6');
      // The second opens its window with one INCR, and so starts from the first's six.
      const fromSecond = [];
      for (let i = 0; i < 5; i++) fromSecond.push((await second.consume('club-a')).allowed);
      expect(fromSecond).toEqual([true, true, true, true, false]);
      await sleep(150);
      expect(await cache.get(`ratelimit:${name}:club-a`)).toBe('11');
      // The first still believes 6: this call counts as 7 and is let through, and its sync
      // learns the 12 the two have counted between them.
      expect((await first.consume('club-a')).allowed).toBe(true);
      await sleep(150);
      expect((await first.consume('club-a')).allowed).toBe(false);
    });

    it('a synced limiter lets calls through again when the window ends', async () => {
      const cache = await open();
      const options = { name: key('synced-window'), limit: 1, windowSeconds: 1, syncEveryMs: 20 };
      const limiter = createRateLimiter(cache, options);
      expect((await limiter.consume('k')).allowed).toBe(true);
      expect(await limiter.consume('k')).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 1 });
      await sleep(1_200);
      expect((await limiter.consume('k')).allowed).toBe(true);
    });

    it('backoff lets the free failures through, then holds the key back twice as long each time, up to the ceiling', async () => {
      const cache = await open();
      const k = key('backoff');
      const policy = { free: 2, baseDelayMs: 200, maxDelayMs: 500, windowSeconds: 60 };
      expect(await cache.backoff(k, policy)).toEqual({ allowed: true, failures: 1 });
      expect(await cache.backoff(k, policy)).toEqual({ allowed: true, failures: 2 });
      // The third is let through, and holds the key back for the base delay after it.
      expect(await cache.backoff(k, policy)).toEqual({ allowed: true, failures: 3 });
      const held = async (min: number, max: number) => {
        const answer = await cache.backoff(k, policy);
        expect(answer.allowed).toBe(false);
        const { retryAfterMs } = answer as { retryAfterMs: number };
        expect(retryAfterMs).toBeGreaterThan(min);
        expect(retryAfterMs).toBeLessThanOrEqual(max);
        return retryAfterMs;
      };
      await sleep((await held(100, 200)) + 20);
      expect(await cache.backoff(k, policy)).toEqual({ allowed: true, failures: 4 });
      await sleep((await held(300, 400)) + 20);
      expect(await cache.backoff(k, policy)).toEqual({ allowed: true, failures: 5 });
      // 800 ms would be next; the ceiling is 500.
      await held(400, 500);
    });

    it('backoff admits concurrent attempts one by one: 60 at once from two clients let through exactly free + 1', async () => {
      const first = await open();
      const second = await open();
      const k = key('backoff-concurrent');
      const policy = { free: 3, baseDelayMs: 60_000, maxDelayMs: 60_000, windowSeconds: 60 };
      const answers = await Promise.all(
        Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? first : second).backoff(k, policy)),
      );
      const admitted = answers.filter((a) => a.allowed).map((a) => (a as { failures: number }).failures);
      expect(admitted.sort((a, b) => a - b)).toEqual([1, 2, 3, 4]);
    });

    it('forgive takes back one failure, or on reset forgets them all and lifts the hold', async () => {
      const cache = await open();
      const k = key('forgive');
      const policy = { free: 1, baseDelayMs: 60_000, maxDelayMs: 60_000, windowSeconds: 60 };
      await cache.backoff(k, policy);
      await cache.backoff(k, policy);
      expect((await cache.backoff(k, policy)).allowed).toBe(false);
      await cache.forgive(k, true);
      expect(await cache.backoff(k, policy)).toEqual({ allowed: true, failures: 1 });
      await cache.forgive(k, false);
      expect(await cache.backoff(k, policy)).toEqual({ allowed: true, failures: 1 });
      // Forgiving a key with nothing counted leaves nothing below zero.
      const untouched = key('forgive-nothing');
      await cache.forgive(untouched, false);
      expect(await cache.backoff(untouched, policy)).toEqual({ allowed: true, failures: 1 });
    });

    it('backoff forgets failures when their window ends', async () => {
      const cache = await open();
      const k = key('backoff-window');
      const policy = { free: 5, baseDelayMs: 1_000, maxDelayMs: 1_000, windowSeconds: 1 };
      await cache.backoff(k, policy);
      expect(await cache.backoff(k, policy)).toEqual({ allowed: true, failures: 2 });
      await sleep(1_200);
      expect(await cache.backoff(k, policy)).toEqual({ allowed: true, failures: 1 });
    });

    it('a back-off limiter refuses with request.rate_limited and whole retry seconds; reset and uncount differ', async () => {
      const cache = await open();
      const policy = { free: 1, baseDelayMs: 30_000, maxDelayMs: 30_000, windowSeconds: 60 };
      const perSource = createBackoffLimiter(cache, { name: key('source'), ...policy, onSuccess: 'reset' });
      const perAddress = createBackoffLimiter(cache, {
        name: key('address'),
        ...policy,
        onSuccess: 'uncount',
      });
      for (const limiter of [perSource, perAddress]) {
        await limiter.attempt('k'); // a failure
        await limiter.attempt('k'); // a failure, held back after it
        const error = await limiter.attempt('k').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ClubError);
        expect(error).toMatchObject({ code: 'request.rate_limited', details: { retryAfterSeconds: 30 } });
      }
      // A success on the source forgets its failures and lifts the hold; on the address it is
      // only not counted: the others' failures still hold it back.
      await perSource.succeeded('k');
      await perAddress.succeeded('k');
      await expect(perSource.attempt('k')).resolves.toBeUndefined();
      await expect(perAddress.attempt('k')).rejects.toMatchObject({ code: 'request.rate_limited' });
    });
  });
}
