import { type Bus, type BusLog, createBus } from '@clubland/bus';
import { type Cache, createCache } from '@clubland/cache';
import type { AppConfig } from '@clubland/config';
import { createDb, createPgliteClusterApart, type Db } from '@clubland/db';
import type { Logger } from '@clubland/log';
import { lockDataDir } from './data-dir-lock.ts';

/** The adapters, chosen by configuration only: embedded when a URL is unset, real servers when set. */

/**
 * The application's database: PGlite at CLUBLAND_DATA_DIR, or PostgreSQL as DATABASE_URL logs in.
 * The embedded one is locked to this process first (data-dir-lock.ts) and let go when it closes;
 * on a first start its cluster is created by a child process (createPgliteClusterApart: the
 * serving process does not keep initdb's memory).
 */
export async function openDb(config: AppConfig): Promise<Db> {
  if (config.DATABASE_URL) {
    return pinged(
      createDb({
        databaseUrl: config.DATABASE_URL,
        dataDir: config.CLUBLAND_DATA_DIR,
        poolSize: config.DATABASE_POOL_SIZE,
      }),
      describe(config),
    );
  }
  const lock = lockDataDir(config.CLUBLAND_DATA_DIR);
  try {
    await createPgliteClusterApart(config.CLUBLAND_DATA_DIR);
    const db = await pinged(createDb({ dataDir: config.CLUBLAND_DATA_DIR }), describe(config));
    return { ...db, close: () => db.close().finally(lock.release) };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** The owner's connection (DATABASE_OWNER_URL), for migrations; a pool of two, closed after them. */
export async function openOwnerDb(config: AppConfig & { DATABASE_OWNER_URL: string }): Promise<Db> {
  return pinged(
    createDb({ databaseUrl: config.DATABASE_OWNER_URL, dataDir: config.CLUBLAND_DATA_DIR, poolSize: 2 }),
    'DATABASE_OWNER_URL',
  );
}

/** `db` once it answers; closed, and an error naming `what` (the server's error as its cause), if not. */
async function pinged(db: Db, what: string): Promise<Db> {
  try {
    await db.ping();
  } catch (error) {
    await db.close().catch(() => undefined);
    throw new Error(`cannot reach the database (${what}): ${messageOf(error)}`, { cause: error });
  }
  return db;
}

/**
 * The bus. With NATS_URL an unreachable NATS does not stop start-up: the bus connects in the
 * background (logging a warning now), the outbox keeps events meanwhile, and /health reports it.
 */
export async function openBus(config: AppConfig, log: BusLog): Promise<Bus> {
  return createBus({
    natsUrl: config.NATS_URL,
    stream: config.NATS_STREAM,
    subjectPrefix: config.NATS_SUBJECT_PREFIX,
    log,
  });
}

/** How long start-up waits for Redis to answer before going on without it. */
const CACHE_FIRST_PING_MS = 2_000;

/**
 * The cache. With REDIS_URL an unreachable Redis does not stop start-up either: the client keeps
 * reconnecting, /health reports it, and what needs it fails closed meanwhile (see the README's
 * Operations section).
 */
export async function openCache(config: AppConfig, log: Logger): Promise<Cache> {
  const cache = await createCache({ redisUrl: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      cache.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${CACHE_FIRST_PING_MS} ms`)),
          CACHE_FIRST_PING_MS,
        );
      }),
    ]);
  } catch (error) {
    log.warn(
      { err: error },
      `Redis cannot be reached at REDIS_URL (${messageOf(error)}): starting without it; it reconnects in the background`,
    );
  } finally {
    clearTimeout(timer);
  }
  return cache;
}

function describe(config: AppConfig): string {
  return config.DATABASE_URL ? 'DATABASE_URL' : `embedded PGlite at ${config.CLUBLAND_DATA_DIR}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
