import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createBatcher } from './batcher.ts';

describe('createBatcher', () => {
  it('hands the items added in one turn to one flush, and the next turn’s to another', async () => {
    const flushed: number[][] = [];
    const add = createBatcher<number>({
      flush: async (items) => {
        flushed.push([...items]);
      },
    });
    const first = [add(1), add(2), add(3)];
    await Promise.all(first);
    await Promise.all([add(4), add(5)]);
    expect(flushed).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('resolves each add only once its batch is flushed', async () => {
    let finish: () => void = () => {};
    const add = createBatcher<string>({ flush: () => new Promise<void>((resolve) => (finish = resolve)) });
    let settled = false;
    const added = add('a').then(() => (settled = true));
    await nextTurn();
    await nextTurn();
    expect(settled).toBe(false);
    finish();
    await added;
    expect(settled).toBe(true);
  });

  it('flushes the items of a failed batch one by one, and rejects only those that fail alone', async () => {
    const flushed: number[][] = [];
    const add = createBatcher<number>({
      flush: async (items) => {
        flushed.push([...items]);
        if (items.includes(2)) throw new Error(`item 2 is refused`);
      },
    });
    const results = await Promise.allSettled([add(1), add(2), add(3)]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('item 2 is refused'));
    expect(flushed).toEqual([[1, 2, 3], [1], [2], [3]]);
    // Later batches go on as before.
    await expect(add(4)).resolves.toBeUndefined();
  });

  it('fails the items of a flush that throws before returning a promise, and never leaves one waiting', async () => {
    const add = createBatcher<number>({
      flush: () => {
        throw new Error('synchronous failure');
      },
    });
    const results = await Promise.allSettled([add(1), add(2)]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });

  it('flushes at maxBatch without waiting for the turn to end', async () => {
    const flushed: number[][] = [];
    const add = createBatcher<number>({
      maxBatch: 2,
      flush: async (items) => {
        flushed.push([...items]);
      },
    });
    await Promise.all([add(1), add(2), add(3), add(4), add(5)]);
    expect(flushed).toEqual([[1, 2], [3, 4], [5]]);
  });
});
