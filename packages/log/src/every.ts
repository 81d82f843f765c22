import type { Logger } from 'pino';

/**
 * A service's scheduled job: `job` every `intervalMs` (0: never), one run at a time (a tick while a
 * run is in progress is skipped); a failed run is logged and the next one tries again; `atStart`: a
 * first run as it starts. The timer does not keep the process alive; stop() waits for a run in
 * progress.
 */
export function createEvery(
  intervalMs: number,
  job: () => Promise<void>,
  log: Logger,
  options: { atStart?: boolean } = {},
) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const tick = () => {
    running ??= job()
      .catch((error: unknown) => log.error({ err: error }, 'scheduled job failed'))
      .finally(() => {
        running = undefined;
      });
  };
  return {
    start() {
      if (intervalMs <= 0 || timer) return;
      timer = setInterval(tick, intervalMs).unref();
      if (options.atStart) tick();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
