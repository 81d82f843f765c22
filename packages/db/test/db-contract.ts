import { randomUUID } from 'node:crypto';
import { ClubError } from '@clubland/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_ROLE,
  limitSql,
  type Migration,
  migrate,
  SQL_STATE,
  sqlStateOf,
  type Tx,
  tenantTableSql,
} from '../src/index.ts';
import type { TestDb } from '../src/testing.ts';

/** The behaviour every Db adapter must have. Run by db.test.ts against each of `testAdapters()`. */
export function dbContract(adapterName: string, create: () => Promise<TestDb>): void {
  describe(`Db contract on ${adapterName}`, () => {
    let db: TestDb;
    const clubA = randomUUID();
    const clubB = randomUUID();
    const noteA1 = randomUUID();
    const noteA2 = randomUUID();
    const noteB1 = randomUUID();

    beforeAll(async () => {
      db = await create();
      await migrate(db, { schema: 'contract', migrations: contractMigrations });
      await db.asOwner((tx) =>
        tx.query(
          'INSERT INTO contract.notes (id, club_id, body) VALUES ($1, $2, $3), ($4, $2, $5), ($6, $7, $8)',
          [noteA1, clubA, 'a1', noteA2, 'a2', noteB1, clubB, 'b1'],
        ),
      );
    });
    afterAll(() => db?.close());

    it('answers a ping and names its kind', async () => {
      await expect(db.ping()).resolves.toBeUndefined();
      expect(db.kind).toBe(adapterName);
    });

    describe('tenant isolation, enforced by the database', () => {
      const bodiesOf = (rows: { body: string }[]) => rows.map((row) => row.body).sort();

      it('shows a tenant only its own rows, even when asked for another club by id', async () => {
        const [all, asked] = await db.withTenant(clubA, async (tx) => [
          await tx.query<{ body: string }>('SELECT body FROM contract.notes'),
          await tx.query<{ body: string }>('SELECT body FROM contract.notes WHERE club_id = $1', [clubB]),
        ]);
        expect(bodiesOf(all.rows)).toEqual(['a1', 'a2']);
        expect(asked.rows).toEqual([]);
        const ofB = await db.withTenant(clubB, (tx) =>
          tx.query<{ body: string }>('SELECT body FROM contract.notes'),
        );
        expect(bodiesOf(ofB.rows)).toEqual(['b1']);
      });

      it("updates and deletes nothing of another club's rows", async () => {
        const [updated, deleted] = await db.withTenant(clubA, async (tx) => [
          await tx.query(`UPDATE contract.notes SET body = 'stolen' WHERE id = $1`, [noteB1]),
          await tx.query('DELETE FROM contract.notes WHERE club_id = $1', [clubB]),
        ]);
        expect(updated.rowCount).toBe(0);
        expect(deleted.rowCount).toBe(0);
        const asOwner = await db.asOwner((tx) =>
          tx.query<{ body: string; club_id: string }>(
            'SELECT body, club_id FROM contract.notes WHERE id = $1',
            [noteB1],
          ),
        );
        expect(asOwner.rows).toEqual([{ body: 'b1', club_id: clubB }]);
      });

      it('refuses to insert a row for another club, or to move a row to another club', async () => {
        const insert = db.withTenant(clubA, (tx) =>
          tx.query('INSERT INTO contract.notes (id, club_id, body) VALUES ($1, $2, $3)', [
            randomUUID(),
            clubB,
            'x',
          ]),
        );
        await expect(insert).rejects.toSatisfy(
          (error) => sqlStateOf(error) === SQL_STATE.insufficientPrivilege,
        );
        const move = db.withTenant(clubA, (tx) =>
          tx.query('UPDATE contract.notes SET club_id = $1 WHERE id = $2', [clubB, noteA1]),
        );
        await expect(move).rejects.toSatisfy(
          (error) => sqlStateOf(error) === SQL_STATE.insufficientPrivilege,
        );
        const countOfB = await db.asOwner((tx) =>
          tx.query<{ n: string }>('SELECT count(*) AS n FROM contract.notes WHERE club_id = $1', [clubB]),
        );
        expect(countOfB.rows[0]?.n).toBe('1');
      });

      it('lets a tenant write its own rows', async () => {
        const id = randomUUID();
        const inserted = await db.withTenant(clubA, (tx) =>
          tx.query('INSERT INTO contract.notes (id, club_id, body) VALUES ($1, $2, $3)', [id, clubA, 'a3']),
        );
        expect(inserted.rowCount).toBe(1);
        const deleted = await db.withTenant(clubA, (tx) =>
          tx.query('DELETE FROM contract.notes WHERE id = $1', [id]),
        );
        expect(deleted.rowCount).toBe(1);
      });

      it('shows no tenant rows and accepts no tenant writes outside a tenant', async () => {
        const outside = await db.transaction((tx) => tx.query('SELECT * FROM contract.notes'));
        expect(outside.rows).toEqual([]);
        const insert = db.transaction((tx) =>
          tx.query('INSERT INTO contract.notes (id, club_id, body) VALUES ($1, $2, $3)', [
            randomUUID(),
            clubA,
            'x',
          ]),
        );
        await expect(insert).rejects.toSatisfy(
          (error) => sqlStateOf(error) === SQL_STATE.insufficientPrivilege,
        );
      });

      it('does not carry a tenant over into the next transaction', async () => {
        for (let i = 0; i < 4; i++) {
          await db.withTenant(clubA, (tx) => tx.query('SELECT 1'));
          const outside = await db.transaction((tx) =>
            tx.query<{ tenant: string }>(`SELECT current_setting('app.tenant_id', true) AS tenant`),
          );
          expect(outside.rows[0]?.tenant ?? '').toBe('');
        }
      });

      it('rejects a club id that is not a UUID before running anything', async () => {
        let isCalled = false;
        const attempt = db.withTenant(`${clubA}'; DROP TABLE contract.notes; --`, async () => {
          isCalled = true;
        });
        await expect(attempt).rejects.toSatisfy(
          (error) =>
            error instanceof ClubError &&
            error.code === 'request.invalid_input' &&
            error.details.field === 'clubId',
        );
        expect(isCalled).toBe(false);
        const stillThere = await db.asOwner((tx) => tx.query('SELECT count(*) AS n FROM contract.notes'));
        expect(stillThere.rows).toHaveLength(1);
      });
    });

    describe('roles', () => {
      const whoAmI = (tx: Tx) =>
        tx.query<{ me: string; rolsuper: boolean; rolbypassrls: boolean; tenant: string }>(
          `SELECT current_user AS me, rolsuper, rolbypassrls, current_setting('app.tenant_id', true) AS tenant
           FROM pg_roles WHERE rolname = current_user`,
        );

      it('runs tenant transactions as the app role, which is not a superuser and cannot bypass RLS', async () => {
        const { rows } = await db.withTenant(clubA, whoAmI);
        expect(rows).toEqual([{ me: APP_ROLE, rolsuper: false, rolbypassrls: false, tenant: clubA }]);
      });

      it('runs plain transactions as the app role with no tenant', async () => {
        const { rows } = await db.transaction(whoAmI);
        expect(rows).toEqual([{ me: APP_ROLE, rolsuper: false, rolbypassrls: false, tenant: '' }]);
      });

      it('runs owner transactions as the connecting role', async () => {
        const { rows } = await db.asOwner(whoAmI);
        expect(rows[0]?.me).not.toBe(APP_ROLE);
      });
    });

    describe('transactions', () => {
      const countTagged = (tag: string) =>
        db.asOwner(async (tx) => {
          const { rows } = await tx.query<{ n: string }>(
            'SELECT count(*) AS n FROM contract.entries WHERE tag = $1',
            [tag],
          );
          return Number(rows[0]?.n);
        });
      const insertTagged = (tx: Tx, tag: string) =>
        tx.query('INSERT INTO contract.entries (tag) VALUES ($1)', [tag]);

      it("returns the callback's value and commits its writes", async () => {
        const tag = randomUUID();
        await expect(db.transaction(async (tx) => (await insertTagged(tx, tag)).rowCount)).resolves.toBe(1);
        expect(await countTagged(tag)).toBe(1);
      });

      it('rolls back every kind of transaction when the callback throws, and rethrows', async () => {
        const tag = randomUUID();
        const boom = new Error('boom');
        const fail = async (tx: Tx) => {
          await insertTagged(tx, tag);
          throw boom;
        };
        await expect(db.transaction(fail)).rejects.toBe(boom);
        await expect(db.withTenant(clubA, fail)).rejects.toBe(boom);
        await expect(db.asOwner(fail)).rejects.toBe(boom);
        expect(await countTagged(tag)).toBe(0);
      });

      it('rejects at commit when a statement failed and the callback swallowed the error', async () => {
        const tag = randomUUID();
        const attempt = db.transaction(async (tx) => {
          await insertTagged(tx, tag);
          await tx.query('SELECT 1/0').catch(() => undefined);
          return 'done';
        });
        await expect(attempt).rejects.toThrow(/rolled back instead of committed/);
        expect(await countTagged(tag)).toBe(0);
      });

      it('refuses what a failed callback still issues, rather than run it after the rollback', async () => {
        const tag = randomUUID();
        const boom = new Error('boom');
        const late = db.withTenant(clubA, (tx) =>
          Promise.all([
            Promise.reject(boom),
            (async () => {
              await tx.query('SELECT 1');
              return insertTagged(tx, tag);
            })(),
          ]),
        );
        await expect(late).rejects.toBe(boom);
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(await countTagged(tag)).toBe(0);
      });

      it('refuses a tx used after its callback returned', async () => {
        let leaked: Tx | undefined;
        await db.transaction(async (tx) => {
          leaked = tx;
        });
        await expect(leaked!.query('SELECT 1')).rejects.toThrow(/closed/);
      });

      it('refuses a transaction opened inside another one instead of deadlocking', async () => {
        const outcome = await db.transaction(async () => {
          try {
            await db.asOwner((inner) => inner.query('SELECT 1'));
            return 'nested ran';
          } catch (error) {
            return error instanceof ClubError ? error.code : 'other error';
          }
        });
        expect(outcome).toBe('internal');
      });

      it('keeps concurrent transactions apart: each sees its own writes and commits them', async () => {
        const tags = Array.from({ length: 5 }, () => randomUUID());
        const seen = await Promise.all(
          tags.map((tag) =>
            db.transaction(async (tx) => {
              await insertTagged(tx, tag);
              await new Promise((resolve) => setTimeout(resolve, 5));
              const { rows } = await tx.query<{ n: string }>(
                'SELECT count(*) AS n FROM contract.entries WHERE tag = $1',
                [tag],
              );
              return rows[0]?.n;
            }),
          ),
        );
        expect(seen).toEqual(['1', '1', '1', '1', '1']);
        for (const tag of tags) expect(await countTagged(tag)).toBe(1);
      });

      describe('readAtOnce', () => {
        const bodies = (tx: Tx, where = '') =>
          tx.query<{ body: string }>(`SELECT body FROM contract.notes ${where} ORDER BY body`);

        it("reads the tenant's rows (null: no tenant's) with the reads issued together", async () => {
          const [mine, asked] = await db.readAtOnce(clubA, (tx) =>
            Promise.all([bodies(tx), bodies(tx, `WHERE club_id = '${clubB}'`)]),
          );
          expect(mine.rows.map((row) => row.body)).toEqual(['a1', 'a2']);
          expect(asked.rows).toEqual([]);
          expect((await db.readAtOnce(null, (tx) => bodies(tx))).rows).toEqual([]);
        });

        it('refuses a statement issued after the callback first awaited, and anything that writes', async () => {
          const tag = randomUUID();
          const late = db.readAtOnce(clubA, async (tx) => {
            await bodies(tx);
            return bodies(tx);
          });
          await expect(late).rejects.toThrow(/readAtOnce transaction has ended/);
          await expect(db.readAtOnce(null, (tx) => insertTagged(tx, tag))).rejects.toThrow(/read-only/);
          expect(await countTagged(tag)).toBe(0);
        });

        it('rejects with the failed statement and leaves the connection fit for the next transaction', async () => {
          await expect(
            db.readAtOnce(clubA, (tx) => Promise.all([bodies(tx), tx.query('SELECT 1/0')])),
          ).rejects.toThrow(/division by zero/);
          const again = await db.readAtOnce(clubA, (tx) => bodies(tx));
          expect(again.rows.map((row) => row.body)).toEqual(['a1', 'a2']);
          const tag = randomUUID();
          await db.withTenant(clubA, (tx) => insertTagged(tx, tag));
          expect(await countTagged(tag)).toBe(1);
        });
      });
    });

    describe('query results', () => {
      it('returns the same JavaScript values on every adapter', async () => {
        const { rows } = await db.transaction((tx) =>
          tx.query(
            `SELECT 9007199254740993::int8 AS big, 2.50::numeric AS amount, 7::int4 AS small, 1.5::float8 AS ratio,
                    '2024-02-29'::date AS day, ARRAY['2024-01-01'::date] AS days, ARRAY[1, 2]::int8[] AS bigs,
                    '2024-02-29T10:00:00Z'::timestamptz AS at, '{"a":[1]}'::jsonb AS doc, true AS flag,
                    $1::uuid AS id, NULL::text AS nothing`,
            [clubA],
          ),
        );
        expect(rows[0]).toEqual({
          big: '9007199254740993',
          amount: '2.50',
          small: 7,
          ratio: 1.5,
          day: '2024-02-29',
          days: ['2024-01-01'],
          bigs: ['1', '2'],
          at: new Date('2024-02-29T10:00:00Z'),
          doc: { a: [1] },
          flag: true,
          id: clubA,
          nothing: null,
        });
      });

      it('counts affected rows for writes and returned rows for reads', async () => {
        const [inserted, selected, created] = await db.asOwner(async (tx) => [
          await tx.query(`INSERT INTO contract.entries (tag) VALUES ('rc'), ('rc')`),
          await tx.query(`SELECT * FROM contract.entries WHERE tag = $1`, ['rc']),
          await tx.query('CREATE TEMP TABLE scratch (x int)'),
        ]);
        expect(inserted.rowCount).toBe(2);
        expect(selected.rowCount).toBe(2);
        expect(created.rowCount).toBe(0);
      });

      it('runs a statement again after its first run failed, and keeps no statement per failure', async () => {
        // A text this process has never prepared, so its first run is also its Parse.
        const sql = `SELECT body FROM contract.notes WHERE id = $1 -- ${randomUUID()}`;
        const read = (id: string) => db.asOwner((tx) => tx.query<{ body: string }>(sql, [id]));
        const prepared = async () =>
          (
            await db.asOwner((tx) =>
              tx.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements'),
            )
          ).rows[0]?.n;
        const before = await prepared();
        const failure = await read('not-a-uuid').catch((error: unknown) => error);
        expect(sqlStateOf(failure)).toBe('22P02');
        for (let attempt = 0; attempt < 20; attempt++) await read('still-not-a-uuid').catch(() => undefined);
        expect((await read(noteA1)).rows).toEqual([{ body: 'a1' }]);
        expect((await read(noteB1)).rows).toEqual([{ body: 'b1' }]);
        // One connection (PGlite): the count is exact, the one statement that ran well is kept.
        // A pool spreads statements over its connections.
        if (db.kind === 'pglite') expect(await prepared()).toBe((before ?? 0) + 1);
      });

      it('refuses the rest of a transaction whose statement failed, even its first, and keeps nothing', async () => {
        for (const broken of ['SELEC 1', 'SELECT * FROM contract.no_such_table WHERE id = $1']) {
          const outcome = await db
            .withTenant(clubA, async (tx) => {
              await tx.query(broken, broken.includes('$1') ? [noteA1] : undefined).catch(() => undefined);
              await tx.query('INSERT INTO contract.notes (id, club_id, body) VALUES ($1, $2, $3)', [
                randomUUID(),
                clubA,
                'after a failure',
              ]);
            })
            .catch((error: unknown) => error);
          expect(sqlStateOf(outcome)).toBe('25P02'); // in_failed_sql_transaction
        }
        const { rows } = await db.withTenant(clubA, (tx) =>
          tx.query(`SELECT id FROM contract.notes WHERE body = 'after a failure'`),
        );
        expect(rows).toEqual([]);
      });

      it('sends nothing for a value it cannot encode: the transaction goes on, row-level security too', async () => {
        const sql = `SELECT $1::text AS value -- ${randomUUID()}`;
        const outcome = await db.withTenant(clubA, async (tx) => {
          const failure = await tx.query(sql, [{ big: 1n }]).catch((error: unknown) => error);
          expect(failure).toBeInstanceOf(TypeError);
          const { rows } = await tx.query<{ tenant: string }>(
            `SELECT current_setting('app.tenant_id', true) AS tenant`,
          );
          const ofB = await tx.query('SELECT body FROM contract.notes WHERE id = $1', [noteB1]);
          return { tenant: rows[0]?.tenant, ofB: ofB.rows };
        });
        expect(outcome).toEqual({ tenant: clubA, ofB: [] });
        // The statement whose value failed works afterwards, on every connection of a pool.
        for (let attempt = 0; attempt < 12; attempt++) {
          const { rows } = await db.transaction((tx) => tx.query<{ value: string }>(sql, [`v${attempt}`]));
          expect(rows).toEqual([{ value: `v${attempt}` }]);
        }
      });

      it('runs several statements without parameters and answers with the last', async () => {
        const result = await db.asOwner((tx) => tx.query('SELECT 1 AS first; SELECT 2 AS second'));
        expect(result.rows).toEqual([{ second: 2 }]);
      });
    });

    describe('paging', () => {
      it('keeps the cached plan of a page query whose LIMIT and OFFSET come from limitSql', async () => {
        const marker = randomUUID();
        const plans = await db.asOwner(async (tx) => {
          await tx.query(`CREATE TEMP TABLE roster ON COMMIT DROP AS
            SELECT n, md5(n::text) AS name, (n % 3 = 0) AS active FROM generate_series(1, 5000) AS n`);
          await tx.query('CREATE INDEX ON roster (active, name, n)');
          await tx.query('ANALYZE roster');
          const pages: string[][] = [];
          for (const offset of [0, 20]) {
            const params: unknown[] = [true];
            const limit = limitSql(20, offset, (value) => `$${params.push(value)}`);
            const sql = `SELECT name FROM roster WHERE active = $1 ORDER BY name, n ${limit} -- ${marker}`;
            for (let run = 0; run < 8; run++) {
              const { rows } = await tx.query<{ name: string }>(sql, params);
              if (run === 0) pages.push(rows.map((row) => row.name));
            }
          }
          const all = await tx.query<{ name: string }>(
            'SELECT name FROM roster WHERE active ORDER BY name, n',
          );
          const { rows } = await tx.query<{ statement: string; generic: number; custom: number }>(
            `SELECT statement, generic_plans::int AS generic, custom_plans::int AS custom
             FROM pg_prepared_statements WHERE strpos(statement, $1) > 0 ORDER BY statement`,
            [marker],
          );
          const names = all.rows.map((row) => row.name);
          // LIMIT rounds 20 up to a step (21): the rows are the page and then some, in order.
          expect(pages[0]).toEqual(names.slice(0, 21));
          expect(pages[1]).toEqual(names.slice(20, 41));
          return rows;
        });
        const first = plans.find((plan) => !plan.statement.includes('OFFSET'));
        // The first page (no OFFSET) settles on its generic plan after PostgreSQL's five trial plans.
        expect(first).toMatchObject({ generic: 3, custom: 5 });
      });

      it("reads a big club's page in index order on the cached plan, among many small clubs", async () => {
        const statement = `page_${randomUUID().replaceAll('-', '')}`;
        const big = randomUUID();
        // As the application runs (transaction(): its role and session settings), not as the owner.
        const plan = await db.transaction(async (tx) => {
          // One club of 5,000 and 1,500 of 3: the average club looks tiny to the planner.
          await tx.query(`CREATE TEMP TABLE people ON COMMIT DROP AS
            SELECT CASE WHEN n <= 5000 THEN '${big}'::uuid ELSE md5((n % 1500)::text)::uuid END AS club_id,
                   n, md5(n::text) AS name, now() - n * interval '1 minute' AS joined_at
            FROM generate_series(1, 9500) AS n`);
          await tx.query('CREATE INDEX ON people (club_id, joined_at, n)');
          await tx.query('CREATE INDEX ON people (club_id, name, n)');
          await tx.query('ANALYZE people');
          await tx.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
          await tx.query(`PREPARE ${statement}(uuid) AS
            SELECT * FROM people WHERE club_id = $1 ORDER BY joined_at, n ${limitSql(20, 0, () => '')}`);
          const { rows } = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE ${statement}('${big}')`);
          await tx.query(`DEALLOCATE ${statement}`);
          return rows.map((row) => row['QUERY PLAN']).join('\n');
        });
        // Not "Sort" over all 5,000 of the club's rows: the index already has them in order.
        expect(plan).not.toMatch(/Sort/);
        expect(plan).toMatch(/Index Scan using people_club_id_joined_at_n_idx/);
      });

      it('refuses a LIMIT or OFFSET that is not a whole number', () => {
        const param = () => '$1';
        expect(() => limitSql(0, 0, param)).toThrow(RangeError);
        expect(() => limitSql(1.5, 0, param)).toThrow(RangeError);
        expect(() => limitSql(20, -1, param)).toThrow(RangeError);
        expect(() => limitSql(Number.NaN, 0, param)).toThrow(RangeError);
        expect(limitSql(20, 0, param)).toBe('LIMIT 21');
        expect(limitSql(25, 40, param)).toBe('LIMIT 51 OFFSET $1');
        expect(limitSql(102, 0, param)).toBe('LIMIT 1000');
        expect(limitSql(5000, 0, param)).toBe('LIMIT 5000');
      });
    });

    migrationContract(() => db);
  });
}

const contractMigrations: Migration[] = [
  {
    version: 1,
    name: 'create-notes',
    sql: `CREATE TABLE contract.notes (id uuid PRIMARY KEY, club_id uuid NOT NULL, body text NOT NULL);
          ${tenantTableSql('contract', 'notes')}`,
  },
  {
    version: 2,
    name: 'create-entries',
    sql: 'CREATE TABLE contract.entries (id serial PRIMARY KEY, tag text NOT NULL)',
  },
];

function migrationContract(getDb: () => TestDb): void {
  describe('migrations', () => {
    // Each test migrates its own schema, so tests do not see each other's history.
    const newSchema = () => `m_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const createTable = (schema: string): Migration => ({
      version: 1,
      name: 'create-items',
      sql: `CREATE TABLE ${schema}.items (id serial PRIMARY KEY, label text NOT NULL)`,
    });
    const addItem = (schema: string, version: number, label: string): Migration => ({
      version,
      name: `add-${label}`,
      sql: `INSERT INTO ${schema}.items (label) VALUES ('${label}')`,
    });
    const recorded = (schema: string) =>
      getDb().asOwner(async (tx) => {
        const { rows } = await tx.query<{ version: number; name: string }>(
          `SELECT version, name FROM ${schema}.schema_migrations ORDER BY version`,
        );
        return rows;
      });
    const labels = (schema: string) =>
      getDb().asOwner(async (tx) => {
        const { rows } = await tx.query<{ label: string }>(`SELECT label FROM ${schema}.items ORDER BY id`);
        return rows.map((row) => row.label);
      });

    it('applies pending migrations in version order, once', async () => {
      const schema = newSchema();
      const migrations = [addItem(schema, 3, 'second'), createTable(schema), addItem(schema, 2, 'first')];
      const first = await migrate(getDb(), { schema, migrations });
      expect(first.applied.map((m) => m.version)).toEqual([1, 2, 3]);
      const second = await migrate(getDb(), { schema, migrations });
      expect(second.applied).toEqual([]);
      expect(await labels(schema)).toEqual(['first', 'second']);
      expect(await recorded(schema)).toEqual([
        { version: 1, name: 'create-items' },
        { version: 2, name: 'add-first' },
        { version: 3, name: 'add-second' },
      ]);
    });

    it('applies only the migration added since the last run', async () => {
      const schema = newSchema();
      await migrate(getDb(), { schema, migrations: [createTable(schema)] });
      const later = await migrate(getDb(), {
        schema,
        migrations: [createTable(schema), addItem(schema, 2, 'new')],
      });
      expect(later.applied).toEqual([{ version: 2, name: 'add-new' }]);
      expect(await labels(schema)).toEqual(['new']);
    });

    it('gives the app role use of the tables migrations create, and only a read of the bookkeeping', async () => {
      const schema = newSchema();
      await migrate(getDb(), { schema, migrations: [createTable(schema)] });
      const inserted = await getDb().transaction((tx) =>
        tx.query(`INSERT INTO ${schema}.items (label) VALUES ('by app') RETURNING id`),
      );
      expect(inserted.rowCount).toBe(1);
      // The bookkeeping it may read (to tell whether the owner has migrated), never write.
      const bookkeeping = await getDb().transaction((tx) =>
        tx.query(`SELECT version FROM ${schema}.schema_migrations`),
      );
      expect(bookkeeping.rows).toEqual([{ version: 1 }]);
      for (const write of [
        `DELETE FROM ${schema}.schema_migrations`,
        `UPDATE ${schema}.schema_migrations SET checksum = ''`,
        `INSERT INTO ${schema}.schema_migrations (version, name, checksum) VALUES (2, 'forged', '')`,
      ]) {
        await expect(getDb().transaction((tx) => tx.query(write))).rejects.toSatisfy(
          (error) => sqlStateOf(error) === SQL_STATE.insufficientPrivilege,
        );
      }
    });

    it('refuses to start when an applied migration was edited, and applies nothing', async () => {
      const schema = newSchema();
      await migrate(getDb(), { schema, migrations: [createTable(schema)] });
      const edited = { ...createTable(schema), sql: `${createTable(schema).sql}; SELECT 1` };
      const attempt = migrate(getDb(), { schema, migrations: [edited, addItem(schema, 2, 'never')] });
      await expect(attempt).rejects.toSatisfy(
        (error) =>
          error instanceof ClubError &&
          error.details.reason === 'migration_checksum_mismatch' &&
          error.details.version === 1 &&
          /edited after it was applied/.test(error.message),
      );
      expect(await recorded(schema)).toEqual([{ version: 1, name: 'create-items' }]);
    });

    it('records nothing of a failing migration, and applies it once fixed', async () => {
      const schema = newSchema();
      const broken: Migration = {
        version: 2,
        name: 'add-pair',
        sql: `INSERT INTO ${schema}.items (label) VALUES ('half'); SELECT 1/0`,
      };
      await expect(migrate(getDb(), { schema, migrations: [createTable(schema), broken] })).rejects.toThrow(
        /division by zero/,
      );
      expect(await recorded(schema)).toEqual([{ version: 1, name: 'create-items' }]);
      expect(await labels(schema)).toEqual([]);
      const fixed = { ...broken, sql: `INSERT INTO ${schema}.items (label) VALUES ('whole')` };
      await migrate(getDb(), { schema, migrations: [createTable(schema), fixed] });
      expect(await labels(schema)).toEqual(['whole']);
    });

    it('applies each migration once when two migrations run at the same time', async () => {
      const schema = newSchema();
      const migrations = [createTable(schema), addItem(schema, 2, 'once'), addItem(schema, 3, 'twice?')];
      const results = await Promise.all([
        migrate(getDb(), { schema, migrations }),
        migrate(getDb(), { schema, migrations }),
      ]);
      expect(results.flatMap((result) => result.applied.map((m) => m.version)).sort()).toEqual([1, 2, 3]);
      expect(await labels(schema)).toEqual(['once', 'twice?']);
    });

    it('rejects a list with a repeated version', async () => {
      const schema = newSchema();
      const attempt = migrate(getDb(), {
        schema,
        migrations: [createTable(schema), { ...createTable(schema) }],
      });
      await expect(attempt).rejects.toSatisfy(
        (error) => error instanceof ClubError && error.code === 'request.invalid_input',
      );
    });
  });
}
