import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { ensureAppRole, ensureAppRoleSql } from './app-role.ts';
import type { Db } from './db.ts';
import { createPgliteDb } from './pglite-db.ts';
import { createPostgresDb } from './postgres-db.ts';

/** Helpers for tests of this and other packages and services. Not for production code. */

export interface TestDb extends Db {
  /** The fresh database's URL on PostgreSQL (to open a second pool or process on it); undefined on PGlite. */
  readonly url: string | undefined;
}

export interface TestAdapter {
  name: 'pglite' | 'postgres';
  create(): Promise<TestDb>;
}

/**
 * A fresh, isolated database with the app role ready (run your migrations on it):
 * PGlite in memory when DATABASE_URL is unset; otherwise a brand-new database on that server,
 * dropped by `close()`. Always close it (`afterAll(() => db.close())`).
 */
export function createTestDb(): Promise<TestDb> {
  const url = process.env.DATABASE_URL;
  return url ? createPostgresTestDb(url) : createPgliteTestDb();
}

/** The adapters a contract suite runs against: PGlite always, PostgreSQL when DATABASE_URL is set. */
export function testAdapters(): TestAdapter[] {
  const url = process.env.DATABASE_URL;
  return [
    { name: 'pglite', create: createPgliteTestDb },
    ...(url ? [{ name: 'postgres' as const, create: () => createPostgresTestDb(url) }] : []),
  ];
}

// Starting PGlite from scratch takes 1.5–2.5 s; from a snapshot about 0.3 s. One snapshot per process.
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

async function createPgliteTestDb(): Promise<TestDb> {
  pgliteSnapshot ??= takePgliteSnapshot();
  const db = createPgliteDb({ initialData: await pgliteSnapshot });
  return Object.assign(db, { url: undefined });
}

async function createPostgresTestDb(serverUrl: string): Promise<TestDb> {
  const name = `clubland_test_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = createPostgresDb({ url: url.toString(), poolSize: 5 });
  try {
    await ensureAppRole(db);
  } catch (error) {
    await db.close();
    await dropDatabase(serverUrl, name);
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    ...db,
    url: url.toString(),
    close() {
      closing ??= db.close().then(() => dropDatabase(serverUrl, name));
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
