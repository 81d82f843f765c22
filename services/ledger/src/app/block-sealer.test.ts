import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createBlockSealer } from './block-sealer.ts';

/**
 * The sealer's lanes against a seal() this test answers by hand, one call at a time: what is
 * tested is when lanes start and end, so each call waits until the test says how many it sealed.
 */
function sealerWithHandSeal(concurrency: number, maxBlockEntries = 2) {
  const calls: { minEntries: number; answer: (sealed: number) => void }[] = [];
  const open: typeof calls = [];
  let sealedBlocks = 0;
  const sealer = createBlockSealer({
    seal: (minEntries) =>
      new Promise<number>((resolve) => {
        const call = { minEntries, answer: resolve };
        calls.push(call);
        open.push(call);
      }),
    maxBlockEntries,
    intervalMs: 0,
    log: pino({ level: 'silent' }),
    concurrency,
    sealed: () => {
      sealedBlocks += 1;
    },
  });
  /** Answers the oldest open call, then lets the lanes move on. */
  const answer = async (sealed: number) => {
    open.shift()!.answer(sealed);
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { sealer, calls, open, answer, sealedBlocks: () => sealedBlocks };
}

describe('block sealer', () => {
  it('starts a lane on a free slot while another is still in flight', async () => {
    const { sealer, open, answer } = sealerWithHandSeal(3);
    sealer.nudge();
    expect(open).toHaveLength(3);
    // Two lanes found nothing they could take; the first one's block is in flight.
    await answer(2);
    await answer(0);
    await answer(0);
    expect(open).toHaveLength(1);
    // Entries arrive meanwhile: two lanes start at once, not after the block in flight.
    sealer.nudge();
    expect(open).toHaveLength(3);
    expect(open.map((call) => call.minEntries)).toEqual([2, 2, 2]);
  });

  it('leaves a request that finds every lane busy to the next lane to end, a flush to seal what is left', async () => {
    const { sealer, calls, open, answer, sealedBlocks } = sealerWithHandSeal(2);
    sealer.nudge();
    const flushed = sealer.flush();
    let isFlushed = false;
    void flushed.then(() => {
      isFlushed = true;
    });
    expect(open).toHaveLength(2);
    await answer(1); // a partial block: the lane ends, and the flush takes its slot
    expect(open).toHaveLength(2);
    expect(calls.at(-1)!.minEntries).toBe(1);
    await answer(0);
    await answer(0);
    expect(open).toHaveLength(0);
    await flushed;
    expect(isFlushed).toBe(true);
    expect(sealedBlocks()).toBe(1);
  });

  it('keeps one lane to one block at a time by default, and stop waits for it', async () => {
    const { sealer, open, answer } = sealerWithHandSeal(1);
    sealer.nudge();
    sealer.nudge();
    expect(open).toHaveLength(1);
    let isStopped = false;
    const stopped = sealer.stop().then(() => {
      isStopped = true;
    });
    await answer(2); // full: the lane goes on
    expect(open).toHaveLength(1);
    await answer(0);
    // The nudge that waited runs once the lane ended.
    expect(open).toHaveLength(1);
    expect(isStopped).toBe(false);
    await answer(0);
    await stopped;
    expect(open).toHaveLength(0);
  });
});
