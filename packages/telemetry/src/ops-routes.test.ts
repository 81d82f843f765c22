import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.ts';
import { type OpsRoutesOptions, registerOpsRoutes } from './ops-routes.ts';

const apps: FastifyInstance[] = [];

function buildApp(options: Partial<OpsRoutesOptions> = {}) {
  const app = Fastify();
  apps.push(app);
  const metrics = createMetrics({ service: 'member' });
  const ops = registerOpsRoutes(app, { metrics, ...options });
  app.get('/clubs/:clubId', async (request) => ({ id: (request.params as { clubId: string }).clubId }));
  // A route inside an encapsulated plugin must be measured as well.
  app.register(async (child) => {
    child.get('/members/:memberId', async () => ({ ok: true }));
  });
  return { app, ops, metrics };
}

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

describe('GET /health', () => {
  it('answers 200 while the process is alive, even when not ready, naming what is down', async () => {
    const { app, ops } = buildApp({ readinessChecks: { db: () => Promise.reject(new Error('down')) } });
    ops.markShuttingDown();
    await app.ready();
    await eventually(async () => {
      const response = await app.inject({ method: 'GET', url: '/health' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        status: 'degraded',
        dependencies: { db: 'down' },
        errors: { db: 'down' },
      });
    });
  });

  it('answers at once from the last background check, though a dependency hangs', async () => {
    const { app } = buildApp({
      timeoutMs: 5_000,
      readinessChecks: { db: async () => {} },
      degradableChecks: { bus: () => new Promise<void>(() => {}) },
    });
    const started = performance.now();
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(response.json()).toMatchObject({ dependencies: { bus: 'unknown' } });
  });
});

// Issue 27, item 11: an outage the instance absorbs (the bus, behind the outbox) is reported, not
// a reason to leave the load balancer, which would take every instance out at once.
describe('dependencies whose outage the instance absorbs', () => {
  it('keep /ready at 200 while /health and clubland_dependency_up report them down, then up again', async () => {
    let isBusUp = false;
    const { app } = buildApp({
      healthIntervalMs: 50,
      readinessChecks: { db: async () => {} },
      degradableChecks: {
        bus: async () => {
          if (!isBusUp) throw new Error('NATS not reached yet: connect ECONNREFUSED 127.0.0.1:4999');
        },
      },
    });
    const ready = await app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { db: 'ok' } });
    await eventually(async () => {
      expect((await app.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({
        status: 'degraded',
        dependencies: { db: 'up', bus: 'down' },
        errors: { bus: 'NATS not reached yet: connect ECONNREFUSED 127.0.0.1:4999' },
      });
      const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(sample(metrics, 'clubland_dependency_up', { dependency: 'bus', service: 'member' })).toBe(0);
      expect(sample(metrics, 'clubland_dependency_up', { dependency: 'db', service: 'member' })).toBe(1);
    });

    isBusUp = true;
    await eventually(async () => {
      const health = (await app.inject({ method: 'GET', url: '/health' })).json();
      expect(health).toMatchObject({ status: 'ok', dependencies: { db: 'up', bus: 'up' } });
      expect(health.errors).toBeUndefined();
      const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(sample(metrics, 'clubland_dependency_up', { dependency: 'bus', service: 'member' })).toBe(1);
    });
  });
});

describe('GET /ready', () => {
  it('answers 200 with every check ok', async () => {
    const { app } = buildApp({ readinessChecks: { db: async () => {}, cache: async () => {} } });
    const response = await app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', checks: { db: 'ok', cache: 'ok' } });
  });

  it('answers 503 naming a check that rejects, without the password of a URL in its error', async () => {
    const { app } = buildApp({
      readinessChecks: {
        db: async () => {},
        cache: () => Promise.reject(new Error('connect ECONNREFUSED redis://:s3cret@cache:6379')),
      },
    });
    const response = await app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      status: 'not_ready',
      checks: { db: 'ok', cache: 'failed' },
      errors: { cache: 'connect ECONNREFUSED redis://:***@cache:6379' },
    });
    expect(response.body).not.toContain('s3cret');
  });

  it('answers 503 when a check hangs past the timeout, and does not wait for it', async () => {
    const { app } = buildApp({
      timeoutMs: 100,
      readinessChecks: { db: async () => {}, bus: () => new Promise<void>(() => {}) },
    });
    const started = performance.now();
    const response = await app.inject({ method: 'GET', url: '/ready' });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      status: 'not_ready',
      checks: { db: 'ok', bus: 'failed' },
      errors: { bus: 'timed out after 100 ms' },
    });
  });

  it('counts a check that throws synchronously as failed', async () => {
    const { app } = buildApp({
      readinessChecks: {
        db: () => {
          throw new Error('not configured');
        },
      },
    });
    const response = await app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ errors: { db: 'not configured' } });
  });

  it('answers 503 once shutting down, though every check passes', async () => {
    const { app, ops } = buildApp({ readinessChecks: { db: async () => {} } });
    expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
    ops.markShuttingDown();
    expect(ops.isShuttingDown()).toBe(true);
    const response = await app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: 'shutting_down' });
  });
});

describe('GET /metrics', () => {
  it('serves Prometheus text with default process metrics and the service label', async () => {
    const { app } = buildApp();
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.body).toContain('# TYPE http_requests_total counter');
    expect(response.body).toContain('# TYPE http_request_duration_seconds histogram');
    expect(response.body).toMatch(/process_cpu_user_seconds_total\{service="member"\}/);
  });

  it('counts requests by route pattern, not raw URL, and unmatched ones as such', async () => {
    const { app } = buildApp();
    await app.inject({ method: 'GET', url: '/clubs/c-1' });
    await app.inject({ method: 'GET', url: '/clubs/c-2' });
    await app.inject({ method: 'GET', url: '/members/m-1' });
    await app.inject({ method: 'GET', url: '/no/such/page' });
    const body = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    const ok = { method: 'GET', status_code: '200', service: 'member' };
    expect(sample(body, 'http_requests_total', { ...ok, route: '/clubs/:clubId' })).toBe(2);
    expect(sample(body, 'http_requests_total', { ...ok, route: '/members/:memberId' })).toBe(1);
    expect(sample(body, 'http_requests_total', { ...ok, route: 'unmatched', status_code: '404' })).toBe(1);
    expect(sample(body, 'http_request_duration_seconds_count', { ...ok, route: '/clubs/:clubId' })).toBe(2);
    expect(
      sample(body, 'http_request_duration_seconds_sum', { ...ok, route: '/clubs/:clubId' }),
    ).toBeGreaterThan(0);
    expect(body).not.toContain('/clubs/c-1');
  });

  it('lets services register business counters on the registry', async () => {
    const { app, metrics } = buildApp();
    const { Counter } = await import('prom-client');
    const visits = new Counter({
      name: 'visits_checked_in_total',
      help: 'visits',
      registers: [metrics.registry],
    });
    visits.inc(3);
    const body = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(sample(body, 'visits_checked_in_total', { service: 'member' })).toBe(3);
  });
});

/** The value of the one sample of `name` whose labels are exactly `labels` (in any order). */
function sample(body: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = JSON.stringify(Object.entries(labels).sort());
  for (const line of body.split('\n')) {
    const match = line.match(/^(\w+)\{(.*)\} (\S+)$/);
    if (match?.[1] !== name) continue;
    const found = [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]);
    if (JSON.stringify(found.sort()) === wanted) return Number(match[3]);
  }
  return undefined;
}

/** Retries `assertion` until it passes, or fails with its last error after `timeoutMs`. */
async function eventually(assertion: () => Promise<void>, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
