import type { FastifyInstance } from 'fastify';
import { createDependencyMonitor, type DependencyCheck, runCheck } from './dependency-monitor.ts';
import type { Metrics } from './metrics.ts';

export type ReadinessCheck = DependencyCheck;

export interface OpsRoutesOptions {
  metrics: Metrics;
  /**
   * What this instance cannot serve without, checked on every `/ready`, e.g.
   * `{ db: () => db.ping() }`: 503 while one fails, so the load balancer sends elsewhere.
   */
  readinessChecks?: Record<string, ReadinessCheck>;
  /**
   * Dependencies whose outage the instance absorbs, e.g. `{ bus: () => bus.ping() }` (the outbox
   * keeps events until the bus is back). Never in `/ready`: an outage every instance shares would
   * take them all out at once. Reported in `/health` and `clubland_dependency_up` with the others.
   */
  degradableChecks?: Record<string, ReadinessCheck>;
  /** How long each check may take before it counts as failed. */
  timeoutMs?: number;
  /** How often every dependency is checked in the background for `/health` and the metric. */
  healthIntervalMs?: number;
}

export interface OpsRoutes {
  /** From now on `/ready` answers 503, so load balancers stop sending while the process drains. */
  markShuttingDown(): void;
  isShuttingDown(): boolean;
}

export type ReadinessBody =
  | { status: 'ready'; checks: Record<string, 'ok'> }
  | { status: 'not_ready'; checks: Record<string, 'ok' | 'failed'>; errors: Record<string, string> }
  | { status: 'shutting_down' };

/**
 * Adds `/health`, `/ready` and `/metrics` to `app`, and a hook that counts and times every request
 * by its route pattern. Call it on the root instance before `listen`/`ready`, so the hook sees
 * every route, including those of plugins registered later.
 */
export function registerOpsRoutes(app: FastifyInstance, options: OpsRoutesOptions): OpsRoutes {
  const { metrics, readinessChecks = {}, timeoutMs = 2_000 } = options;
  let shuttingDown = false;
  const dependencies = createDependencyMonitor({
    checks: { ...readinessChecks, ...options.degradableChecks },
    metrics,
    intervalMs: options.healthIntervalMs ?? 5_000,
    timeoutMs,
  });
  app.addHook('onReady', async () => dependencies.start());
  app.addHook('onClose', async () => dependencies.stop());

  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      // The pattern (`/clubs/:id`), never the raw URL, keeps label cardinality bounded.
      route: request.routeOptions.url ?? 'unmatched',
      status_code: String(reply.statusCode),
    };
    metrics.httpRequestsTotal.inc(labels);
    metrics.httpRequestDuration.observe(labels, reply.elapsedTime / 1000);
  });

  // Alive, with each dependency's last known state: 200 whatever they are (a liveness probe must
  // not restart a process for an outage it rides out), and never waiting on one.
  app.get('/health', async () => dependencies.report());

  app.get('/ready', async (_request, reply): Promise<ReadinessBody> => {
    if (shuttingDown) {
      reply.code(503);
      return { status: 'shutting_down' };
    }
    const names = Object.keys(readinessChecks);
    const outcomes = await Promise.all(
      names.map((name) => runCheck(readinessChecks[name] as ReadinessCheck, timeoutMs)),
    );
    const checks: Record<string, 'ok' | 'failed'> = {};
    const errors: Record<string, string> = {};
    names.forEach((name, i) => {
      const error = outcomes[i];
      checks[name] = error === undefined ? 'ok' : 'failed';
      if (error !== undefined) errors[name] = error;
    });
    if (Object.keys(errors).length === 0) return { status: 'ready', checks: checks as Record<string, 'ok'> };
    reply.code(503);
    return { status: 'not_ready', checks, errors };
  });

  app.get('/metrics', async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  return {
    markShuttingDown() {
      shuttingDown = true;
    },
    isShuttingDown: () => shuttingDown,
  };
}
