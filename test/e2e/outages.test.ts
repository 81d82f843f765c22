import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDb, type TestDb } from '@clubland/db/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, describe, expect, it } from 'vitest';
import {
  hasNatsServerBinary,
  type OwnNatsServer,
  startNatsServer,
} from '../../packages/bus/test/nats-server.ts';
import {
  bootstrapAdminEnv,
  E2E_ADMIN,
  freePort,
  graphql,
  login,
  type RunningClubland,
  startClubland,
} from './clubland-process.ts';

/**
 * Issue 27, item 11: outages degrade, they do not stop. NATS and Redis here are closed ports and a
 * nats-server of the test's own started late, never the shared servers. The storage is the run
 * mode's: PGlite, or a fresh PostgreSQL database when DATABASE_URL is set.
 */

interface Health {
  status: string;
  dependencies: Record<string, string>;
  errors?: Record<string, string>;
}

async function health(url: string): Promise<Health> {
  return (await (await fetch(`${url}/health`)).json()) as Health;
}

/** The value of `clubland_dependency_up` for one dependency in the gateway's metrics. */
async function dependencyUp(url: string, dependency: string): Promise<number | undefined> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('clubland_dependency_up{') && l.includes(`dependency="${dependency}"`));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

/** Retries `assertion` until it passes; fails with its last error after `timeoutMs`. */
async function eventually(assertion: () => Promise<void>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

describe.skipIf(!hasNatsServerBinary)('outages of NATS and Redis', () => {
  const testDbs: TestDb[] = [];
  const dirs: string[] = [];
  const running: RunningClubland[] = [];
  const servers: OwnNatsServer[] = [];

  afterAll(async () => {
    for (const process of running.reverse()) await process.stop();
    for (const server of servers) await server.stop();
    for (const db of testDbs) await db.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh data directory, and on PostgreSQL a fresh database too. */
  async function storage(): Promise<Record<string, string | undefined>> {
    const dataDir = mkdtempSync(join(tmpdir(), 'clubland-outage-'));
    dirs.push(dataDir);
    if (!process.env.DATABASE_URL) return { DATABASE_URL: undefined, CLUBLAND_DATA_DIR: dataDir };
    const db = await createTestDb();
    testDbs.push(db);
    return { DATABASE_URL: db.url, DATABASE_OWNER_URL: db.ownerUrl, CLUBLAND_DATA_DIR: dataDir };
  }

  it('starts while NATS is down, stays ready, takes writes, and publishes them once NATS is back', async () => {
    const natsPort = await freePort();
    const suffix = `${process.pid}_${Date.now()}`;
    const stream = `OUTAGE_${suffix}`;
    const prefix = `outage_${suffix}`;
    const app = await startClubland({
      ...(await storage()),
      ...bootstrapAdminEnv,
      REDIS_URL: undefined,
      NATS_URL: `nats://127.0.0.1:${natsPort}`,
      NATS_STREAM: stream,
      NATS_SUBJECT_PREFIX: prefix,
      OUTBOX_POLL_INTERVAL_MS: '100',
      CLUBLAND_DEMO: 'false',
    });
    running.push(app);

    // Ready (startClubland waited for it), while /health and the metric say the bus is down.
    expect((await fetch(`${app.url}/ready`)).status).toBe(200);
    await eventually(async () => {
      expect(await health(app.url)).toMatchObject({
        status: 'degraded',
        dependencies: { db: 'up', bus: 'down', cache: 'up' },
        errors: { bus: expect.stringContaining('NATS not reached yet') },
      });
      expect(await dependencyUp(app.url, 'bus')).toBe(0);
    }, 120_000);

    // A write succeeds: its event waits in the outbox.
    const token = await login(app.url, E2E_ADMIN.email, E2E_ADMIN.password);
    const created = await graphql<{ createClub: { id: string } }>(
      app.url,
      'mutation($input: CreateClubInput!) { createClub(input: $input) { id } }',
      { input: { name: 'Written During The Outage', slug: `outage-${suffix.replace('_', '-')}` } },
      token,
    );
    expect(created.errors).toBeUndefined();
    const clubId = created.data!.createClub.id;
    expect((await fetch(`${app.url}/ready`)).status).toBe(200);

    // NATS comes up: the bus connects, and the outbox publishes the event.
    const server = await startNatsServer({ port: natsPort });
    servers.push(server);
    await eventually(async () => {
      expect((await health(app.url)).dependencies.bus).toBe('up');
      expect(await dependencyUp(app.url, 'bus')).toBe(1);
    }, 120_000);
    const nc = await connect({ servers: server.url });
    try {
      const jsm = await jetstreamManager(nc);
      await eventually(async () => {
        const stored = await jsm.streams.getMessage(stream, { last_by_subj: `${prefix}.club.created` });
        expect(stored?.string()).toContain(clubId);
      }, 120_000);
    } finally {
      await nc.close();
    }
  }, 300_000);

  it('starts and serves with NATS and Redis both unreachable; what needs Redis fails closed', async () => {
    const app = await startClubland({
      ...(await storage()),
      ...bootstrapAdminEnv,
      NATS_URL: `nats://127.0.0.1:${await freePort()}`,
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      CLUBLAND_DEMO: 'false',
    });
    running.push(app);
    expect((await fetch(`${app.url}/ready`)).status).toBe(200);
    await eventually(async () => {
      expect(await health(app.url)).toMatchObject({
        status: 'degraded',
        dependencies: { db: 'up', bus: 'down', cache: 'down' },
      });
      expect(await dependencyUp(app.url, 'cache')).toBe(0);
    }, 120_000);

    // Anonymous reads are served.
    const clubs = await graphql<{ clubs: { pageInfo: { totalCount: number } } }>(
      app.url,
      '{ clubs { pageInfo { totalCount } } }',
    );
    expect(clubs.errors).toBeUndefined();
    expect(clubs.data?.clubs.pageInfo.totalCount).toBe(0);

    // A login needs Redis (its guesses are counted there): refused at once as SERVICE_UNAVAILABLE,
    // fail closed, the process unharmed and still serving.
    const startedAt = performance.now();
    const refused = await graphql(
      app.url,
      'mutation($input: LoginInput!) { login(input: $input) { token } }',
      { input: { email: E2E_ADMIN.email, password: E2E_ADMIN.password } },
    );
    expect(performance.now() - startedAt).toBeLessThan(3_000);
    expect(refused.data ?? null).toBeNull();
    expect(refused.errors?.[0]?.extensions?.code, JSON.stringify(refused.errors)).toBe('SERVICE_UNAVAILABLE');
    expect(app.child.exitCode).toBeNull();
    expect((await fetch(`${app.url}/ready`)).status).toBe(200);
    const again = await graphql(app.url, '{ clubs { pageInfo { totalCount } } }');
    expect(again.errors).toBeUndefined();
  }, 300_000);
});
