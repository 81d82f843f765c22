import type { Logger } from 'pino';

/**
 * Seals blocks by count or by time: `nudge()` after entries arrive seals full blocks at once;
 * every `intervalMs` whatever is waiting is sealed, however few. Up to `concurrency` lanes seal at
 * the same time in this process (the advisory lock orders processes), each on its own: a lane
 * seals blocks while they come out full, then ends, and a request that found every lane busy is
 * taken up by the next lane to end. A failed lane is logged; the entries stay pending for the next.
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
  let lanes = 0;
  /** A request that found every lane busy (flush if any of them was one). */
  let waiting: { flush: boolean } | undefined;
  /** Settles when no lane runs. */
  let idle: PromiseWithResolvers<void> | undefined;

  async function lane(flush: boolean): Promise<void> {
    for (;;) {
      const count = await options.seal(flush ? 1 : options.maxBlockEntries);
      if (count > 0) options.sealed();
      if (count < options.maxBlockEntries) return;
    }
  }

  function startLane(flush: boolean): void {
    lanes += 1;
    lane(flush)
      .catch((error: unknown) => options.log.error({ err: error }, 'sealing a ledger block failed'))
      .finally(() => {
        lanes -= 1;
        const next = waiting;
        waiting = undefined;
        if (next) startLane(next.flush);
        else if (lanes === 0) {
          idle?.resolve();
          idle = undefined;
        }
      });
  }

  /** Starts a lane on every free slot, or leaves the request to the next lane to end. */
  function schedule(flush: boolean): Promise<void> {
    if (lanes >= concurrency) waiting = { flush: (waiting?.flush ?? false) || flush };
    while (lanes < concurrency) startLane(flush);
    return whenIdle();
  }

  function whenIdle(): Promise<void> {
    if (lanes === 0) return Promise.resolve();
    idle ??= Promise.withResolvers<void>();
    return idle.promise;
  }

  return {
    /** Entries arrived: seal the full blocks they make. */
    nudge: () => void schedule(false),
    /** Seals what is waiting now; settles once no lane runs (tests, shutdown). */
    flush: () => schedule(true),
    start() {
      if (options.intervalMs > 0 && !timer)
        timer = setInterval(() => {
          // Only when no block is in flight: otherwise the lanes take what waits as they end, in
          // full blocks (a transaction costs the same to endorse with 125 entries as with 1,000).
          if (lanes === 0) void schedule(true);
        }, options.intervalMs).unref();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await whenIdle();
    },
  };
}
