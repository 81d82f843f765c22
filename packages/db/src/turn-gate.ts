/**
 * Transactions take turns, and leave the event loop its own.
 *
 * The embedded engine runs statements synchronously on the event loop's thread. Under load, one
 * poll of the loop finds ~100 connections with a request each and runs them all, engine included,
 * before it polls again: a ~100 ms stretch. Node's libuv accepts one new connection per poll
 * (libuv#3696), so a client's 100th new connection waited 100 such stretches, seconds, before its
 * first request was even read (bench/README.md, "Where embedded requests queue").
 *
 * The gate bounds the stretch. A transaction goes in at once while the current slice (the time
 * since the loop last came round to the gate) is under `budgetMs`; past it, it waits, first come
 * first served, for the loop's next turn (`setImmediate`), when the loop will have polled,
 * accepted and read in between. One transaction is in at a time.
 */
export interface TurnGate {
  /** Runs `fn` when its turn comes; the next waiter may go in when it settles. */
  run<T>(fn: () => Promise<T>): Promise<T>;
}

export function createTurnGate(budgetMs: number): TurnGate {
  const waiting: Array<() => void> = [];
  let busy = false;
  let sliceOpen = false;
  let sliceStart = 0;
  let pumpScheduled = false;

  /** A slice lasts until the loop's next check phase, and at most `budgetMs` for the gate. */
  function openSlice(): void {
    sliceOpen = true;
    sliceStart = performance.now();
    setImmediate(() => {
      sliceOpen = false;
    });
  }

  function withinBudget(): boolean {
    if (!sliceOpen) openSlice();
    return performance.now() - sliceStart < budgetMs;
  }

  function schedulePump(): void {
    if (pumpScheduled) return;
    pumpScheduled = true;
    setImmediate(() => {
      pumpScheduled = false;
      openSlice();
      admitNext();
    });
  }

  function admitNext(): void {
    const next = waiting.shift();
    if (!next) return;
    busy = true;
    next();
  }

  function enter(): Promise<void> | undefined {
    if (!busy && waiting.length === 0 && withinBudget()) {
      busy = true;
      return undefined;
    }
    const turn = new Promise<void>((resolve) => waiting.push(resolve));
    if (!busy) schedulePump();
    return turn;
  }

  function leave(): void {
    busy = false;
    if (waiting.length === 0) return;
    if (withinBudget()) admitNext();
    else schedulePump();
  }

  return {
    async run(fn) {
      const turn = enter();
      if (turn) await turn;
      try {
        return await fn();
      } finally {
        leave();
      }
    },
  };
}
