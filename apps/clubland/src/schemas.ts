import { analyticsMigrations } from '@clubland/analytics-service';
import { authMigrations } from '@clubland/auth-service';
import { clubMigrations } from '@clubland/club-service';
import { type Db, migrate } from '@clubland/db';
import { governanceMigrations } from '@clubland/governance-service';
import { ledgerMigrations } from '@clubland/ledger-service';
import { memberMigrations } from '@clubland/member-service';
import { notificationMigrations } from '@clubland/notification-service';
import { reciprocalMigrations } from '@clubland/reciprocal-service';

/** Every service that owns a schema, with its migrations. A new service adds its line here. */
export const SCHEMAS = [
  { schema: 'member', migrations: memberMigrations },
  { schema: 'auth', migrations: authMigrations },
  { schema: 'reciprocal', migrations: reciprocalMigrations },
  { schema: 'club', migrations: clubMigrations },
  { schema: 'analytics', migrations: analyticsMigrations },
  { schema: 'ledger', migrations: ledgerMigrations },
  { schema: 'notification', migrations: notificationMigrations },
  { schema: 'governance', migrations: governanceMigrations },
] as const;

/** Every schema's pending migrations (or only `only`'s), applied on `db`'s owner connection. */
export async function migrateAll(db: Db, only?: string): Promise<void> {
  for (const { schema, migrations } of SCHEMAS) {
    if (only === undefined || only === schema) await migrate(db, { schema, migrations: await migrations() });
  }
}
