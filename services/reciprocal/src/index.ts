import { type Bus, createOutboxRelay, outboxMigrationSql } from '@clubland/bus';
import { type Db, loadMigrations, type Migration, partiesTableSql } from '@clubland/db';
import type { RegisterRoutes } from '@clubland/rpc';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { type ClubFacts, RECIPROCAL_SCHEMA, type ReciprocalDeps } from './app/deps.ts';
import { closeDueSettlementPeriods } from './app/settlement-periods.ts';
import { registerReciprocalRpc } from './rpc.ts';

export type { ClubFact, ClubFacts } from './app/deps.ts';
export { type ClubProfilesClient, createClubFacts } from './club-directory.ts';

export interface ReciprocalServiceOptions {
  db: Db;
  bus: Bus;
  log: Logger;
  /** Clubs as the member service describes them (createClubFacts over its directory RPC). */
  clubs: ClubFacts;
  outboxPollIntervalMs?: number;
  clock?: () => Date;
  newId?: () => string;
}

/** The reciprocal service, wired: its schema's migrations, its RPC routes, its outbox relay. */
export async function createReciprocalService(options: ReciprocalServiceOptions) {
  const relay = createOutboxRelay({
    db: options.db,
    bus: options.bus,
    schema: RECIPROCAL_SCHEMA,
    log: options.log,
    pollIntervalMs: options.outboxPollIntervalMs ?? 1000,
  });
  const deps: ReciprocalDeps = {
    db: options.db,
    eventsWritten: () => relay.notify(),
    clubs: options.clubs,
  };
  const world = { clock: options.clock ?? (() => new Date()), newId: options.newId ?? uuidv7 };
  const register: RegisterRoutes = (router) => registerReciprocalRpc(router, deps, world);

  return {
    name: 'reciprocal' as const,
    schema: RECIPROCAL_SCHEMA,
    migrations: await reciprocalMigrations(),
    register,
    /** Starts background work: the outbox relay. */
    async start(): Promise<void> {
      relay.start();
    },
    /**
     * The settlement job (run it daily, beside agreement expiry): closes the periods whose month has
     * ended, issuing their statements, and opens the current month. Returns the periods closed.
     */
    closeDueSettlementPeriods: () => closeDueSettlementPeriods(deps, world),
    /** Publishes what the outbox still holds, then stops. */
    async stop(): Promise<void> {
      await relay.stop();
    },
  };
}

export type ReciprocalService = Awaited<ReturnType<typeof createReciprocalService>>;

/**
 * Shared tables by the migration that creates them, with the columns naming their parties: each
 * gets the parties policy (packages/db partiesTableSql: visible to those clubs and the network,
 * nobody else) appended to that migration's SQL.
 */
const SHARED_TABLES: Readonly<Record<number, readonly (readonly [string, readonly string[]])[]>> = {
  2: [
    ['agreements', ['proposer_club_id', 'partner_club_id']],
    ['agreement_changes', ['proposer_club_id', 'partner_club_id']],
    ['ledger_entries', ['club_id', 'counterparty_club_id']],
  ],
  3: [
    ['letters', ['home_club_id', 'host_club_id']],
    ['letter_changes', ['home_club_id', 'host_club_id']],
  ],
  4: [
    ['visits', ['home_club_id', 'host_club_id']],
    ['visit_counts', ['home_club_id', 'host_club_id']],
    ['visit_changes', ['home_club_id', 'host_club_id']],
  ],
  5: [
    ['settlement_statements', ['club_a_id', 'club_b_id']],
    ['settlement_lines', ['club_a_id', 'club_b_id']],
    ['settlement_disputes', ['club_a_id', 'club_b_id']],
  ],
};

export async function reciprocalMigrations(): Promise<Migration[]> {
  const loaded = await loadMigrations(new URL('./store/migrations/', import.meta.url));
  return [
    { version: 1, name: 'outbox', sql: outboxMigrationSql(RECIPROCAL_SCHEMA) },
    ...loaded.map((migration) => ({
      ...migration,
      sql:
        migration.sql +
        (SHARED_TABLES[migration.version] ?? [])
          .map(([table, parties]) => partiesTableSql(RECIPROCAL_SCHEMA, table, parties))
          .join(''),
    })),
  ];
}
