import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'services/*/src/**/*.test.ts',
      'services/*/test/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    // Timeouts catch hangs; they are not speed checks (bench/ measures speed). On a machine busy with
    // other work (another npm test beside this one, CI neighbours) a test waits for the CPU as long
    // as it computes, so the bounds leave room for that.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Most test time is spent waiting: on child processes, timers, sockets and the databases. One
    // file more than the machine has cores keeps the cores busy (on 2 cores: 349 s instead of ~700 s
    // for the embedded run); each file still runs its own tests in order, in its own process.
    maxWorkers: availableParallelism() + 1,
    // A worker runs file after file in one process and they share its loaded modules (imports
    // evaluated once, not per file), so a test file must leave no process-wide state behind it: env
    // it sets, timers, servers, a module's cache it changed. Measured on 2 cores, embedded run:
    // 377 s wall and 742 s of CPU with a process per file, 260 s and 508 s this way.
    isolate: false,
  },
});
