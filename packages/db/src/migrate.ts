import { createHash } from 'node:crypto';
import { ClubError, invalidInput } from '@clubland/errors';
import { ensureAppRole } from './app-role.ts';
import { APP_ROLE, type Db, type Tx } from './db.ts';
import { quoteIdentifier } from './sql-identifier.ts';
import { SQL_STATE, sqlStateOf } from './sql-state.ts';

export interface Migration {
  /** Positive, unique within the schema; applied in ascending order. */
  version: number;
  /** Kebab-case description, e.g. `create-clubs`. */
  name: string;
  /** One or more statements; runs as the owner in one transaction with its bookkeeping row. */
  sql: string;
}

export interface MigrateOptions {
  /** The service's schema, e.g. `member`. Created if missing. */
  schema: string;
  migrations: readonly Migration[];
}

export interface MigrateResult {
  /** The migrations this call applied, in order; empty when the schema was up to date. */
  applied: { version: number; name: string }[];
}

/**
 * Brings `schema` up to date. Safe to run from several processes at once: every step takes a
 * transaction-level advisory lock keyed on the schema, so one process applies a migration and the
 * others, once the lock is theirs, find it recorded and skip it. Refuses to start when a migration
 * recorded as applied has since been edited (its checksum differs).
 */
export async function migrate(db: Db, options: MigrateOptions): Promise<MigrateResult> {
  const schema = quoteIdentifier(options.schema, 'schema');
  const migrations = checkedInOrder(options.migrations);
  const before = await readRecordedIfReadable(db, schema);
  if (before) {
    for (const migration of migrations)
      assertUnchanged(options.schema, migration, before.get(migration.version));
    // Up to date: nothing to create or grant, so a login that may not (the application's own,
    // when no owner's URL is configured) starts as long as the owner has migrated.
    if (migrations.every((migration) => before.has(migration.version))) return { applied: [] };
  }
  await ensureAppRole(db);

  const recorded = await db.asOwner(async (tx) => {
    await lockSchema(tx, options.schema);
    await tx.query(prepareSchemaSql(schema));
    return readRecorded(tx, schema);
  });
  for (const migration of migrations)
    assertUnchanged(options.schema, migration, recorded.get(migration.version));

  const applied: MigrateResult['applied'] = [];
  for (const migration of migrations) {
    if (recorded.has(migration.version)) continue;
    const isApplied = await db.asOwner(async (tx) => {
      await lockSchema(tx, options.schema);
      const { rows } = await tx.query<{ checksum: string }>(
        `SELECT checksum FROM ${schema}.schema_migrations WHERE version = $1`,
        [migration.version],
      );
      if (rows[0]) {
        // Another process applied it while we waited for the lock.
        assertUnchanged(options.schema, migration, rows[0].checksum);
        return false;
      }
      await tx.query(migration.sql);
      await tx.query(
        `INSERT INTO ${schema}.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)`,
        [migration.version, migration.name, checksumOf(migration.sql)],
      );
      return true;
    });
    if (isApplied) applied.push({ version: migration.version, name: migration.name });
  }
  return { applied };
}

/**
 * What schema_migrations records, read without creating anything; undefined when the table is not
 * there or this connection may not read it (then the full path below finds out, under the lock).
 */
async function readRecordedIfReadable(db: Db, schema: string): Promise<Map<number, string> | undefined> {
  try {
    return await db.asOwner(async (tx) => {
      const { rows } = await tx.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [
        `${schema}.schema_migrations`,
      ]);
      return rows[0]?.present ? readRecorded(tx, schema) : undefined;
    });
  } catch (error) {
    if (sqlStateOf(error) === SQL_STATE.insufficientPrivilege) return undefined;
    throw error;
  }
}

/**
 * schema_migrations is created before the default privileges, so the app role gets no rights on it
 * but the one granted here: reading it, so an instance that logs in as the app may tell whether the
 * owner has migrated. Default privileges apply to tables the current (migrating) role creates from
 * now on.
 */
function prepareSchemaSql(schema: string): string {
  return `
CREATE SCHEMA IF NOT EXISTS ${schema};
CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  -- sha256 of the SQL as applied; an edit afterwards is refused at start-up.
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);
GRANT USAGE ON SCHEMA ${schema} TO ${APP_ROLE};
GRANT SELECT ON ${schema}.schema_migrations TO ${APP_ROLE};
ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${APP_ROLE};
ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT USAGE ON SEQUENCES TO ${APP_ROLE};
`;
}

async function lockSchema(tx: Tx, schema: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('clubland.migrate'), hashtext($1))`, [schema]);
}

async function readRecorded(tx: Tx, schema: string): Promise<Map<number, string>> {
  const { rows } = await tx.query<{ version: number; checksum: string }>(
    `SELECT version, checksum FROM ${schema}.schema_migrations`,
  );
  return new Map(rows.map((row) => [row.version, row.checksum]));
}

function assertUnchanged(schema: string, migration: Migration, recordedChecksum: string | undefined): void {
  if (recordedChecksum === undefined || recordedChecksum === checksumOf(migration.sql)) return;
  throw new ClubError(
    'internal',
    `migration ${schema} ${migration.version} (${migration.name}) was edited after it was applied: ` +
      `its checksum no longer matches the one recorded in ${schema}.schema_migrations. ` +
      'Restore the applied SQL and put the change in a new migration.',
    { schema, version: migration.version, reason: 'migration_checksum_mismatch' },
  );
}

/** Line endings are normalised so a checkout on Windows does not count as an edit. */
export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql.replaceAll('\r\n', '\n')).digest('hex');
}

function checkedInOrder(migrations: readonly Migration[]): Migration[] {
  const seen = new Set<number>();
  for (const migration of migrations) {
    if (!Number.isSafeInteger(migration.version) || migration.version < 1) {
      throw invalidInput(
        'migrations.version',
        `migration version must be a positive integer, got ${migration.version}`,
      );
    }
    if (seen.has(migration.version)) {
      throw invalidInput('migrations.version', `migration version ${migration.version} appears twice`);
    }
    seen.add(migration.version);
  }
  return [...migrations].sort((a, b) => a.version - b.version);
}
