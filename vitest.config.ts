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
  },
});
