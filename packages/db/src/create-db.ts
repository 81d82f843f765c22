import type { Db } from './db.ts';
import { createPgliteDb } from './pglite-db.ts';
import { createPostgresDb } from './postgres-db.ts';

export interface CreateDbOptions {
  /** When set, PostgreSQL; when unset, embedded PGlite at `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  poolSize?: number;
  /** Pool errors of idle PostgreSQL connections (see `PostgresDbOptions.onError`). */
  onError?: (error: Error) => void;
}

/**
 * Picks the adapter by configuration only. Nothing connects yet: call `ping()` to find out early;
 * an unreachable database rejects with `dependency.unavailable` naming host, port and database.
 */
export function createDb(options: CreateDbOptions): Db {
  if (options.databaseUrl) {
    return createPostgresDb({
      url: options.databaseUrl,
      poolSize: options.poolSize,
      onError: options.onError,
    });
  }
  return createPgliteDb({ dataDir: options.dataDir });
}
