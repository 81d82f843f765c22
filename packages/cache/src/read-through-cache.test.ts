import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createReadThroughCache } from './read-through-cache.ts';

/** A table of versioned rows whose reads can be held open, to interleave writes with them. */
function table() {
  const rows = new Map<string, { version: number }>();
  let held: Promise<void> | null = null;
  const state = {
    rows,
    loads: 0,
    /** Reads taken from now on read the row at once but answer only when `release` is called. */
    hold() {
      let release!: () => void;
      held = new Promise((resolve) => (release = resolve));
      return () => {
        held = null;
        release();
      };
    },
    async load(key: string) {
      state.loads++;
      const row = rows.get(key);
      const copy = row && { ...row };
      if (held) await held;
      return copy;
    },
  };
  return state;
}

describe('read-through cache', () => {
  it('loads a key once and serves it from memory after', async () => {
    const rows = table();
    rows.rows.set('a', { version: 1 });
    const cache = createReadThroughCache({ load: rows.load, ttlMs: 60_000 });
    expect(await cache.get('a')).toEqual({ version: 1 });
    rows.rows.set('a', { version: 2 }); // written behind its back: not seen until forgotten
    expect(await cache.get('a')).toEqual({ version: 1 });
    expect(rows.loads).toBe(1);
    cache.forget('a');
    expect(await cache.get('a')).toEqual({ version: 2 });
    expect(rows.loads).toBe(2);
  });

  it('shares one load between concurrent reads of a key', async () => {
    const rows = table();
    rows.rows.set('a', { version: 1 });
    const cache = createReadThroughCache({ load: rows.load, ttlMs: 60_000 });
    const answers = await Promise.all([cache.get('a'), cache.get('a'), cache.get('a')]);
    expect(answers).toEqual([{ version: 1 }, { version: 1 }, { version: 1 }]);
    expect(rows.loads).toBe(1);
  });

  it('throws away a load in flight when its key is forgotten, and reads again', async () => {
    const rows = table();
    rows.rows.set('a', { version: 1 });
    const cache = createReadThroughCache({ load: rows.load, ttlMs: 60_000 });
    const release = rows.hold();
    const reading = cache.get('a'); // reads version 1, answers later...
    await sleep(1);
    rows.rows.set('a', { version: 2 }); // ...a writer commits version 2 and forgets the key
    cache.forget('a');
    release();
    expect(await reading).toEqual({ version: 2 });
    expect(await cache.get('a')).toEqual({ version: 2 });
    expect(rows.loads).toBe(2);
  });

  it('keeps no answer for a key that is not there, nor a failed load', async () => {
    let failing = true;
    const loads: string[] = [];
    const cache = createReadThroughCache<{ v: number }>({
      ttlMs: 60_000,
      load: async (key) => {
        loads.push(key);
        if (key === 'broken' && failing) throw new Error('database away');
        return key === 'missing' ? undefined : { v: 1 };
      },
    });
    expect(await cache.get('missing')).toBeUndefined();
    expect(await cache.get('missing')).toBeUndefined();
    await expect(cache.get('broken')).rejects.toThrow('database away');
    failing = false;
    expect(await cache.get('broken')).toEqual({ v: 1 });
    expect(loads).toEqual(['missing', 'missing', 'broken', 'broken']);
    expect(cache.size).toBe(1);
  });

  it('reloads an entry older than its TTL', async () => {
    const rows = table();
    rows.rows.set('a', { version: 1 });
    const cache = createReadThroughCache({ load: rows.load, ttlMs: 30 });
    await cache.get('a');
    rows.rows.set('a', { version: 2 });
    await sleep(60);
    expect(await cache.get('a')).toEqual({ version: 2 });
    expect(rows.loads).toBe(2);
  });

  it('spreads the expiry of keys loaded together over the last quarter of the TTL, never past it', async () => {
    const rows = table();
    const keys = Array.from({ length: 200 }, (_, n) => `k${n}`);
    for (const key of keys) rows.rows.set(key, { version: 1 });
    const cache = createReadThroughCache({ load: rows.load, ttlMs: 2_000 });
    await Promise.all(keys.map((key) => cache.get(key)));
    const reloadedBy = async (ms: number) => {
      await sleep(ms);
      const before = rows.loads;
      await Promise.all(keys.map((key) => cache.get(key)));
      return rows.loads - before;
    };
    // At ~60% of the TTL none has expired; by ~85%, some but not all; past 100%, every other one.
    expect(await reloadedBy(1_200)).toBe(0);
    const some = await reloadedBy(500);
    expect(some).toBeGreaterThan(0);
    expect(some).toBeLessThan(200);
    expect(await reloadedBy(400)).toBe(200 - some);
  });

  it('serving stale while reloading: answers past the TTL at once, reloads behind it; a forget still drops at once', async () => {
    const rows = table();
    rows.rows.set('a', { version: 1 });
    const cache = createReadThroughCache({ load: rows.load, ttlMs: 30, serveStaleWhileReloading: true });
    await cache.get('a');
    rows.rows.set('a', { version: 2 });
    await sleep(60);
    const release = rows.hold();
    // Expired: the old answer at once, though the reload is held open.
    expect(await cache.get('a')).toEqual({ version: 1 });
    expect(rows.loads).toBe(2);
    release();
    await expect.poll(() => cache.get('a')).toEqual({ version: 2 });
    // A forget is never answered stale.
    rows.rows.set('a', { version: 3 });
    cache.forget('a');
    expect(await cache.get('a')).toEqual({ version: 3 });
  });

  it('with a TTL of 0 loads on every read', async () => {
    const rows = table();
    rows.rows.set('a', { version: 1 });
    const cache = createReadThroughCache({ load: rows.load, ttlMs: 0 });
    await cache.get('a');
    await cache.get('a');
    expect(rows.loads).toBe(2);
  });
});
