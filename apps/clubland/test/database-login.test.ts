import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDb, type TestDb } from '@clubland/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runClublandToEnd, startClubland } from '../../../test/e2e/clubland-process.ts';

/**
 * Issue 27, item 10, as an operator meets it: the services log in as DATABASE_URL, a role that is
 * no superuser and owns nothing; migrations run as DATABASE_OWNER_URL. PostgreSQL only.
 */
describe.skipIf(!process.env.DATABASE_URL)('the database logins of clubland', () => {
  let testDb: TestDb;
  let dataDir: string;
  const login = `clubland_app_${randomBytes(4).toString('hex')}`;
  let loginUrl: string;

  beforeAll(async () => {
    testDb = await createTestDb();
    dataDir = mkdtempSync(join(tmpdir(), 'clubland-logins-'));
    const url = new URL(testDb.url!);
    url.username = login;
    url.password = `pw-${randomBytes(8).toString('hex')}`;
    loginUrl = url.toString();
  });
  afterAll(async () => {
    await testDb?.asOwner((tx) => tx.query(`DROP ROLE IF EXISTS ${login}`));
    await testDb?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const base = () => ({
    // The member service alone names the auth service it asks about accounts; never reached here.
    AUTH_SERVICE_URL: 'http://127.0.0.1:9',
    CLUBLAND_DATA_DIR: dataDir,
    NATS_URL: undefined,
    REDIS_URL: undefined,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  });

  it('refuses an owner URL that reaches another database, before migrating anything', async () => {
    const elsewhere = new URL(testDb.ownerUrl!);
    elsewhere.pathname = '/postgres';
    const run = await runClublandToEnd(['migrate'], {
      ...base(),
      DATABASE_URL: testDb.url,
      DATABASE_OWNER_URL: elsewhere.toString(),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /DATABASE_OWNER_URL reaches postgres .* but DATABASE_URL reaches clubland_test_/,
    );
    const { rows } = await testDb.asOwner((tx) =>
      tx.query(`SELECT nspname FROM pg_namespace WHERE nspname IN ('member', 'auth')`),
    );
    expect(rows).toEqual([]);
  });

  it('refuses to start in production on a superuser login, in one line that says what to do', async () => {
    const run = await runClublandToEnd(['start', '--service', 'member'], {
      ...base(),
      NODE_ENV: 'production',
      DATABASE_URL: testDb.ownerUrl,
      DATABASE_OWNER_URL: undefined,
      MEMBER_RPC_PORT: String(await freePort()),
      MEMBER_HTTP_PORT: String(await freePort()),
    });
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^clubland: DATABASE_URL logs in as \w+, which is a superuser/);
    expect(lines[0]).toContain('DATABASE_OWNER_URL');
    // Refused before anything was written.
    const { rows } = await testDb.asOwner((tx) =>
      tx.query(`SELECT nspname FROM pg_namespace WHERE nspname IN ('member', 'auth')`),
    );
    expect(rows).toEqual([]);
  }, 300_000);

  it('migrate makes the login of DATABASE_URL as the owner; production then starts on that login alone', async () => {
    const migrated = await runClublandToEnd(['migrate'], {
      ...base(),
      DATABASE_URL: loginUrl,
      DATABASE_OWNER_URL: testDb.ownerUrl,
    });
    expect(migrated.code, migrated.stderr).toBe(0);
    const { rows } = await testDb.asOwner((tx) =>
      tx.query<{ rolsuper: boolean; scram: boolean; member: boolean }>(
        `SELECT rolsuper, rolpassword LIKE 'SCRAM-SHA-256$%' AS scram,
                pg_has_role(rolname, 'clubland_app', 'MEMBER') AS member
         FROM pg_authid WHERE rolname = $1`,
        [login],
      ),
    );
    expect(rows).toEqual([{ rolsuper: false, scram: true, member: true }]);
    // No owner's URL: the schemas are up to date, so the login that may create nothing starts.
    const member = await startClubland(
      {
        ...base(),
        NODE_ENV: 'production',
        DATABASE_URL: loginUrl,
        DATABASE_OWNER_URL: undefined,
        MEMBER_RPC_PORT: String(await freePort()),
      },
      { args: ['start', '--service', 'member'], portVariable: 'MEMBER_HTTP_PORT' },
    );
    expect(await member.stop()).toBe(0);
    expect(member.output()).not.toContain('RESET ROLE');
  }, 300_000);

  it('says which GRANT is missing when the login is no member of clubland_app', async () => {
    const stranger = `clubland_stranger_${randomBytes(4).toString('hex')}`;
    await testDb.asOwner((tx) => tx.query(`CREATE ROLE ${stranger} LOGIN`));
    try {
      const url = new URL(testDb.url!);
      url.username = stranger;
      const run = await runClublandToEnd(['start', '--service', 'member'], {
        ...base(),
        DATABASE_URL: url.toString(),
        DATABASE_OWNER_URL: undefined,
        MEMBER_RPC_PORT: String(await freePort()),
        MEMBER_HTTP_PORT: String(await freePort()),
      });
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split('\n')).toEqual([
        expect.stringContaining(
          `may not switch to clubland_app: have the owner run GRANT clubland_app TO ${stranger}`,
        ),
      ]);
    } finally {
      await testDb.asOwner((tx) => tx.query(`DROP ROLE ${stranger}`));
    }
  }, 300_000);

  it('outside production, warns about a superuser login and starts', async () => {
    const member = await startClubland(
      {
        ...base(),
        NODE_ENV: 'development',
        DATABASE_URL: testDb.ownerUrl,
        DATABASE_OWNER_URL: undefined,
        MEMBER_RPC_PORT: String(await freePort()),
      },
      { args: ['start', '--service', 'member'], portVariable: 'MEMBER_HTTP_PORT' },
    );
    expect(await member.stop()).toBe(0);
    expect(member.output()).toMatch(/DATABASE_URL logs in as \w+, which is a superuser/);
  }, 300_000);
});
