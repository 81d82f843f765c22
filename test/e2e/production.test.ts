import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDb, type TestDb } from '@clubland/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, graphql, runClubland, runClublandToEnd, startClubland } from './clubland-process.ts';

/**
 * Issue 27, item 6: production is production. A production start never seeds the demo network,
 * and refuses, in one line, a database that holds it: every demo account (the network
 * administrator's included) signs in with the password the README prints.
 */

// Storage alone decides here: no bus or cache server of the shared machine is involved.
const noServers = { NATS_URL: undefined, REDIS_URL: undefined };
const DEMO_ADMIN = { email: 'network.admin@demo.clubland.test', password: 'clubland-demo-1' };
const CLUB_COUNT = '{ clubs { pageInfo { totalCount } } }';

/** Runs a command that should end by itself; one still running after `timeoutMs` is killed (code null). */
async function runBounded(args: string[], env: Record<string, string | undefined>, timeoutMs = 60_000) {
  const child = runClubland(args, env);
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, stderr };
}

const storages = [
  { name: 'embedded PGlite', postgres: false },
  { name: 'PostgreSQL', postgres: true },
] as const;

describe.each(storages)('NODE_ENV=production on $name', ({ postgres }) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  /** A fresh place to keep data: a data directory, and on PostgreSQL a fresh database too. */
  async function freshStorage(): Promise<Record<string, string | undefined>> {
    const dataDir = mkdtempSync(join(tmpdir(), 'clubland-production-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    if (!postgres) return { ...noServers, DATABASE_URL: undefined, CLUBLAND_DATA_DIR: dataDir };
    const db: TestDb = await createTestDb();
    cleanups.push(() => db.close());
    return {
      ...noServers,
      DATABASE_URL: db.url,
      DATABASE_OWNER_URL: db.ownerUrl,
      CLUBLAND_DATA_DIR: dataDir,
    };
  }

  it.skipIf(postgres && !process.env.DATABASE_URL)(
    'starts on fresh storage without the demo network: no banner, no club, no demo login',
    async () => {
      const storage = await freshStorage();
      const running = await startClubland({ ...storage, NODE_ENV: 'production' });
      try {
        expect(running.output()).not.toContain('demo');
        const clubs = await graphql<{ clubs: { pageInfo: { totalCount: number } } }>(running.url, CLUB_COUNT);
        expect(clubs.data?.clubs.pageInfo.totalCount).toBe(0);
        const login = await graphql(
          running.url,
          'mutation($input: LoginInput!) { login(input: $input) { token } }',
          { input: DEMO_ADMIN },
        );
        expect(login.data ?? null).toBeNull();
        expect(login.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      } finally {
        expect(await running.stop()).toBe(0);
      }
    },
    300_000,
  );

  it.skipIf(postgres && !process.env.DATABASE_URL)(
    'refuses to start, in one line and non-zero, where the demo network was loaded',
    async () => {
      const storage = await freshStorage();
      const seeded = await runClublandToEnd(['seed', '--demo'], { ...storage, NODE_ENV: 'development' });
      expect(seeded.code, seeded.stderr).toBe(0);

      const port = await freePort();
      const refused = await runBounded(['start'], {
        ...storage,
        NODE_ENV: 'production',
        GATEWAY_PORT: String(port),
      });
      expect(refused.code).toBe(1);
      const lines = refused.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^clubland: NODE_ENV=production and the database holds the demo network/);
      expect(lines[0]).toContain('@demo.clubland.test');
      // It never listened.
      await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    },
    300_000,
  );
});

describe('clubland seed --demo with NODE_ENV=production', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses in one line and loads nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'clubland-production-seed-'));
    dirs.push(dataDir);
    const embedded = { ...noServers, DATABASE_URL: undefined, CLUBLAND_DATA_DIR: dataDir };
    const refused = await runBounded(['seed', '--demo'], { ...embedded, NODE_ENV: 'production' });
    expect(refused.code).toBe(1);
    const lines = refused.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('NODE_ENV=production');
    expect(lines[0]).toContain('demo network');

    // Nothing was loaded: a later production start on the same directory finds no demo.
    const running = await startClubland({ ...embedded, NODE_ENV: 'production' });
    try {
      const clubs = await graphql<{ clubs: { pageInfo: { totalCount: number } } }>(running.url, CLUB_COUNT);
      expect(clubs.data?.clubs.pageInfo.totalCount).toBe(0);
    } finally {
      expect(await running.stop()).toBe(0);
    }
  }, 300_000);
});
