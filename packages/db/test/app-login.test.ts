import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_ROLE,
  appLoginRisks,
  createPostgresDb,
  ensureAppLogin,
  migrate,
  SQL_STATE,
  sqlStateOf,
  type Tx,
  tenantTableSql,
} from '../src/index.ts';
import { createTestDb, type TestDb } from '../src/testing.ts';

/**
 * Issue 27, item 10: on PostgreSQL the application logs in as a role of its own, so a statement
 * smuggled into its connection cannot undo the role switch and escape row-level security.
 * (PGlite is one embedded superuser: there the switch is all there is; see the README.)
 */
describe.skipIf(!process.env.DATABASE_URL)('the application login on PostgreSQL', () => {
  let db: TestDb;
  let owner: string;
  const schema = `login_${randomBytes(4).toString('hex')}`;
  const clubA = randomUUID();
  const clubB = randomUUID();

  beforeAll(async () => {
    db = await createTestDb();
    await migrate(db, {
      schema,
      migrations: [
        {
          version: 1,
          name: 'create-notes',
          sql: `CREATE TABLE ${schema}.notes (club_id uuid NOT NULL, body text NOT NULL);
                ${tenantTableSql(schema, 'notes')}`,
        },
      ],
    });
    await db.asOwner((tx) =>
      tx.query(`INSERT INTO ${schema}.notes VALUES ($1, 'a1'), ($2, 'b1')`, [clubA, clubB]),
    );
    const { rows } = await db.asOwner((tx) => tx.query<{ me: string }>('SELECT current_user AS me'));
    owner = rows[0]!.me;
  });
  afterAll(() => db?.close());

  /** Runs `sql` in a tenant transaction after an injected RESET ROLE; resolves to the SQLSTATE it failed with. */
  const refusalOf = (sql: string) =>
    db
      .withTenant(clubA, async (tx) => {
        await tx.query('RESET ROLE');
        await tx.query(sql);
      })
      .then(
        () => 'ran',
        (error: unknown) => sqlStateOf(error),
      );

  it('logs in as a role that is no superuser, owns nothing and cannot become the owner', async () => {
    const check = await appLoginRisks(db, [schema]);
    expect(check).toEqual({ login: expect.any(String), risks: [] });
    expect(check.login).not.toBe(owner);
    // The same question of the owner's connection finds what the login must not be.
    const asOwner = createPostgresDb({ url: db.ownerUrl!, poolSize: 1 });
    try {
      expect((await appLoginRisks(asOwner, [schema])).risks).not.toEqual([]);
    } finally {
      await asOwner.close();
    }
  });

  it('reads only its tenant after an injected RESET ROLE, and nothing outside a tenant', async () => {
    const read = async (tx: Tx) => {
      await tx.query('RESET ROLE');
      const who = await tx.query<{ me: string; rolsuper: boolean }>(
        'SELECT current_user AS me, rolsuper FROM pg_roles WHERE rolname = current_user',
      );
      const notes = await tx.query<{ body: string }>(`SELECT body FROM ${schema}.notes ORDER BY body`);
      return { who: who.rows[0], notes: notes.rows };
    };
    const inClubA = await db.withTenant(clubA, read);
    expect(inClubA.who).toMatchObject({ rolsuper: false });
    expect(inClubA.who?.me).not.toBe(APP_ROLE);
    expect(inClubA.notes).toEqual([{ body: 'a1' }]);
    expect((await db.transaction(read)).notes).toEqual([]);
  });

  it('may not become the owner or a superuser', async () => {
    expect(await refusalOf(`SET ROLE ${owner}`)).toBe(SQL_STATE.insufficientPrivilege);
    expect(await refusalOf('SET ROLE postgres')).toBe(SQL_STATE.insufficientPrivilege);
    expect(await refusalOf(`SET SESSION AUTHORIZATION ${owner}`)).toBe(SQL_STATE.insufficientPrivilege);
  });

  it('may not switch row-level security off, drop the tables, make roles or run programs on the server', async () => {
    for (const sql of [
      `ALTER TABLE ${schema}.notes DISABLE ROW LEVEL SECURITY`,
      `ALTER TABLE ${schema}.notes NO FORCE ROW LEVEL SECURITY`,
      `DROP POLICY tenant_isolation ON ${schema}.notes`,
      `DROP TABLE ${schema}.notes`,
      'CREATE ROLE intruder SUPERUSER',
      `COPY (SELECT 1) TO PROGRAM 'true'`,
      `SELECT pg_read_file('/etc/passwd')`,
    ]) {
      expect([sql, await refusalOf(sql)]).toEqual([sql, SQL_STATE.insufficientPrivilege]);
    }
    const { rows } = await db.asOwner((tx) =>
      tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.notes`),
    );
    expect(rows[0]?.n).toBe(2);
  });

  it('migrates nothing on its own login when the owner has, and is refused a pending migration', async () => {
    const appOnly = createPostgresDb({ url: db.url!, poolSize: 1 });
    try {
      const applied = [
        {
          version: 1,
          name: 'create-notes',
          sql: `CREATE TABLE ${schema}.notes (club_id uuid NOT NULL, body text NOT NULL);
                ${tenantTableSql(schema, 'notes')}`,
        },
      ];
      await expect(migrate(appOnly, { schema, migrations: applied })).resolves.toEqual({ applied: [] });
      const pending = [
        ...applied,
        { version: 2, name: 'add-more', sql: `CREATE TABLE ${schema}.more (x int)` },
      ];
      const refused = await migrate(appOnly, { schema, migrations: pending }).catch(
        (error: unknown) => error,
      );
      expect(sqlStateOf(refused)).toBe(SQL_STATE.insufficientPrivilege);
    } finally {
      await appOnly.close();
    }
  });

  describe('ensureAppLogin', () => {
    const role = `clubland_login_${randomBytes(4).toString('hex')}`;
    const password = `Pa55 word/${randomBytes(6).toString('hex')}?`;
    afterAll(async () => {
      await db.asOwner((tx) => tx.query(`DROP ROLE IF EXISTS ${role}`));
    });

    it('creates a missing login in clubland_app with only a SCRAM verifier of its password, once', async () => {
      const url = new URL(db.url!);
      url.username = role;
      url.password = encodeURIComponent(password);
      // Two processes starting at once: both succeed, one role results.
      await Promise.all([ensureAppLogin(db, url.toString()), ensureAppLogin(db, url.toString())]);
      await ensureAppLogin(db, url.toString());
      const { rows } = await db.asOwner((tx) =>
        tx.query<Record<string, unknown>>(
          `SELECT rolcanlogin, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolpassword,
                  pg_has_role(rolname, $2, 'MEMBER') AS in_app_role
           FROM pg_authid WHERE rolname = $1`,
          [role, APP_ROLE],
        ),
      );
      expect(rows).toEqual([
        {
          rolcanlogin: true,
          rolsuper: false,
          rolbypassrls: false,
          rolcreaterole: false,
          rolcreatedb: false,
          rolpassword: expect.stringMatching(/^SCRAM-SHA-256\$4096:/),
          in_app_role: true,
        },
      ]);
      expect(String(rows[0]?.rolpassword)).not.toContain(password);
    });
  });
});
