import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDb, type TestDb } from '@clubland/db/testing';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClublandToEnd } from '../../../test/e2e/clubland-process.ts';
import type { DemoSeedResult } from '../src/demo/seed-demo.ts';

const MEMBERSHIP_TYPES = [
  'REGULAR',
  'PREMIUM',
  'VIP',
  'CORPORATE',
  'STUDENT',
  'SENIOR',
  'FAMILY',
  'HONORARY',
];
const MEMBER_STATUSES = ['PENDING', 'ACTIVE', 'SUSPENDED', 'EXPIRED', 'INACTIVE'];

const COUNTS = `SELECT (SELECT count(*)::int FROM member.clubs) AS clubs,
  (SELECT count(*)::int FROM member.members) AS members,
  (SELECT count(*)::int FROM auth.users) AS accounts,
  (SELECT count(*)::int FROM auth.role_grants WHERE revoked_at IS NULL) AS grants,
  (SELECT count(*)::int FROM member.club_reviews) AS reviews,
  (SELECT count(*)::int FROM member.favourite_clubs) AS favourites`;

type Counts = Record<'clubs' | 'members' | 'accounts' | 'grants' | 'reviews' | 'favourites', number>;

/**
 * `clubland seed --demo` as an operator runs it: on the embedded database, and on PostgreSQL when
 * DATABASE_URL is set (a fresh database; there the explicit command is the only way to seed).
 */
describe.each([
  { backend: 'embedded PGlite', postgres: false },
  { backend: 'PostgreSQL', postgres: true },
])('clubland seed --demo on $backend', ({ postgres }) => {
  const skip = postgres && !process.env.DATABASE_URL;
  let dataDir: string;
  let testDb: TestDb | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'clubland-seed-'));
    if (postgres && !skip) testDb = await createTestDb();
  });
  afterAll(async () => {
    await testDb?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const env = () => ({
    CLUBLAND_DATA_DIR: dataDir,
    DATABASE_URL: postgres ? testDb?.url : undefined,
    DATABASE_OWNER_URL: postgres ? testDb?.ownerUrl : undefined,
    NATS_URL: undefined,
    REDIS_URL: undefined,
    LOG_LEVEL: 'info',
  });

  async function counts(): Promise<Counts> {
    if (testDb?.ownerUrl) {
      // As the owner: the application's login sees no club's members outside a club's transaction.
      const client = new pg.Client({ connectionString: testDb.ownerUrl });
      await client.connect();
      try {
        return (await client.query<Counts>(COUNTS)).rows[0]!;
      } finally {
        await client.end();
      }
    }
    const pglite = new PGlite(dataDir);
    try {
      return (await pglite.query<Counts>(COUNTS)).rows[0]!;
    } finally {
      await pglite.close();
    }
  }

  it.skipIf(skip)(
    'loads the demo network, prints its accounts as one JSON document, and a second run adds nothing',
    async () => {
      const first = await runClublandToEnd(['seed', '--demo', '--json'], env());
      expect(first.code, first.stderr).toBe(0);
      // Standard output is the document alone; the logs went to standard error.
      const result = JSON.parse(first.stdout) as DemoSeedResult;
      expect(first.stderr).toContain('demo network ready');
      const once = await counts();

      const second = await runClublandToEnd(['seed', '--demo', '--json'], env());
      expect(second.code, second.stderr).toBe(0);
      const again = JSON.parse(second.stdout) as DemoSeedResult;
      expect(await counts()).toEqual(once);
      expect(again.created).toEqual({ clubs: 0, accounts: 0, members: 0 });
      expect(again.accounts.map((a) => [a.email, a.userId])).toEqual(
        result.accounts.map((a) => [a.email, a.userId]),
      );

      // What the demo network holds.
      expect(result.created).toEqual({
        clubs: result.clubs.length,
        accounts: result.accounts.length,
        members: once.members,
      });
      expect(result.clubs.length).toBeGreaterThanOrEqual(4);
      expect(new Set(result.clubs.map((c) => c.city)).size).toBe(result.clubs.length);
      expect(new Set(result.clubs.map((c) => c.country)).size).toBe(result.clubs.length);
      expect(once).toMatchObject({ clubs: result.clubs.length, accounts: result.accounts.length });
      expect(once.reviews).toBeGreaterThan(0);
      expect(once.favourites).toBeGreaterThan(0);
      for (const club of result.clubs) {
        const people = result.accounts.filter((a) => a.clubId === club.id);
        expect(people.map((a) => a.roles[0])).toEqual(
          expect.arrayContaining(['CLUB_ADMIN', 'STAFF', 'MEMBER']),
        );
      }
      const members = result.accounts.flatMap((a) => (a.member ? [a.member] : []));
      expect(new Set(members.map((m) => m.membershipType))).toEqual(new Set(MEMBERSHIP_TYPES));
      expect(new Set(members.map((m) => m.status))).toEqual(new Set(MEMBER_STATUSES));
      for (const account of result.accounts) {
        expect(account).toMatchObject({ email: expect.stringContaining('@'), password: expect.any(String) });
      }
      expect(result.accounts.filter((a) => a.roles.includes('NETWORK_ADMIN'))).toHaveLength(1);
    },
    300_000,
  );
});
