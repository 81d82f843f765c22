import type { Logger } from '@clubland/log';

/**
 * Work a use case starts after it has answered: the caller cannot time it (requestPasswordReset
 * must answer as fast for an unknown email as for an account), and a failure in it is logged, not
 * answered. Tracked, so the service finishes it before it stops.
 */
export interface BackgroundWork {
  /** Starts `work` once the current answer has gone out (setImmediate); its failure is logged. */
  start(label: string, work: () => Promise<void>): void;
  /** Resolves once everything started so far, and anything that started meanwhile, has finished. */
  settled(): Promise<void>;
}

export function createBackgroundWork(log: Logger): BackgroundWork {
  const running = new Set<Promise<void>>();
  return {
    start(label, work) {
      const task: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
        .then(work)
        .catch((error: unknown) => log.error({ err: error, work: label }, 'background work failed'))
        .finally(() => running.delete(task));
      running.add(task);
    },
    async settled() {
      while (running.size > 0) await Promise.all(running);
    },
  };
}
