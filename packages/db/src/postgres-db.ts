import type { Writable } from 'node:stream';
import { ClubError } from '@clubland/errors';
import pg from 'pg';
import pgUtils from 'pg/lib/utils.js';
import { appSessionSql } from './app-session.ts';
import type { Db, QueryResult, Tx } from './db.ts';
import { SQL_STATE, sqlStateOf } from './sql-state.ts';
import { type StatementNames, statementNames } from './statement-names.ts';
import { assertCommitted, openTx, READ_AT_ONCE_CLOSED, runInScope } from './transaction-scope.ts';
import { pgTypes } from './type-parsers.ts';

export interface PostgresDbOptions {
  /**
   * postgres://user:password@host:port/database (validated by the config layer). The application's
   * login: `transaction()` and `withTenant()` run on it, and so does `asOwner()` unless `ownerUrl`
   * is given. It should be a role that is no superuser and cannot become the tables' owner
   * (see `appLoginRisks`).
   */
  url: string;
  /**
   * The owner's connection, for `asOwner()` only (migrations, maintenance, tests that look past
   * row-level security): a pool of two, opened at its first use. Unset: `asOwner()` runs on `url`.
   */
  ownerUrl?: string;
  /** Connections in the pool; 10 when omitted. */
  poolSize?: number;
  /** How long to wait for a connection before failing; 10 s when omitted. */
  connectTimeoutMs?: number;
  /**
   * Errors of connections nobody is using at the moment (server restart, network drop). The pool
   * discards such a connection and opens a new one when needed; without a listener Node would
   * crash. Defaults to a process warning; pass the service's logger.
   */
  onError?: (error: Error) => void;
}

/**
 * The PostgreSQL adapter over a `pg` pool. A transaction is BEGIN and the session settings (one
 * simple-protocol message), the callback's queries, then COMMIT. Connections run in node-postgres's
 * pipeline mode, so the first statement goes out right behind BEGIN instead of waiting for its
 * answer: one round trip fewer per transaction (members list on PostgreSQL: ~2,360 -> ~2,620 req/s).
 *
 * That is safe because BEGIN comes first in its message: should a setting then fail (a user who may
 * not assume the application role), the transaction block is open and aborted, so the statement
 * behind it is refused, never run outside a transaction or as another role (tested).
 */
export function createPostgresDb(options: PostgresDbOptions): Db {
  const target = describeTarget(options.url);
  const onError =
    options.onError ?? ((error) => process.emitWarning(`PostgreSQL ${target}: ${error.message}`));
  const openPool = (url: string, max: number) => {
    const opened = new pg.Pool({
      connectionString: url,
      max,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      types: pgTypes,
      // Queries are written as soon as they are issued, not when the previous answer has arrived.
      pipeline: true,
    } as pg.PoolConfig);
    opened.on('error', onError);
    // A checked-out connection can fail between two queries; that also must not crash the process.
    opened.on('connect', (client) => client.on('error', onError));
    return opened;
  };
  const pool = openPool(options.url, options.poolSize ?? 10);
  const { ownerUrl } = options;
  let ownerPool: pg.Pool | undefined;
  const ownerTarget = ownerUrl ? describeTarget(ownerUrl) : target;
  const names = statementNames();
  let closing: Promise<void> | undefined;

  const db: Db = {
    kind: 'postgres',
    transaction: async (fn) => run(pool, target, `BEGIN; ${appSessionSql(null)}`, fn),
    withTenant: async (clubId, fn) => run(pool, target, `BEGIN; ${appSessionSql(clubId)}`, fn),
    readAtOnce: async (clubId, fn) =>
      run(pool, target, `BEGIN READ ONLY; ${appSessionSql(clubId)}`, fn, { atOnce: true }),
    asOwner: async (fn) => {
      if (closing) throw new ClubError('dependency.unavailable', `PostgreSQL ${target}: the pool is closed`);
      ownerPool ??= ownerUrl ? openPool(ownerUrl, 2) : pool;
      return run(ownerPool, ownerTarget, 'BEGIN', fn);
    },
    async ping() {
      const client = await connect(pool, target);
      try {
        await client.query('SELECT 1');
      } catch (error) {
        throw unreachable(target, error);
      } finally {
        client.release();
      }
    },
    close() {
      closing ??= Promise.all([
        pool.end(),
        ownerPool && ownerPool !== pool ? ownerPool.end() : undefined,
      ]).then(() => undefined);
      return closing;
    },
  };

  async function connect(from: pg.Pool, where: string): Promise<pg.PoolClient> {
    try {
      return await from.connect();
    } catch (error) {
      throw unreachable(where, error);
    }
  }

  async function run<T>(
    from: pg.Pool,
    where: string,
    beginSql: string,
    fn: (tx: Tx) => Promise<T>,
    { atOnce = false } = {},
  ): Promise<T> {
    return runInScope(db, async () => {
      const client = await connect(from, where);
      const hold = holdWritesTogether(client);
      let isInTransaction = false;
      let brokenBy: Error | undefined;
      try {
        isInTransaction = true;
        hold();
        const begin = client.query(beginSql);
        // Its failure is reported by whoever awaits it next; this only keeps it from being unhandled.
        begin.catch(() => undefined);
        let isBegun = false;
        const { tx, end } = openTx(async (sql, params) => {
          try {
            hold();
            if (isBegun) return await queryClient(client, names, sql, params);
            // The first statement, sent behind BEGIN before its answer: BEGIN's error comes first.
            isBegun = true;
            const first = queryClient(client, names, sql, params);
            first.catch(() => undefined);
            await begin;
            return await first;
          } catch (error) {
            // A prepared statement that no longer fits its table (a column's type changed under
            // a running instance): this connection's copy is stale; retire the connection.
            if (sqlStateOf(error) === SQL_STATE.cachedPlanChanged) brokenBy = error as Error;
            throw error;
          }
        });
        if (atOnce) {
          // COMMIT queued right behind the statements fn issued before it first awaited: one write
          // out, one answer back. Nothing is left to roll back once it is sent: a failed statement
          // turns it into ROLLBACK. All three are awaited, so none is left unanswered.
          let reading: Promise<T>;
          try {
            reading = fn(tx);
          } finally {
            end(READ_AT_ONCE_CLOSED);
          }
          hold();
          const commit = client.query('COMMIT');
          isInTransaction = false;
          const [begun, read, committed] = await Promise.allSettled([begin, reading, commit]);
          if (begun.status === 'rejected') throw begun.reason;
          if (read.status === 'rejected') throw read.reason;
          if (committed.status === 'rejected') throw committed.reason;
          assertCommitted(committed.value.command);
          return read.value;
        }
        let result: T;
        try {
          result = await fn(tx);
        } finally {
          end();
        }
        if (!isBegun) await begin;
        isInTransaction = false;
        const commit = await client.query('COMMIT');
        assertCommitted(commit.command);
        return result;
      } catch (error) {
        if (isInTransaction) {
          await client.query('ROLLBACK').catch((rollbackError: Error) => {
            brokenBy = rollbackError;
          });
        }
        throw error;
      } finally {
        // A connection whose ROLLBACK failed is in an unknown state: destroy it, do not reuse it.
        client.release(brokenBy);
      }
    });
  }

  return db;
}

/**
 * Statements issued together (BEGIN and the first statement; a callback's `Promise.all`) leave the
 * connection in one write: the socket is corked at the first and uncorked once the code issuing
 * them yields (a microtask, so no statement waits for the event loop). Each write is a system call,
 * and on loopback the kernel's delivery to PostgreSQL is paid in it: one per statement was a third
 * of a busy server's time at the front desk (bench:front-desk). node-postgres corks each
 * statement's own messages the same way; corks nest, so they leave with the rest.
 */
function holdWritesTogether(client: pg.PoolClient): () => void {
  // node-postgres keeps its socket on the client's connection (not in its typings); should a
  // version keep it elsewhere, statements go out as they are issued, one write each.
  const stream = (client as unknown as { connection?: { stream?: Partial<Writable> } }).connection?.stream;
  if (typeof stream?.cork !== 'function' || typeof stream.uncork !== 'function') return () => {};
  let isHeld = false;
  const release = () => {
    isHeld = false;
    stream.uncork?.();
  };
  return () => {
    if (isHeld) return;
    isHeld = true;
    stream.cork?.();
    queueMicrotask(release);
  };
}

/** The server's own error (`28000`: no such role) stays the cause, for `sqlStateOf(error.cause)`. */
function unreachable(target: string, cause: unknown): ClubError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new ClubError(
    'dependency.unavailable',
    `cannot reach PostgreSQL at ${target}: ${reason}`,
    {},
    cause,
  );
}

/**
 * Without parameters node-postgres uses the simple protocol, which allows several statements.
 * With parameters the statement is named, so each connection parses and plans it once and then
 * only binds and executes it (node-postgres keeps track of what each connection has prepared).
 */
async function queryClient(
  client: pg.PoolClient,
  names: StatementNames,
  sql: string,
  params: readonly unknown[] | undefined,
): Promise<QueryResult<unknown>> {
  // Encoded here, before node-postgres sends anything: a value it cannot encode would otherwise
  // fail after its Parse went out, and node-postgres would then believe the connection holds a
  // statement it closed (every later use of that text on the connection failing with 26000).
  const values = params?.map((value) => pgUtils.prepareValue(value));
  const name = values && values.length > 0 ? names.nameOf(sql)?.name : undefined;
  const result: unknown = await client.query(name ? { name, text: sql, values } : { text: sql, values });
  const last = (Array.isArray(result) ? result.at(-1) : result) as pg.QueryResult | undefined;
  if (!last) return { rows: [], rowCount: 0 };
  return { rows: last.rows, rowCount: last.rowCount ?? last.rows.length };
}

/** host:port/database, never the password. */
function describeTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}
