// Medians over interleaved rounds, and their table, for the benchmarks that run beside bare Mercurius.
import type { LoadResult } from './load.ts';

/** The middle value (mean of the middle two), to `decimals` places. */
export function median(values: number[], decimals = 1): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return Math.round(value * 10 ** decimals) / 10 ** decimals;
}

/** The medians over the rounds, each round's ratio to the bare server's round before it. */
export function printRounds(
  rows: readonly (readonly [string, LoadResult[]])[],
  bareRuns: LoadResult[],
): void {
  console.table(
    rows.map(([setup, runs]) => ({
      setup,
      'req/s (median)': Math.round(median(runs.map((run) => run.requestsPerSecond))),
      'req/s per round': runs.map((run) => run.requestsPerSecond).join(' '),
      'p50 ms': median(runs.map((run) => run.p50Ms)),
      'p95 ms': median(runs.map((run) => run.p95Ms)),
      'p99 ms': median(runs.map((run) => run.p99Ms)),
      'errors+non2xx+graphql': runs.reduce(
        (sum, run) => sum + run.errors + run.non2xx + run.graphqlErrors,
        0,
      ),
      'x bare (median of rounds)': median(
        runs.map((run, i) => run.requestsPerSecond / bareRuns[i]!.requestsPerSecond),
        2,
      ),
    })),
  );
}
