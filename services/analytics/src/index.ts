import { type Bus, outboxMigrationSql } from '@clubland/bus';
import { clubScopedTableSql, type Db, loadMigrations, type Migration } from '@clubland/db';
import type { RegisterRoutes } from '@clubland/rpc';
import type { Logger } from 'pino';
import { type ClubProfilesClient, createClubTimeZones } from './app/club-time-zones.ts';
import { ANALYTICS_SCHEMA, type AnalyticsDeps } from './app/deps.ts';
import { followFacts } from './app/follow-facts.ts';
import { registerAnalyticsRpc } from './rpc.ts';

export interface AnalyticsServiceOptions {
  db: Db;
  bus: Bus;
  log: Logger;
  clock?: () => Date;
  /** The member service's club directory (GetClubProfiles): clubs' time zones. */
  clubDirectory: ClubProfilesClient;
  /** How long a club's time zone is reused; default 60 s. */
  timeZoneTtlMs?: number;
  /**
   * How often the visit rollups of the days events touched are recounted (follow-facts.ts); the
   * figures drawn from them trail the events by up to this much. Default 1 s; 0: at once, in the
   * consumer's transaction.
   */
  rollupIntervalMs?: number;
}

/**
 * The analytics service, wired: its schema's migrations, its RPC routes, and the consumer that keeps
 * its read model of event facts. It publishes nothing (its outbox table is there for the day it
 * does, like every service's schema).
 */
export async function createAnalyticsService(options: AnalyticsServiceOptions) {
  const world = { clock: options.clock ?? (() => new Date()) };
  const deps: AnalyticsDeps = {
    db: options.db,
    timeZones: createClubTimeZones(options.clubDirectory, {
      clock: world.clock,
      ...(options.timeZoneTtlMs === undefined ? {} : { ttlMs: options.timeZoneTtlMs }),
    }),
  };
  const register: RegisterRoutes = (router) => registerAnalyticsRpc(router, deps, world);
  let facts: { close(): Promise<void> } | undefined;

  return {
    name: 'analytics' as const,
    schema: ANALYTICS_SCHEMA,
    migrations: await analyticsMigrations(),
    register,
    /** Starts following the facts' events. */
    async start(): Promise<void> {
      facts = await followFacts(options.db, options.bus, {
        rollupIntervalMs: options.rollupIntervalMs ?? 1000,
        log: options.log,
      });
    },
    async stop(): Promise<void> {
      await facts?.close();
    },
  };
}

export type AnalyticsService = Awaited<ReturnType<typeof createAnalyticsService>>;

/**
 * Fact tables by the migration that creates them: each gets the club-scope policy (packages/db
 * clubScopedTableSql): a club's tenant transaction sees and writes its own rows only; a network
 * transaction (the network admin's report, the consumers writing both parties' rows of a visit)
 * sees them all. Not tenantTableSql: the network's report reads every club's rows by design.
 */
const ANALYTICS_TABLES: Readonly<Record<number, readonly string[]>> = {
  2: ['visit_facts', 'member_facts', 'agreement_facts'],
  3: ['visit_days', 'destination_days', 'destination_months'],
  4: ['stale_days'],
};

export async function analyticsMigrations(): Promise<Migration[]> {
  const loaded = await loadMigrations(new URL('./store/migrations/', import.meta.url));
  return [
    { version: 1, name: 'outbox', sql: outboxMigrationSql(ANALYTICS_SCHEMA) },
    ...loaded.map((migration) => ({
      ...migration,
      sql:
        migration.sql +
        (ANALYTICS_TABLES[migration.version] ?? [])
          .map((table) => clubScopedTableSql(ANALYTICS_SCHEMA, table))
          .join(''),
    })),
  ];
}
