import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, connect, createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClubError } from '@clubland/errors';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createDb,
  createPgliteClusterApart,
  createPgliteDb,
  createPostgresDb,
  type Db,
  type Migration,
  migrate,
  type Tx,
  tenantTableSql,
} from '../src/index.ts';
import { createTestDb, type TestDb, testAdapters } from '../src/testing.ts';
import { dbContract } from './db-contract.ts';

for (const adapter of testAdapters()) dbContract(adapter.name, adapter.create);

describe('PGlite adapter', () => {
  const dirs: string[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clubland-db-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('keeps its data across close and reopen with the same dataDir, creating missing folders', async () => {
    const dataDir = join(await tempDir(), 'nested', 'pgdata');
    const first = createPgliteDb({ dataDir });
    await migrate(first, {
      schema: 'keep',
      migrations: [{ version: 1, name: 'create-things', sql: 'CREATE TABLE keep.things (name text)' }],
    });
    await first.asOwner((tx) => tx.query(`INSERT INTO keep.things VALUES ('kept')`));
    await first.close();

    const reopened = createPgliteDb({ dataDir });
    try {
      const { rows } = await reopened.asOwner((tx) => tx.query('SELECT name FROM keep.things'));
      expect(rows).toEqual([{ name: 'kept' }]);
      const again = await migrate(reopened, {
        schema: 'keep',
        migrations: [{ version: 1, name: 'create-things', sql: 'CREATE TABLE keep.things (name text)' }],
      });
      expect(again.applied).toEqual([]);
    } finally {
      await reopened.close();
    }
  });

  it('refuses a transaction still queued when close() is called, as unavailable', async () => {
    const db = createPgliteDb({ vacuumIntervalMs: 0 });
    await db.asOwner((tx) => tx.query('SELECT 1'));
    let started: () => void = () => undefined;
    const hasStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const holding = db.asOwner(async (tx) => {
      await tx.query('SELECT 1');
      started();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await tx.query('SELECT 2');
      return 'finished';
    });
    await hasStarted;
    const queued = db.asOwner((tx) => tx.query('SELECT 1')).catch((error: unknown) => error);
    const closed = db.close();
    // The one holding the connection finishes; the one waiting behind it never reaches the engine.
    expect(await holding).toBe('finished');
    expect(await queued).toMatchObject({ code: 'dependency.unavailable' });
    await closed;
    await expect(db.asOwner((tx) => tx.query('SELECT 1'))).rejects.toMatchObject({
      code: 'dependency.unavailable',
    });
  });

  it('creates a cluster in a child process once, which then opens here with nothing to create', async () => {
    const dataDir = join(await tempDir(), 'fresh');
    expect(await createPgliteClusterApart(dataDir)).toBe(true);
    expect(await createPgliteClusterApart(dataDir)).toBe(false);
    const db = createPgliteDb({ dataDir, vacuumIntervalMs: 0 });
    try {
      const { rows } = await db.asOwner((tx) => tx.query<{ n: number }>('SELECT 40 + 2 AS n'));
      expect(rows).toEqual([{ n: 42 }]);
    } finally {
      await db.close();
    }
  });

  it("says why a cluster could not be created in the child, with the child's error", async () => {
    const file = join(await tempDir(), 'a-file');
    await writeFile(file, 'not a directory');
    await expect(createPgliteClusterApart(join(file, 'data'))).rejects.toThrow(
      /creating the embedded database at .*a-file\/data failed: .+/,
    );
  });

  it('reports a database that cannot open as unavailable, from ping and from every transaction', async () => {
    const db = createPgliteDb({ initialData: new Blob(['not a data directory dump']), vacuumIntervalMs: 0 });
    try {
      await expect(db.ping()).rejects.toMatchObject({ code: 'dependency.unavailable' });
      await expect(db.transaction((tx) => tx.query('SELECT 1'))).rejects.toThrow();
    } finally {
      await db.close();
    }
  });

  it('keeps a small buffer cache (16 MB, not the 128 MB default it would hold resident), on disk and in memory', async () => {
    for (const dataDir of [await tempDir(), undefined]) {
      const db = createPgliteDb({ dataDir, vacuumIntervalMs: 0 });
      try {
        const { rows } = await db.asOwner((tx) => tx.query('SHOW shared_buffers'));
        expect(rows).toEqual([{ shared_buffers: '16MB' }]);
      } finally {
        await db.close();
      }
    }
  });

  it('vacuums as autovacuum would: dead rows reclaimed, planner statistics gathered, on a timer', async () => {
    const reltuplesOf = async (db: Db) => {
      const { rows } = await db.asOwner((tx) =>
        tx.query<{ reltuples: number }>(`SELECT reltuples FROM pg_class WHERE relname = 'vacuumed'`),
      );
      return Number(rows[0]?.reltuples);
    };
    const fill = (db: Db) =>
      db.asOwner(async (tx) => {
        await tx.query('CREATE TABLE vacuumed (n int PRIMARY KEY)');
        await tx.query('INSERT INTO vacuumed SELECT generate_series(1, 1000)');
        await tx.query('DELETE FROM vacuumed WHERE n > 250');
      });

    const byHand = createPgliteDb({ vacuumIntervalMs: 0 });
    try {
      await fill(byHand);
      // Never analysed: the planner knows nothing of the table.
      expect(await reltuplesOf(byHand)).toBe(-1);
      await byHand.vacuum();
      expect(await reltuplesOf(byHand)).toBe(250);
    } finally {
      await byHand.close();
    }

    const timed = createPgliteDb({ vacuumIntervalMs: 100 });
    try {
      await fill(timed);
      const deadline = Date.now() + 5000;
      while ((await reltuplesOf(timed)) !== 250 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await reltuplesOf(timed)).toBe(250);
    } finally {
      await timed.close();
    }
  });

  describe('on its single connection', () => {
    let db: Db;
    beforeAll(async () => {
      db = createPgliteDb();
      await db.asOwner((tx) => tx.query('CREATE TABLE counter (n int PRIMARY KEY)'));
    });
    afterAll(() => db.close());

    it('runs concurrent transactions one after another, never interleaved', async () => {
      // Read-then-write with a pause in between: interleaving would make two of them read the same n.
      const next = () =>
        db.asOwner(async (tx) => {
          const { rows } = await tx.query<{ n: number }>('SELECT coalesce(max(n), 0) AS n FROM counter');
          await new Promise((resolve) => setTimeout(resolve, 5));
          const n = (rows[0]?.n ?? 0) + 1;
          await tx.query('INSERT INTO counter VALUES ($1)', [n]);
          return n;
        });
      const results = await Promise.all(Array.from({ length: 6 }, next));
      expect([...results].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    });

    it('makes a ping wait for an open transaction rather than run inside it', async () => {
      const order: string[] = [];
      const tx = db.asOwner(async (t) => {
        await t.query('SELECT 1');
        await new Promise((resolve) => setTimeout(resolve, 30));
        order.push('transaction');
      });
      await new Promise((resolve) => setTimeout(resolve, 5));
      await db.ping().then(() => order.push('ping'));
      await tx;
      expect(order).toEqual(['transaction', 'ping']);
    });

    it('leaves the event loop turns to accept connections while transactions queue', async () => {
      // libuv accepts one connection per poll: had the queue run as one stretch, the connection
      // below would be accepted only after all 40 (bench/README.md, "Where embedded requests queue").
      const server = createServer();
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const { port } = server.address() as AddressInfo;
      try {
        let done = 0;
        const queued = Array.from({ length: 40 }, () =>
          db.asOwner(async (tx) => {
            await tx.query('SELECT sum(n) FROM generate_series(1, 20000) AS n');
            done++;
          }),
        );
        const accepted = new Promise<number>((resolve) =>
          server.once('connection', (socket) => {
            resolve(done);
            socket.destroy();
          }),
        );
        const client = connect(port, '127.0.0.1');
        client.on('error', () => undefined);
        const doneWhenAccepted = await accepted;
        client.destroy();
        await Promise.all(queued);
        expect(done).toBe(40);
        expect(doneWhenAccepted).toBeLessThan(10);
      } finally {
        server.close();
      }
    });
  });
});

describe('createDb', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'clubland-db-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('uses embedded PGlite at dataDir when no URL is given', async () => {
    const db = createDb({ dataDir });
    try {
      expect(db.kind).toBe('pglite');
      await db.ping();
    } finally {
      await db.close();
    }
  });

  it('fails a ping with a clear error, without the password, when PostgreSQL cannot be reached', async () => {
    const db = createDb({ databaseUrl: 'postgres://someone:s3cret@127.0.0.1:1/clubland', dataDir });
    try {
      expect(db.kind).toBe('postgres');
      const ping = db.ping();
      await expect(ping).rejects.toSatisfy(
        (error) =>
          error instanceof ClubError &&
          error.code === 'dependency.unavailable' &&
          error.message.includes('127.0.0.1:1/clubland') &&
          !error.message.includes('s3cret'),
      );
      await expect(db.transaction(async () => 'never')).rejects.toSatisfy(
        (error) => error instanceof ClubError && error.code === 'dependency.unavailable',
      );
    } finally {
      await db.close();
    }
  });
});

describe.skipIf(!process.env.DATABASE_URL)('PostgreSQL adapter', () => {
  let testDb: TestDb;
  const opened: Db[] = [];
  const open = (options: Partial<Parameters<typeof createPostgresDb>[0]> = {}) => {
    const db = createPostgresDb({ url: testDb.url!, poolSize: 3, ...options });
    opened.push(db);
    return db;
  };
  beforeAll(async () => {
    testDb = await createTestDb();
  });
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.close();
  });
  afterAll(() => testDb?.close());

  it('applies each migration once when two processes (two pools) migrate at the same time', async () => {
    const schema = `race_${randomUUID().replaceAll('-', '').slice(0, 8)}`;
    const migrations: Migration[] = [
      { version: 1, name: 'create-log', sql: `CREATE TABLE ${schema}.log (entry text)` },
      {
        version: 2,
        name: 'write-log',
        sql: `INSERT INTO ${schema}.log VALUES ('applied'); SELECT pg_sleep(0.05)`,
      },
    ];
    // As the owner migrates: the application's login creates nothing.
    const [first, second] = await Promise.all([
      migrate(open({ url: testDb.ownerUrl! }), { schema, migrations }),
      migrate(open({ url: testDb.ownerUrl! }), { schema, migrations }),
    ]);
    expect([...first.applied, ...second.applied].map((m) => m.version).sort()).toEqual([1, 2]);
    const { rows } = await testDb.asOwner((tx) => tx.query(`SELECT entry FROM ${schema}.log`));
    expect(rows).toEqual([{ entry: 'applied' }]);
  });

  it('sends the statements a transaction issues together in one write, with BEGIN before the first', async () => {
    const db = open({ poolSize: 1 });
    await db.transaction((tx) => tx.query('SELECT 1'));
    const { result: answers, writes } = await socketWritesWhile(() =>
      db.transaction((tx) => Promise.all([1, 2, 3, 4].map((n) => numberBack(tx, n)))),
    );
    expect(answers).toEqual([1, 2, 3, 4]);
    // BEGIN and the four statements in one write (their messages as its buffers), then COMMIT.
    expect(writes).toHaveLength(2);
    expect(writes[0]).toBeGreaterThan(4);
  });

  it('sends a readAtOnce transaction whole in one write: BEGIN, its reads, COMMIT', async () => {
    const db = open({ poolSize: 1 });
    await db.transaction((tx) => tx.query('SELECT 1'));
    const { result: answers, writes } = await socketWritesWhile(() =>
      db.readAtOnce(null, (tx) => Promise.all([1, 2].map((n) => numberBack(tx, n)))),
    );
    expect(answers).toEqual([1, 2]);
    expect(writes).toHaveLength(1);
    // BEGIN, each statement's messages, COMMIT: the two statements' Parse/Bind/Execute/Sync at least.
    expect(writes[0]).toBeGreaterThan(8);
  });

  it('survives the server dropping an idle pooled connection', async () => {
    const errors: Error[] = [];
    const db = open({ onError: (error) => errors.push(error) });
    const pid = await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      return rows[0]!.pid;
    });
    await testDb.asOwner((tx) => tx.query('SELECT pg_terminate_backend($1)', [pid]));
    await expect.poll(() => errors.length).toBeGreaterThan(0);
    await expect(db.ping()).resolves.toBeUndefined();
  });

  it('runs no statement of a transaction whose session settings fail, though it is sent behind them', async () => {
    // A login that may not assume the app role: BEGIN's session settings fail on every transaction.
    const outsider = `clubland_outsider_${randomUUID().replaceAll('-', '').slice(0, 8)}`;
    await testDb.asOwner((tx) =>
      tx.query(`CREATE ROLE ${outsider} LOGIN NOSUPERUSER;
                CREATE TABLE public.${outsider}_log (entry text);
                GRANT INSERT, SELECT ON public.${outsider}_log TO ${outsider}`),
    );
    try {
      const url = new URL(testDb.url!);
      url.username = outsider;
      // One connection, reused: every transaction's statement is written before BEGIN's answer.
      const db = open({ url: url.toString(), poolSize: 1 });
      for (let attempt = 0; attempt < 3; attempt++) {
        await expect(
          db.transaction((tx) =>
            tx.query(`INSERT INTO public.${outsider}_log VALUES ($1)`, [`try ${attempt}`]),
          ),
        ).rejects.toThrow(/permission denied to set role/);
      }
      const { rows } = await testDb.asOwner((tx) => tx.query(`SELECT entry FROM public.${outsider}_log`));
      expect(rows).toEqual([]);
    } finally {
      for (const db of opened.splice(0)) await db.close();
      await testDb.asOwner((tx) => tx.query(`DROP TABLE public.${outsider}_log; DROP ROLE ${outsider}`));
    }
  });

  describe('when connecting as a role that is not a superuser', () => {
    const owner = `clubland_owner_${randomUUID().replaceAll('-', '').slice(0, 8)}`;
    beforeAll(async () => {
      const database = new URL(testDb.url!).pathname.slice(1);
      await testDb.asOwner((tx) =>
        tx.query(
          `CREATE ROLE ${owner} LOGIN CREATEROLE NOSUPERUSER; GRANT CREATE ON DATABASE ${database} TO ${owner}`,
        ),
      );
    });
    afterAll(async () => {
      for (const db of opened.splice(0)) await db.close();
      // The role owns objects in the test database: drop them before the role itself.
      await testDb.asOwner((tx) => tx.query(`DROP OWNED BY ${owner}; DROP ROLE ${owner}`));
    });

    it('joins the app role on migrate, and row-level security holds, for the owner too (FORCE)', async () => {
      const url = new URL(testDb.url!);
      url.username = owner;
      const db = open({ url: url.toString() });
      const clubA = randomUUID();
      const clubB = randomUUID();
      await migrate(db, {
        schema: owner,
        migrations: [
          {
            version: 1,
            name: 'create-notes',
            sql: `CREATE TABLE ${owner}.notes (club_id uuid NOT NULL, body text NOT NULL);
                  ${tenantTableSql(owner, 'notes')}`,
          },
        ],
      });
      await db.withTenant(clubA, (tx) => tx.query(`INSERT INTO ${owner}.notes VALUES ($1, 'a')`, [clubA]));
      await db.withTenant(clubB, (tx) => tx.query(`INSERT INTO ${owner}.notes VALUES ($1, 'b')`, [clubB]));
      const seenByA = await db.withTenant(clubA, (tx) => tx.query(`SELECT body FROM ${owner}.notes`));
      expect(seenByA.rows).toEqual([{ body: 'a' }]);
      const seenByOwner = await db.asOwner((tx) => tx.query(`SELECT body FROM ${owner}.notes`));
      expect(seenByOwner.rows).toEqual([]);
    });
  });
});

describe('createTestDb', () => {
  it('gives each caller its own database, with the app role ready', async () => {
    const [first, second] = await Promise.all([createTestDb(), createTestDb()]);
    try {
      await first.asOwner((tx) => tx.query('CREATE TABLE only_here (x int)'));
      const elsewhere = await second.asOwner((tx) => tx.query(`SELECT to_regclass('only_here') AS found`));
      expect(elsewhere.rows).toEqual([{ found: null }]);
      const role = await second.transaction((tx) => tx.query('SELECT current_user AS me'));
      expect(role.rows).toEqual([{ me: 'clubland_app' }]);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});

/**
 * Every socket write of this process while `run` runs, by the buffers each carried (a test's
 * transaction on a pool of one is then the only writer).
 */
async function socketWritesWhile<T>(run: () => Promise<T>): Promise<{ result: T; writes: number[] }> {
  const writes: number[] = [];
  const prototype = Socket.prototype as unknown as { _writeGeneric: (...args: unknown[]) => unknown };
  const original = prototype._writeGeneric;
  prototype._writeGeneric = function (this: Socket, ...args: unknown[]) {
    writes.push(Array.isArray(args[1]) ? args[1].length : 1);
    return original.apply(this, args);
  };
  try {
    return { result: await run(), writes };
  } finally {
    prototype._writeGeneric = original;
  }
}

async function numberBack(tx: Tx, n: number): Promise<number> {
  return (await tx.query<{ n: number }>('SELECT $1::int AS n', [n])).rows[0]!.n;
}
