import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bootstrapAdminEnv,
  E2E_ADMIN,
  graphql,
  login,
  runClubland,
  startClubland,
} from './clubland-process.ts';

const CREATE_CLUB = `mutation Create($input: CreateClubInput!) {
  createClub(input: $input) { id name slug status createdAt }
}`;
const GET_CLUB = 'query Club($id: ID!) { club(id: $id) { id name slug location status } }';

// Runs on the embedded defaults only: the data directory is what must survive a restart.
const embedded = { DATABASE_URL: undefined, NATS_URL: undefined, REDIS_URL: undefined };
// An operator's install: no demo network, the first network administrator from the environment.
const operated = { ...embedded, CLUBLAND_DEMO: 'false', ...bootstrapAdminEnv };

describe('clubland start on embedded defaults', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'clubland-e2e-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps a club created before a restart, drains on SIGTERM and leaves no event unpublished', async () => {
    const first = await startClubland({ ...operated, CLUBLAND_DATA_DIR: dataDir });
    const adminToken = await login(first.url, E2E_ADMIN.email, E2E_ADMIN.password);
    const created = await graphql<{ createClub: { id: string; status: string } }>(
      first.url,
      CREATE_CLUB,
      { input: { name: 'The Reform Club', slug: 'reform', location: 'London, United Kingdom' } },
      adminToken,
    );
    expect(created.errors).toBeUndefined();
    const clubId = created.data!.createClub.id;
    expect(created.data!.createClub.status).toBe('ACTIVE');
    expect(await first.stop('SIGTERM')).toBe(0);

    // The outbox was flushed during the drain: every event left before the process exited.
    const pglite = new PGlite(dataDir);
    const pending = await pglite.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM member.outbox WHERE published_at IS NULL',
    );
    expect(pending.rows[0]!.n).toBe(0);
    await pglite.close();

    const second = await startClubland({ ...operated, CLUBLAND_DATA_DIR: dataDir });
    const read = await graphql<{ club: { id: string; name: string; location: string } }>(
      second.url,
      GET_CLUB,
      {
        id: clubId,
      },
    );
    expect(read.data?.club).toMatchObject({
      id: clubId,
      name: 'The Reform Club',
      location: 'London, United Kingdom',
    });
    const duplicate = await graphql(
      second.url,
      CREATE_CLUB,
      { input: { name: 'Again', slug: 'reform' } },
      await login(second.url, E2E_ADMIN.email, E2E_ADMIN.password),
    );
    // Issue 9: a taken slug is BAD_USER_INPUT naming the field (was CONFLICT).
    expect(duplicate.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'slug' });
    expect(await second.stop('SIGINT')).toBe(0);
  });
});

describe('bad configuration', () => {
  it.each([
    ['DATABASE_URL', 'nonsense'],
    ['GATEWAY_PORT', '99999'],
    ['NATS_URL', 'http://not-nats'],
  ])('%s=%s stops start-up with one line naming the variable', async (name, value) => {
    const child = runClubland(['start'], { [name]: value });
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).not.toBe(0);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
  });

  it('a database that cannot be reached stops start-up non-zero with a clear message', async () => {
    const child = runClubland(['start'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('cannot reach the database');
  });
});

describe('clubland migrate', () => {
  it('applies every schema on an empty data directory, exits 0, and is a no-op the second time', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'clubland-migrate-'));
    const applied = async () => {
      const pglite = new PGlite(dataDir);
      try {
        const { rows } = await pglite.query<{ at: string }>(
          `SELECT 'member:' || version AS at FROM member.schema_migrations
           UNION ALL SELECT 'auth:' || version FROM auth.schema_migrations ORDER BY 1`,
        );
        return rows.map((row) => row.at);
      } finally {
        await pglite.close();
      }
    };
    const migrateOnce = async () => {
      const child = runClubland(['migrate'], { ...embedded, CLUBLAND_DATA_DIR: dataDir });
      return new Promise<number | null>((resolve) => child.on('exit', resolve));
    };
    try {
      expect(await migrateOnce()).toBe(0);
      const first = await applied();
      expect(first).toEqual(expect.arrayContaining(['auth:1', 'auth:2', 'member:1', 'member:2']));
      expect(await migrateOnce()).toBe(0);
      expect(await applied()).toEqual(first);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
