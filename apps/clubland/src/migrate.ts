import type { AppConfig } from '@clubland/config';
import { createLogger } from '@clubland/log';
import { migrateAsOwner } from './database.ts';
import { SCHEMAS } from './schemas.ts';

/**
 * `clubland migrate`: as DATABASE_OWNER_URL when set (making DATABASE_URL's role a member of the
 * application role on the way), else as DATABASE_URL, which must then own the schemas.
 */
export async function runMigrate(config: AppConfig): Promise<void> {
  const log = createLogger({ service: 'migrate', level: config.LOG_LEVEL });
  await migrateAsOwner(config, log);
  log.info({ schemas: SCHEMAS.map((s) => s.schema) }, 'migrations applied');
}
