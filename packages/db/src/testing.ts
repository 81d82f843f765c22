import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { ensureAppLogin } from './app-login.ts';
import { ensureAppRoleSql } from './app-role.ts';
import type { Db } from './db.ts';
import { createPgliteDb } from './pglite-db.ts';
import { createPostgresDb } from './postgres-db.ts';

/** Helpers for tests of this and other packages and services. Not for production code. */

export interface TestDb extends Db {
  /**
   * The fresh database's URL on PostgreSQL as the application logs in (a role that is no superuser
   * and no owner, a member of clubland_app), to open a second pool or start a process on it;
   * undefined on PGlite.
   */
  readonly url: string | undefined;
  /** The same database as its owner (migrations, looking past row-level security); undefined on PGlite. */
  readonly ownerUrl: string | undefined;
}

export interface TestAdapter {
  name: 'pglite' | 'postgres';
  create(): Promise<TestDb>;
}

/**
 * The login role tests use when DATABASE_OWNER_URL is unset: DATABASE_URL is then the owner, and
 * the application logs in as this role, without a password (a server that trusts local
 * connections, as CI's does). Elsewhere set both URLs, as `.ci/run` does.
 */
export const TEST_APP_LOGIN = 'clubland_login';

/**
 * A fresh, isolated database with the app role ready (run your migrations on it):
 * PGlite in memory when DATABASE_URL is unset; otherwise a brand-new database on that server,
 * dropped by `close()`. Always close it (`afterAll(() => db.close())`). On PostgreSQL its
 * transactions run on the application's login and `asOwner()` on the owner's connection, as in
 * production: see `postgresServers`.
 */
export function createTestDb(): Promise<TestDb> {
  const servers = postgresServers();
  return servers ? createPostgresTestDb(servers) : createPgliteTestDb();
}

/** The adapters a contract suite runs against: PGlite always, PostgreSQL when DATABASE_URL is set. */
export function testAdapters(): TestAdapter[] {
  const servers = postgresServers();
  return [
    { name: 'pglite', create: createPgliteTestDb },
    ...(servers ? [{ name: 'postgres' as const, create: () => createPostgresTestDb(servers) }] : []),
  ];
}

interface Servers {
  /** Where the application logs in. */
  app: string;
  /** Where the owner logs in: creates and drops the test databases, runs migrations. */
  owner: string;
}

/** DATABASE_URL and DATABASE_OWNER_URL, or DATABASE_URL as the owner and TEST_APP_LOGIN as the app. */
function postgresServers(): Servers | undefined {
  const app = process.env.DATABASE_URL;
  if (!app) return undefined;
  const owner = process.env.DATABASE_OWNER_URL;
  if (owner) return { app, owner };
  const login = new URL(app);
  login.username = TEST_APP_LOGIN;
  login.password = '';
  return { app: login.toString(), owner: app };
}

// Starting PGlite from scratch (initdb) takes 1.5-3.5 s of CPU; from a snapshot under 1 s. Every
// test file runs in a process of its own, so the snapshot is kept on disk for the next ones, named
// by what makes it (PGlite's version, the app role's SQL): a change of either takes a new one.
let pgliteSnapshot: Promise<Blob> | undefined;

async function takePgliteSnapshot(): Promise<Blob> {
  const pglite = new PGlite();
  try {
    await pglite.exec(ensureAppRoleSql);
    return await pglite.dumpDataDir('none');
  } finally {
    await pglite.close();
  }
}

function snapshotFile(): string {
  // The package's entry point is dist/index.js: its package.json is one folder up.
  const entry = fileURLToPath(import.meta.resolve('@electric-sql/pglite'));
  const { version } = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  const key = createHash('sha256').update(`${version}\0${ensureAppRoleSql}`).digest('hex').slice(0, 16);
  return join(tmpdir(), `clubland-test-pglite-${key}.tar`);
}

async function cachedPgliteSnapshot(): Promise<Blob> {
  const file = snapshotFile();
  try {
    return new Blob([await readFile(file)]);
  } catch {
    const snapshot = await takePgliteSnapshot();
    // Written whole under a name of its own, then renamed: a file running beside this one reads
    // the old snapshot, none, or this one, never half of one.
    const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    try {
      await writeFile(partial, Buffer.from(await snapshot.arrayBuffer()));
      await rename(partial, file);
    } catch {
      await rm(partial, { force: true });
    }
    return snapshot;
  }
}

async function createPgliteTestDb(): Promise<TestDb> {
  pgliteSnapshot ??= cachedPgliteSnapshot();
  const db = createPgliteDb({ initialData: await pgliteSnapshot });
  return Object.assign(db, { url: undefined, ownerUrl: undefined });
}

async function createPostgresTestDb(servers: Servers): Promise<TestDb> {
  const name = `clubland_test_${randomBytes(6).toString('hex')}`;
  await onServer(servers.owner, (admin) => admin.query(`CREATE DATABASE ${name}`));
  const inDatabase = (server: string) => {
    const url = new URL(server);
    url.pathname = `/${name}`;
    return url.toString();
  };
  const url = inDatabase(servers.app);
  const ownerUrl = inDatabase(servers.owner);
  const db = createPostgresDb({ url, ownerUrl, poolSize: 5 });
  try {
    // On the owner's connection; the application's pool connects at its first transaction.
    await ensureAppLogin(db, url);
  } catch (error) {
    await db.close();
    await dropDatabase(servers.owner, name);
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    ...db,
    url,
    ownerUrl,
    close() {
      closing ??= db.close().then(() => dropDatabase(servers.owner, name));
      return closing;
    },
  };
}

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await onServer(serverUrl, async (admin) => {
    // A connection left open (a second pool in a test, a crashed client) would block the DROP.
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  });
}

async function onServer<T>(serverUrl: string, fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}
