import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics.ts';

export type ReadinessCheck = () => Promise<void>;

export interface OpsRoutesOptions {
  metrics: Metrics;
  /** Named dependency checks for `/ready`, e.g. `{ db: () => db.ping(), cache: () => cache.ping() }`. */
  readinessChecks?: Record<string, ReadinessCheck>;
  /** How long each check may take before it counts as failed. */
  timeoutMs?: number;
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

  app.get('/health', async () => ({ status: 'ok' }));

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

/** Resolves to undefined when the check passed in time, else to a short, secret-free reason. */
async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<string | undefined> {
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
