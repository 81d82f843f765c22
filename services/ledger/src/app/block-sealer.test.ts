import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBlockSealer } from './block-sealer.ts';

/**
 * The sealer's lanes against a seal() this test answers by hand, one call at a time: what is
 * tested is when lanes start and end, so each call waits until the test says how many it sealed.
 */
function sealerWithHandSeal(concurrency: number, intervalMs = 0) {
  const open: { minEntries: number; answer: (sealed: number) => void }[] = [];
  const sealer = createBlockSealer({
    seal: (minEntries) => new Promise<number>((resolve) => open.push({ minEntries, answer: resolve })),
    maxBlockEntries: 2,
    intervalMs,
    log: pino({ level: 'silent' }),
    concurrency,
    sealed: () => undefined,
  });
  /** Answers the oldest open call, then lets the lanes move on. */
  const answer = async (sealed: number) => {
    open.shift()!.answer(sealed);
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { sealer, open, answer };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('block sealer', () => {
  it('starts a lane on a free slot while another is still in flight', async () => {
    const { sealer, open, answer } = sealerWithHandSeal(3);
    sealer.nudge();
    expect(open).toHaveLength(3);
    // Two lanes found nothing they could take; the first one's full block is in flight.
    const [first] = open;
    open.splice(0, 1);
    await answer(0);
    await answer(0);
    expect(open).toHaveLength(0);
    // Entries arrive meanwhile: two lanes start at once, not after the block in flight.
    sealer.nudge();
    expect(open.map((call) => call.minEntries)).toEqual([2, 2]);
    first!.answer(0);
  });

  it('flushes once the blocks in flight have committed, every lane taking what is left', async () => {
    const { sealer, open, answer } = sealerWithHandSeal(2);
    sealer.nudge();
    let isFlushed = false;
    const flushed = sealer.flush().then(() => {
      isFlushed = true;
    });
    expect(open).toHaveLength(2);
    await answer(2); // full: this lane seals on
    await answer(0);
    expect(open.map((call) => call.minEntries)).toEqual([2]);
    await answer(0);
    // Nothing in flight now: the flush's lanes take any number, however few.
    expect(open.map((call) => call.minEntries)).toEqual([1, 1]);
    expect(isFlushed).toBe(false);
    await answer(1);
    await answer(0);
    await flushed;
    expect(isFlushed).toBe(true);
  });

  it('seals a partial block on the timer when a lane ends, even if nudges keep the one lane busy', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { sealer, open, answer } = sealerWithHandSeal(1, 100);
    sealer.start();
    sealer.nudge();
    expect(open.map((call) => call.minEntries)).toEqual([2]);
    vi.advanceTimersByTime(100); // busy: the timer's request waits for the lane to end
    expect(open).toHaveLength(1);
    sealer.nudge();
    await answer(0);
    expect(open.map((call) => call.minEntries)).toEqual([1]);
    const stopped = sealer.stop();
    await answer(0);
    await stopped;
    expect(open).toHaveLength(0);
  });
});
