import { describe, expect, it } from 'vitest';
import { createTurnGate } from './turn-gate.ts';

/** Spins the thread for `ms`, as the embedded engine does while it runs a statement. */
function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // the engine at work
  }
}

describe('createTurnGate', () => {
  it('lets one in at a time, first come first served, and keeps going after a failure', async () => {
    const gate = createTurnGate(1);
    const order: number[] = [];
    let inside = 0;
    let most = 0;
    const runs = Array.from({ length: 12 }, (_, index) =>
      gate.run(async () => {
        inside++;
        most = Math.max(most, inside);
        await Promise.resolve();
        busyFor(0.5);
        order.push(index);
        inside--;
        if (index === 3) throw new Error('this one fails');
        return index;
      }),
    );
    const settled = await Promise.allSettled(runs);
    expect(order).toEqual([...Array(12).keys()]);
    expect(most).toBe(1);
    expect(settled[3]).toMatchObject({ status: 'rejected', reason: { message: 'this one fails' } });
    expect(settled[11]).toEqual({ status: 'fulfilled', value: 11 });
  });

  it('gives the event loop a turn once a stretch of work passes the budget', async () => {
    const gate = createTurnGate(1);
    let done = 0;
    const runs = Array.from({ length: 20 }, () =>
      gate.run(async () => {
        busyFor(2);
        done++;
      }),
    );
    // Queued behind the first few: without the gate all 20 would run before the loop's next turn.
    const atNextTurn = await new Promise<number>((resolve) => setImmediate(() => resolve(done)));
    await Promise.all(runs);
    expect(done).toBe(20);
    expect(atNextTurn).toBeLessThan(5);
  });

  it('runs work back to back while it stays under the budget', async () => {
    const gate = createTurnGate(50);
    let done = 0;
    const runs = Array.from({ length: 20 }, () =>
      gate.run(async () => {
        done++;
      }),
    );
    const atNextTurn = await new Promise<number>((resolve) => setImmediate(() => resolve(done)));
    await Promise.all(runs);
    expect(atNextTurn).toBe(20);
  });
});
