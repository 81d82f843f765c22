import { authMigrations } from '@clubland/auth-service';
import type { AppConfig } from '@clubland/config';
import { migrate } from '@clubland/db';
import { createLogger } from '@clubland/log';
import { memberMigrations } from '@clubland/member-service';
import { openDb } from './infrastructure.ts';

/** Every service that owns a schema, with its migrations. A new service adds its line here. */
export const SCHEMAS = [
  { schema: 'member', migrations: memberMigrations },
  { schema: 'auth', migrations: authMigrations },
] as const;

export async function migrateAll(db: Awaited<ReturnType<typeof openDb>>, only?: string): Promise<void> {
  for (const { schema, migrations } of SCHEMAS) {
    if (only === undefined || only === schema) await migrate(db, { schema, migrations: await migrations() });
  }
}

export async function runMigrate(config: AppConfig): Promise<void> {
  const log = createLogger({ service: 'migrate', level: config.LOG_LEVEL });
  const db = await openDb(config);
  try {
    await migrateAll(db);
    log.info({ schemas: SCHEMAS.map((s) => s.schema) }, 'migrations applied');
  } finally {
    await db.close();
  }
}
