import { mkdirSync } from 'node:fs';
import { ClubError } from '@clubland/errors';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import pgUtils from 'pg/lib/utils.js';
import { serialize } from 'pg-protocol';
import type {
  BackendMessage,
  CommandCompleteMessage,
  DataRowMessage,
  RowDescriptionMessage,
} from 'pg-protocol/dist/messages.js';
import { Parser } from 'pg-protocol/dist/parser.js';
import { appSessionSql } from './app-session.ts';
import type { Db, QueryResult, Tx } from './db.ts';
import { SQL_STATE, sqlStateOf } from './sql-state.ts';
import { type StatementName, statementNames } from './statement-names.ts';
import { assertCommitted, openTx, READ_AT_ONCE_CLOSED, runInScope } from './transaction-scope.ts';
import { createTurnGate } from './turn-gate.ts';
import { pgliteParsers, pgTypes } from './type-parsers.ts';

export interface PgliteDbOptions {
  /** Folder for the data files, created if missing; data survives restarts. In memory when omitted. */
  dataDir?: string;
  /** A `dumpDataDir()` snapshot to start from instead of an empty cluster (tests use it: it is ~5× faster). */
  initialData?: Blob;
  /**
   * How often to VACUUM (ANALYZE) the embedded database, in ms; 0 turns it off. PGlite runs
   * PostgreSQL without its background workers, so nothing else reclaims dead rows (every update
   * leaves one) or gathers the statistics the planner needs. Default: every 30 minutes.
   */
  vacuumIntervalMs?: number;
  /**
   * How long, in ms, queued transactions may run back to back before the event loop gets a turn
   * (to poll, accept connections, read requests). Default 1; 0 lets one transaction in per turn.
   */
  turnBudgetMs?: number;
}

/** The embedded adapter also offers what autovacuum would do on a server. */
export interface PgliteDb extends Db {
  /** VACUUM (ANALYZE) now: reclaims dead rows and refreshes planner statistics. Holds the database meanwhile. */
  vacuum(): Promise<void>;
}

const DEFAULT_VACUUM_INTERVAL_MS = 30 * 60_000;
const DEFAULT_TURN_BUDGET_MS = 1;

/**
 * PostgreSQL's buffer cache inside the engine's WebAssembly memory. PGlite starts with the server
 * default, 128 MB, and the engine touches all of it at start: it stayed resident, ~125 MB of the
 * embedded process's ~460 MB idle (bench/memory.ts). 16 MB holds the tables of a network of clubs
 * many times over; a page not in it is read from the data directory's files (the OS caches them).
 */
export const PGLITE_SHARED_BUFFERS = '16MB';

/** PGlite's own start parameters, and the settings above. */
const startParams = [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`];

/**
 * The embedded adapter: a real PostgreSQL in this process. PGlite is a single connection, so a
 * transaction holds it exclusively from BEGIN to COMMIT: transactions are serialized and nothing
 * else (a ping, another transaction) can slip a statement into one that is open.
 *
 * Statements go to PGlite as wire-protocol messages, the way node-postgres sends them: a
 * parameterised statement is Parse, Bind, Describe, Execute and Sync in one message, parameters
 * as text encoded by node-postgres's own rules, rows decoded by the PostgreSQL adapter's parsers.
 * So both adapters return the same values, and a statement costs one call into PGlite instead of
 * the six its `query()` makes (about 50 µs instead of 130 µs here). BEGIN and the session settings
 * ride with a transaction's first statement.
 */
export function createPgliteDb(options: PgliteDbOptions = {}): PgliteDb {
  const { dataDir, initialData } = options;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pglite = new PGlite({
    dataDir,
    loadDataDir: initialData,
    parsers: pgliteParsers,
    startParams,
    // btree_gist: exclusion constraints that mix equality and ranges (a facility's bookings may not
    // overlap), as on PostgreSQL, where it ships with the server (a trusted extension since 13).
    extensions: { btree_gist },
  });
  // A failed start-up is reported by the first ping or transaction, not as an unhandled rejection.
  pglite.waitReady.catch(() => undefined);
  const where = dataDir ? `at ${dataDir}` : 'in memory';
  // In front of PGlite's own lock (which hands over in the same turn): see turn-gate.ts.
  const gate = createTurnGate(options.turnBudgetMs ?? DEFAULT_TURN_BUDGET_MS);
  /** The connection, alone: through the turn gate, then PGlite's lock. */
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => gate.run(() => pglite.runExclusive(fn));
  let closing: Promise<void> | undefined;

  const db: PgliteDb = {
    kind: 'pglite',
    transaction: async (fn) => run(`BEGIN; ${appSessionSql(null)}`, fn),
    withTenant: async (clubId, fn) => run(`BEGIN; ${appSessionSql(clubId)}`, fn),
    // One connection in process: no round trip to save, but the same rules as on PostgreSQL.
    readAtOnce: async (clubId, fn) => run(`BEGIN READ ONLY; ${appSessionSql(clubId)}`, fn, { atOnce: true }),
    asOwner: async (fn) => run('BEGIN', fn),
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
    async vacuum() {
      await pglite.waitReady;
      // Not in a transaction (VACUUM refuses to run in one), but alone on the connection.
      await exclusive(async () => {
        assertOpen();
        await send(serialize.query('VACUUM (ANALYZE)'));
      });
    },
    close() {
      clearInterval(vacuumTimer);
      closing ??= pglite.close().catch(() => undefined);
      return closing;
    },
  };

  const vacuumIntervalMs = options.vacuumIntervalMs ?? DEFAULT_VACUUM_INTERVAL_MS;
  const vacuumTimer =
    vacuumIntervalMs > 0
      ? setInterval(() => {
          if (closing) return;
          db.vacuum().catch((error: Error) =>
            process.emitWarning(`embedded PGlite ${where}: VACUUM failed: ${error.message}`),
          );
        }, vacuumIntervalMs).unref()
      : undefined;

  async function run<T>(beginSql: string, fn: (tx: Tx) => Promise<T>, { atOnce = false } = {}): Promise<T> {
    await pglite.waitReady;
    return runInScope(db, () =>
      exclusive(async () => {
        assertOpen();
        let begun = false;
        const { tx, end } = openTx(async (sql, params) => {
          const prefix = begun ? undefined : beginSql;
          if (!params || params.length === 0) {
            const message = simpleStatement(sql, prefix);
            // Sent now (the engine runs it before any later message): the prefix, a message of its own
            // and first in line, runs whatever the statement does. Set before the answer comes, so a
            // statement issued meanwhile (several in flight at once) does not begin the transaction again.
            begun = true;
            return lastResult(await send(message, { afterPrefix: prefix !== undefined }));
          }
          const prepared = statements.nameOf(sql);
          // Built (parameters encoded) before anything is sent: a value that cannot be encoded
          // fails here, with nothing begun and nothing prepared.
          let message: Uint8Array;
          try {
            message = extendedStatement(sql, params, prefix, prepared);
          } catch (error) {
            if (prepared?.isNew) statements.forget(sql);
            throw error;
          }
          begun = true;
          try {
            return lastResult(await send(message, { afterPrefix: prefix !== undefined }));
          } catch (error) {
            // The message failed, perhaps after its Parse succeeded, or a prepared statement no
            // longer fits its table (0A000, a column's type changed): drop the name (closing an
            // unknown one is no error) so the next run prepares afresh and nothing leaks.
            if (prepared && (prepared.isNew || sqlStateOf(error) === SQL_STATE.cachedPlanChanged)) {
              statements.forget(sql);
              await send(
                Buffer.concat([serialize.close({ type: 'S', name: prepared.name }), serialize.sync()]),
              ).catch(() => undefined);
            }
            throw error;
          }
        });
        let result: T;
        try {
          if (atOnce) {
            const reading = fn(tx);
            end(READ_AT_ONCE_CLOSED);
            result = await reading;
          } else {
            result = await fn(tx);
          }
        } catch (error) {
          // Closed before ROLLBACK goes: a statement the callback still issues (a branch of a
          // Promise.all that failed elsewhere) would otherwise run after it, outside the
          // transaction, as the connection's own user, which row-level security does not bind.
          end();
          if (begun) await send(serialize.query('ROLLBACK')).catch(() => undefined);
          throw error;
        } finally {
          end();
        }
        if (!begun) return result;
        const [commit] = await send(serialize.query('COMMIT'));
        assertCommitted(commit?.command);
        await pglite.syncToFs();
        return result;
      }),
    );
  }

  /** Inside the connection lock: a transaction queued behind close() must not reach the engine. */
  function assertOpen(): void {
    if (closing || pglite.closed) {
      throw new ClubError('dependency.unavailable', `embedded PGlite ${where} is closed`);
    }
  }

  // Prepared once each: a primary-key read drops from ~60 µs to ~27 µs here.
  const statements = statementNames();

  /**
   * Runs `message` and reads the answer with node-postgres's protocol parser (PGlite's own is ~3×
   * slower). `afterPrefix`: the message starts with the transaction's prefix; its answer is not
   * the statement's and is skipped.
   */
  async function send(
    message: Uint8Array,
    options: { afterPrefix?: boolean } = {},
  ): Promise<StatementResult[]> {
    const chunks: Buffer[] = [];
    await pglite.execProtocolRawStream(message, {
      syncToFs: false,
      // A view of the engine's memory, reused by the next write: copy it.
      onRawData: (bytes) => void chunks.push(Buffer.from(bytes)),
    });
    const backendMessages: BackendMessage[] = [];
    const parser = new Parser();
    for (const chunk of chunks) parser.parse(chunk, (backendMessage) => backendMessages.push(backendMessage));
    const failure = backendMessages.find((backendMessage) => backendMessage.name === 'error');
    if (failure) throw failure;
    const start = options.afterPrefix
      ? backendMessages.findIndex((backendMessage) => backendMessage.name === 'readyForQuery') + 1
      : 0;
    return resultsOf(backendMessages.slice(start));
  }

  return db;
}

/**
 * A simple query: may hold several statements (a migration). `prefix` goes first as a message of
 * its own, so it runs even when `sql` does not parse (one string would fail whole, BEGIN with it).
 */
function simpleStatement(sql: string, prefix: string | undefined): Uint8Array {
  const statement = serialize.query(sql);
  return prefix ? Buffer.concat([serialize.query(prefix), statement]) : statement;
}

/**
 * One statement with parameters, in one message: Parse (unless prepared earlier), Bind, Describe,
 * Execute, Sync. Parameters are text whose types the server infers, as node-postgres sends them.
 * `prefix` (BEGIN and the session settings) goes first as a simple query.
 */
function extendedStatement(
  sql: string,
  params: readonly unknown[],
  prefix: string | undefined,
  prepared: StatementName | undefined,
): Uint8Array {
  const parts: Uint8Array[] = [];
  if (prefix) parts.push(serialize.query(prefix));
  if (!prepared || prepared.isNew) parts.push(serialize.parse({ text: sql, name: prepared?.name }));
  parts.push(
    serialize.bind({
      statement: prepared?.name,
      values: params.map((value) => pgUtils.prepareValue(value)),
    }),
    serialize.describe({ type: 'P' }),
    serialize.execute({}),
    serialize.sync(),
  );
  return Buffer.concat(parts);
}

interface StatementResult {
  command: string;
  rows: Record<string, unknown>[];
  rowCount: number;
}

/** The results in the order the server answered, one per completed statement. */
function resultsOf(backendMessages: readonly BackendMessage[]): StatementResult[] {
  const results: StatementResult[] = [];
  let names: string[] = [];
  let parsers: ((text: string) => unknown)[] = [];
  // Every row starts as a copy of this one, so all rows of a result share one object shape.
  let emptyRow: Record<string, unknown> = {};
  let rows: Record<string, unknown>[] = [];
  for (const message of backendMessages) {
    switch (message.name) {
      case 'rowDescription': {
        const { fields } = message as RowDescriptionMessage;
        names = fields.map((field) => field.name);
        parsers = fields.map((field) => typeParser(field.dataTypeID));
        emptyRow = Object.fromEntries(names.map((name) => [name, null]));
        break;
      }
      case 'dataRow': {
        const { fields } = message as DataRowMessage;
        const row = { ...emptyRow };
        for (let i = 0; i < fields.length; i++) {
          const text = fields[i];
          if (text !== null && text !== undefined) row[names[i]!] = parsers[i]!(text);
        }
        rows.push(row);
        break;
      }
      case 'commandComplete': {
        const { text } = message as CommandCompleteMessage;
        const [command = '', ...rest] = text.split(' ');
        const affected = Number(rest.at(-1));
        results.push({ command, rows, rowCount: Number.isInteger(affected) ? affected : rows.length });
        names = [];
        parsers = [];
        rows = [];
        break;
      }
    }
  }
  return results;
}

/** The statement's answer: the last of a multi-statement text, as node-postgres gives it. */
function lastResult(results: StatementResult[]): QueryResult<unknown> {
  const last = results.at(-1);
  return last ? { rows: last.rows, rowCount: last.rowCount } : { rows: [], rowCount: 0 };
}

function typeParser(oid: number): (text: string) => unknown {
  const getTypeParser = pgTypes.getTypeParser as (oid: number, format: 'text') => (text: string) => unknown;
  return getTypeParser(oid, 'text');
}
