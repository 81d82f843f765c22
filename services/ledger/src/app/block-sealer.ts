import type { Logger } from 'pino';

/**
 * Seals blocks by count or by time: `nudge()` after entries arrive seals full blocks at once;
 * every `intervalMs` whatever is waiting is sealed, however few. Up to `concurrency` lanes seal at
 * the same time in this process (the advisory lock orders processes), each on its own: a lane
 * seals blocks while they come out full, then ends. A request that finds every lane busy is taken
 * up by the next lane to end. A failed lane is logged; its entries stay pending for the next.
 *
 * Lanes do not wait for one another. With Fabric, where a block is a transaction in flight for
 * half a second or more, a lane that found nothing it could take (the entries waiting share an id
 * bucket with a transaction in flight) must not hold the others back, nor wait for them to end
 * before the next entries go: runs of lanes that started and ended together kept one transaction
 * in flight of the three allowed (bench/README.md, the ledger on Fabric).
 */
export function createBlockSealer(options: {
  /** Seals one block if at least `minEntries` wait; how many it sealed. */
  seal: (minEntries: number) => Promise<number>;
  maxBlockEntries: number;
  intervalMs: number;
  log: Logger;
  /** Blocks sealed at once (default 1: the embedded ledger seals one at a time anyway). */
  concurrency?: number;
  /** After each block, e.g. to wake the outbox relay. */
  sealed: () => void;
}) {
  const concurrency = options.concurrency ?? 1;
  let timer: NodeJS.Timeout | undefined;
  const lanes = new Set<Promise<void>>();
  /** A request that found every lane busy (flush if any of them was one). */
  let waiting: { flush: boolean } | undefined;
  const leaveToNextLane = (flush: boolean) => {
    waiting = { flush: (waiting?.flush ?? false) || flush };
  };

  async function lane(flush: boolean): Promise<void> {
    for (;;) {
      const count = await options.seal(flush ? 1 : options.maxBlockEntries);
      if (count > 0) options.sealed();
      if (count < options.maxBlockEntries) return;
    }
  }

  function startLane(flush: boolean): Promise<void> {
    const running: Promise<void> = lane(flush)
      .catch((error: unknown) => options.log.error({ err: error }, 'sealing a ledger block failed'))
      .finally(() => {
        lanes.delete(running);
        const next = waiting;
        waiting = undefined;
        if (next) startLane(next.flush);
      });
    lanes.add(running);
    return running;
  }

  /** A lane on every free slot, or the request left to the next lane to end. */
  function schedule(flush: boolean): Promise<void>[] {
    if (lanes.size >= concurrency) leaveToNextLane(flush);
    const started: Promise<void>[] = [];
    while (lanes.size < concurrency) started.push(startLane(flush));
    return started;
  }

  /** Settles once no lane runs (lanes started meanwhile included). */
  async function idle(): Promise<void> {
    while (lanes.size > 0) await Promise.all(lanes);
  }

  return {
    /** Entries arrived: seal the full blocks they make. */
    nudge: () => void schedule(false),
    /**
     * Seals every entry waiting now (tests, shutdown): once the blocks in flight have committed
     * (on Fabric the entries sharing their id buckets could not go beside them), every lane takes
     * what is left, however few.
     */
    async flush() {
      for (;;) {
        await idle();
        const started = schedule(true);
        // Every slot taken meanwhile by a nudge: the request waits with them; try again after.
        if (started.length > 0) return void (await Promise.all(started));
      }
    },
    start() {
      if (options.intervalMs > 0 && !timer)
        timer = setInterval(() => {
          // With a block in flight the partial one waits for a lane to end, not for a free slot:
          // several lanes on the timer took the slots with blocks of a few entries (a Fabric
          // transaction costs the same to endorse with 125 entries as with 1,000).
          if (lanes.size === 0) void schedule(true);
          else leaveToNextLane(true);
        }, options.intervalMs).unref();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await idle();
    },
  };
}
