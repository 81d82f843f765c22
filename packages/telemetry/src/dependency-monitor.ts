import { Gauge } from 'prom-client';
import type { Metrics } from './metrics.ts';

export type DependencyCheck = () => Promise<void>;
export type DependencyState = 'up' | 'down' | 'unknown';

export interface DependencyReport {
  /** `degraded` while any dependency is down; the process itself is alive either way. */
  status: 'ok' | 'degraded';
  dependencies: Record<string, DependencyState>;
  /** Why each dependency that is down failed its last check (secret-free). */
  errors?: Record<string, string>;
  /** When the states were last checked; null before the first check. */
  checkedAt: string | null;
}

export interface DependencyMonitor {
  /** The last known states: never waits on a dependency, so `/health` answers at once. */
  report(): DependencyReport;
  /** Checks every dependency now (concurrent callers share one round). */
  checkNow(): Promise<void>;
  start(): void;
  stop(): void;
}

/**
 * Checks named dependencies in the background every `intervalMs` and keeps the outcome: for
 * `/health`'s details and the `clubland_dependency_up` gauge (1 up, 0 down). Liveness probes read
 * the kept state, so a dependency that hangs can never make a live process look dead.
 */
export function createDependencyMonitor(options: {
  checks: Record<string, DependencyCheck>;
  metrics: Metrics;
  intervalMs: number;
  timeoutMs: number;
}): DependencyMonitor {
  const names = Object.keys(options.checks);
  const states: Record<string, DependencyState> = Object.fromEntries(names.map((name) => [name, 'unknown']));
  const errors: Record<string, string> = {};
  let checkedAt: Date | null = null;
  let round: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const gauge = new Gauge({
    name: 'clubland_dependency_up',
    help: 'Whether a dependency answered its last check (1) or not (0), checked in the background',
    labelNames: ['dependency'],
    registers: [options.metrics.registry],
  });

  async function checkAll(): Promise<void> {
    const outcomes = await Promise.all(
      names.map((name) => runCheck(options.checks[name] as DependencyCheck, options.timeoutMs)),
    );
    names.forEach((name, i) => {
      const error = outcomes[i];
      states[name] = error === undefined ? 'up' : 'down';
      if (error === undefined) delete errors[name];
      else errors[name] = error;
      gauge.set({ dependency: name }, error === undefined ? 1 : 0);
    });
    checkedAt = new Date();
  }

  function checkNow(): Promise<void> {
    round ??= checkAll().finally(() => {
      round = undefined;
    });
    return round;
  }

  return {
    report() {
      const isDegraded = names.some((name) => states[name] === 'down');
      return {
        status: isDegraded ? 'degraded' : 'ok',
        dependencies: { ...states },
        ...(Object.keys(errors).length > 0 ? { errors: { ...errors } } : {}),
        checkedAt: checkedAt?.toISOString() ?? null,
      };
    },
    checkNow,
    start() {
      if (timer || names.length === 0) return;
      void checkNow();
      timer = setInterval(() => void checkNow(), options.intervalMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}

/** Resolves to undefined when the check passed in time, else to a short, secret-free reason. */
export async function runCheck(check: DependencyCheck, timeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`timed out after ${timeoutMs} ms`), timeoutMs);
  });
  try {
    return await Promise.race([
      Promise.resolve()
        .then(check)
        .then(
          () => undefined,
          (error: unknown) => describeError(error),
        ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error);
  // Driver errors can quote a connection string; never let a password reach the response.
  const masked = text.replace(/(\/\/[^/\s:@]*:)[^@\s/]*@/g, '$1***@');
  const flat = masked.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
}
