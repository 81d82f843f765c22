import type { Logger } from 'pino';

/**
 * Seals blocks by count or by time: `nudge()` after entries arrive seals full blocks at once;
 * every `intervalMs` whatever is waiting is sealed, however few. One run at a time in this process
 * (with `concurrency` lanes in it; the advisory lock orders processes); a failed run is logged and
 * the next one tries again, the * entries still pending.
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
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let queued: { flush: boolean } | undefined;

  async function lane(flush: boolean): Promise<void> {
    for (;;) {
      const count = await options.seal(flush ? 1 : options.maxBlockEntries);
      if (count > 0) options.sealed();
      if (count < options.maxBlockEntries) return;
    }
  }

  async function work(flush: boolean): Promise<void> {
    // Several lanes when the ledger takes blocks in parallel (Fabric: one transaction endorsed while
    // the previous one waits for its block); every lane settles before the run ends.
    const results = await Promise.allSettled(
      Array.from({ length: options.concurrency ?? 1 }, () => lane(flush)),
    );
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }

  function schedule(flush: boolean): Promise<void> {
    if (queued) {
      queued.flush ||= flush;
      return running;
    }
    const next = { flush };
    queued = next;
    running = running.then(async () => {
      queued = undefined;
      try {
        await work(next.flush);
      } catch (error) {
        options.log.error({ err: error }, 'sealing a ledger block failed');
      }
    });
    return running;
  }

  return {
    /** Entries arrived: seal the full blocks they make. */
    nudge: () => void schedule(false),
    /** Seals everything waiting now (tests, shutdown). */
    flush: () => schedule(true),
    start() {
      if (options.intervalMs > 0 && !timer)
        timer = setInterval(() => void schedule(true), options.intervalMs).unref();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
