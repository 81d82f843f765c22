import type { AppConfig } from '@clubland/config';
import {
  APP_ROLE,
  appLoginRisks,
  type Db,
  databaseIdentity,
  ensureAppLogin,
  SQL_STATE,
  sqlStateOf,
} from '@clubland/db';
import type { Logger } from '@clubland/log';
import { openDb, openOwnerDb } from './infrastructure.ts';
import { migrateAll, SCHEMAS } from './schemas.ts';

/**
 * The database the services use, migrated, opened the way a deployment should run it.
 *
 * Embedded (no DATABASE_URL): PGlite, one embedded user, migrated in place.
 *
 * PostgreSQL: the services' pool logs in as DATABASE_URL; migrations run on DATABASE_OWNER_URL
 * when it is set (after making DATABASE_URL's role a member of clubland_app and checking both reach
 * the same database), then that connection is closed. Without it they run on DATABASE_URL, which
 * then only works when that role owns the schemas, or when nothing is pending. Last, the login is
 * checked: a superuser, a BYPASSRLS role or one that can become the tables' owner could undo the
 * role switch row-level security rests on, so production refuses it and other modes warn.
 */
export async function openMigratedDb(config: AppConfig, log: Logger, only?: string): Promise<Db> {
  const appUrl = config.DATABASE_URL;
  if (!appUrl) {
    const db = await openDb(config);
    return closedOnFailure(db, () => migrateAll(db, only));
  }
  const ownerUrl = config.DATABASE_OWNER_URL;
  const owner = ownerUrl ? await openOwnerDb({ ...config, DATABASE_OWNER_URL: ownerUrl }) : undefined;
  try {
    const db = await openAppDb(config, appUrl, owner);
    return await closedOnFailure(db, async () => {
      if (owner) await joinAppRole(owner, db, appUrl);
      // Before anything is written; once more after, when a login that owned nothing so far
      // has just created the tables (no owner's URL, pending migrations).
      const isSafe = await checkLogin(config, log, db, appUrl, { isBeforeMigrations: true });
      if (owner) await migrateAll(owner, only);
      else await migrateOnAppLogin(db, only);
      if (isSafe) await checkLogin(config, log, db, appUrl);
    });
  } finally {
    await owner?.close();
  }
}

/** `clubland migrate`: on DATABASE_OWNER_URL (or DATABASE_URL as the owner), then nothing else opened. */
export async function migrateAsOwner(config: AppConfig, log: Logger): Promise<void> {
  const appUrl = config.DATABASE_URL;
  const ownerUrl = appUrl ? config.DATABASE_OWNER_URL : undefined;
  if (!appUrl || !ownerUrl) {
    const db = await openDb(config);
    try {
      await migrateAll(db);
    } finally {
      await db.close();
    }
    return;
  }
  const owner = await openOwnerDb({ ...config, DATABASE_OWNER_URL: ownerUrl });
  try {
    const db = await openAppDb(config, appUrl, owner);
    try {
      await joinAppRole(owner, db, appUrl);
      await migrateAll(owner);
      const { login, risks } = await appLoginRisks(db, schemaNames());
      if (risks.length > 0) log.warn(loginWarning(login, risks));
      else log.info({ login }, `DATABASE_URL logs in as ${login}, a member of ${APP_ROLE} and nothing more`);
    } finally {
      await db.close();
    }
  } finally {
    await owner.close();
  }
}

/** The application's pool; a login the server does not know yet is made by the owner, then tried again. */
async function openAppDb(config: AppConfig, appUrl: string, owner: Db | undefined): Promise<Db> {
  try {
    return await openDb(config);
  } catch (error) {
    // 28000: no such role (trust, peer); 28P01: a password refused, which also hides a missing role.
    const state = sqlStateInChain(error);
    if (!owner || (state !== '28000' && state !== '28P01')) throw error;
    await ensureAppLogin(owner, appUrl);
    return openDb(config);
  }
}

/** Once both URLs are known to reach one database: DATABASE_URL's role joins clubland_app. */
async function joinAppRole(owner: Db, db: Db, appUrl: string): Promise<void> {
  const [ownerReaches, appReaches] = [await databaseIdentity(owner), await databaseIdentity(db)];
  if (ownerReaches !== appReaches) {
    throw new Error(
      `DATABASE_OWNER_URL reaches ${ownerReaches} but DATABASE_URL reaches ${appReaches}: both must name the same database`,
    );
  }
  await ensureAppLogin(owner, appUrl);
}

async function migrateOnAppLogin(db: Db, only?: string): Promise<void> {
  try {
    await migrateAll(db, only);
  } catch (error) {
    if (sqlStateInChain(error) !== SQL_STATE.insufficientPrivilege) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `migrations are pending and DATABASE_URL's role may not apply them (${reason}): ` +
        'set DATABASE_OWNER_URL to the owner of the schemas, or run `clubland migrate` with it',
      { cause: error },
    );
  }
}

/**
 * True when the login is safe (or, before the first migration, cannot be asked yet: the question
 * is asked as clubland_app, which the migrations create); refuses an unsafe one in production,
 * warns about it elsewhere.
 */
async function checkLogin(
  config: AppConfig,
  log: Logger,
  db: Db,
  appUrl: string,
  options: { isBeforeMigrations?: boolean } = {},
): Promise<boolean> {
  let check: Awaited<ReturnType<typeof appLoginRisks>>;
  try {
    check = await appLoginRisks(db, schemaNames());
  } catch (error) {
    const state = sqlStateInChain(error);
    if (state === SQL_STATE.undefinedRole && options.isBeforeMigrations) return true;
    if (state !== SQL_STATE.insufficientPrivilege) throw error;
    const login = decodeURIComponent(new URL(appUrl).username) || 'the login of DATABASE_URL';
    throw new Error(
      `DATABASE_URL logs in as ${login}, which may not switch to ${APP_ROLE}: have the owner run ` +
        `GRANT ${APP_ROLE} TO ${login}, or set DATABASE_OWNER_URL (start-up and \`clubland migrate\` then do it)`,
      { cause: error },
    );
  }
  const { login, risks } = check;
  if (risks.length === 0) return true;
  const message = loginWarning(login, risks);
  if (config.NODE_ENV === 'production') throw new Error(message);
  log.warn(message);
  return false;
}

function loginWarning(login: string, risks: readonly string[]): string {
  return (
    `DATABASE_URL logs in as ${login}, which ${risks.join(', ')}: one injected RESET ROLE would escape ` +
    `row-level security. Point DATABASE_URL at a login role that is only a member of ${APP_ROLE}, and ` +
    'DATABASE_OWNER_URL at the owner (README: "Running on real infrastructure")'
  );
}

function schemaNames(): string[] {
  return SCHEMAS.map((entry) => entry.schema);
}

async function closedOnFailure(db: Db, prepare: () => Promise<void>): Promise<Db> {
  try {
    await prepare();
    return db;
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}

/** The first SQLSTATE along an error's causes (ours wrap the server's). */
function sqlStateInChain(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const state = sqlStateOf(current);
    if (state) return state;
    current = current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}
