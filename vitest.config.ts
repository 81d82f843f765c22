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
  },
});
