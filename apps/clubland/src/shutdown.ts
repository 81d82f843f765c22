import type { Logger } from 'pino';

type Closer = { name: string; close: () => Promise<void> };

/**
 * What was opened, closed in reverse: the gateway stops accepting and finishes in-flight
 * requests first, then RPC servers, then services flush their outboxes, then the bus, cache and
 * database close. Registering in start-up order gives the right shutdown order for free.
 */
export function createShutdown(log: Logger, timeoutMs: number) {
  const closers: Closer[] = [];
  let closing: Promise<void> | undefined;

  async function closeAll(): Promise<void> {
    for (const closer of closers.reverse()) {
      try {
        await closer.close();
      } catch (error) {
        log.error({ err: error, part: closer.name }, 'failed to close cleanly');
      }
    }
  }

  return {
    add(name: string, close: () => Promise<void>): void {
      closers.push({ name, close });
    },
    closeAll(): Promise<void> {
      closing ??= closeAll();
      return closing;
    },
    /** SIGTERM and SIGINT drain and exit 0; a drain that overruns `timeoutMs` exits 1. */
    onSignals(): void {
      const drain = (signal: NodeJS.Signals) => {
        log.info({ signal }, 'shutting down: draining');
        const timer = setTimeout(() => {
          log.error({ timeoutMs }, 'shutdown timed out');
          process.exit(1);
        }, timeoutMs);
        timer.unref();
        void this.closeAll().then(() => {
          log.info('shut down cleanly');
          process.exit(0);
        });
      };
      process.once('SIGTERM', drain);
      process.once('SIGINT', drain);
    },
  };
}

export type Shutdown = ReturnType<typeof createShutdown>;
