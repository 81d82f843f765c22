import { mkdirSync } from 'node:fs';
import { ClubError } from '@clubland/errors';
import { PGlite, type Results, type Transaction } from '@electric-sql/pglite';
import { appSessionSql } from './app-session.ts';
import type { Db, QueryResult, Tx } from './db.ts';
import { openTx, runInScope } from './transaction-scope.ts';
import { pgliteParsers } from './type-parsers.ts';

export interface PgliteDbOptions {
  /** Folder for the data files, created if missing; data survives restarts. In memory when omitted. */
  dataDir?: string;
  /** A `dumpDataDir()` snapshot to start from instead of an empty cluster (tests use it: it is ~5× faster). */
  initialData?: Blob;
}

/**
 * The embedded adapter: a real PostgreSQL in this process. PGlite is a single connection, so
 * every transaction runs under PGlite's own transaction lock: transactions are serialized and
 * nothing else (a ping, another transaction) can slip a statement into one that is open.
 */
export function createPgliteDb(options: PgliteDbOptions = {}): Db {
  const { dataDir, initialData } = options;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pglite = new PGlite({ dataDir, loadDataDir: initialData, parsers: pgliteParsers });
  // A failed start-up is reported by the first ping or transaction, not as an unhandled rejection.
  pglite.waitReady.catch(() => undefined);
  const where = dataDir ? `at ${dataDir}` : 'in memory';
  let closing: Promise<void> | undefined;

  const db: Db = {
    kind: 'pglite',
    transaction: async (fn) => run(appSessionSql(null), fn),
    withTenant: async (clubId, fn) => run(appSessionSql(clubId), fn),
    asOwner: async (fn) => run(undefined, fn),
    async ping() {
      try {
        await pglite.query('SELECT 1');
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new ClubError(
          'dependency.unavailable',
          `embedded PGlite ${where} is not available: ${reason}`,
          {},
          error,
        );
      }
    },
    close() {
      closing ??= pglite.close().catch(() => undefined);
      return closing;
    },
  };

  function run<T>(sessionSql: string | undefined, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return runInScope(db, () =>
      pglite.transaction(async (ptx) => {
        if (sessionSql) await ptx.exec(sessionSql);
        const { tx, end } = openTx((sql, params) => queryPglite(ptx, sql, params));
        try {
          return await fn(tx);
        } finally {
          end();
        }
      }),
    );
  }

  return db;
}

/** Without parameters the text may hold several statements, as with node-postgres; the last one answers. */
async function queryPglite(
  ptx: Transaction,
  sql: string,
  params: readonly unknown[] | undefined,
): Promise<QueryResult<unknown>> {
  if (!params || params.length === 0) {
    const results = await ptx.exec(sql);
    const last = results.at(-1);
    return last ? toQueryResult(last) : { rows: [], rowCount: 0 };
  }
  return toQueryResult(await ptx.query(sql, [...params]));
}

function toQueryResult(result: Results<unknown>): QueryResult<unknown> {
  return { rows: result.rows, rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length };
}
