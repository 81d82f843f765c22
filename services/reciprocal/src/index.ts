import { randomUUID } from 'node:crypto';
import { type Bus, createOutboxRelay, outboxMigrationSql, type Subscription } from '@clubland/bus';
import { type Db, loadMigrations, type Migration, partiesTableSql } from '@clubland/db';
import { createEvery } from '@clubland/log';
import type { Notifier } from '@clubland/notify';
import type { RegisterRoutes } from '@clubland/rpc';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { runAgreementSchedule } from './app/agreement-schedule.ts';
import { cacheClubFacts, DEFAULT_CLUB_FACTS_TTL_MS, forgetOnClubEvents } from './app/club-facts-cache.ts';
import {
  type ClubFacts,
  type MemberDirectory,
  RECIPROCAL_SCHEMA,
  type ReciprocalDeps,
  type VisitorDirectory,
} from './app/deps.ts';
import { expireLetters } from './app/expire-letters.ts';
import { consumeLedgerStatus } from './app/ledger-status-consumer.ts';
import { closeDueSettlementPeriods } from './app/settlement-periods.ts';
import { registerReciprocalRpc } from './rpc.ts';
import { createVisitCodeKeys } from './visit-code-keys.ts';

export type { ClubFact, ClubFacts } from './app/deps.ts';
export { type ClubProfilesClient, createClubFacts } from './club-directory.ts';
export { createMemberDirectory, type MemberRecordsClient } from './member-directory.ts';
export { createVisitorDirectory, type VisitorDescriptionsClient } from './visitor-directory.ts';

export interface ReciprocalServiceOptions {
  db: Db;
  bus: Bus;
  log: Logger;
  /** Clubs as the member service describes them (createClubFacts over its directory RPC). */
  clubs: ClubFacts;
  /** Members as the member service answers a caller (createMemberDirectory over its MemberService RPC). */
  members: MemberDirectory;
  /** Letters of introduction sent by email; the all-in-one passes the auth service's file notifier. */
  notifier: Notifier;
  /** Visitors as the member service projects them (createVisitorDirectory over its MemberService RPC). */
  visitors: VisitorDirectory;
  /** Lifetime of a visit code (the member's QR at a host's desk); default 120 s. */
  visitCodeTtlSeconds?: number;
  outboxPollIntervalMs?: number;
  /** How often open letters past their last day are expired; default 5 minutes, 0: never (tests run it). */
  letterExpiryIntervalMs?: number;
  /** How often the agreements' schedule runs (start and end dates); 60 s when omitted, 0: never (tests run it). */
  agreementScheduleIntervalMs?: number;
  /** How often ended settlement periods are looked for and closed; hourly when omitted, 0: never (tests run it). */
  settlementScheduleIntervalMs?: number;
  /** How long a club's facts (coordinates, time zone, status) are reused; 30 s, forgotten at once on
   *  the club's events (app/club-facts-cache.ts); 0 asks the member service every time. */
  clubFactsTtlMs?: number;
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
  const clubs = cacheClubFacts(options.clubs, { ttlMs: options.clubFactsTtlMs ?? DEFAULT_CLUB_FACTS_TTL_MS });
  let forgettingClubs: Subscription | undefined;
  const deps: ReciprocalDeps = {
    db: options.db,
    eventsWritten: () => relay.notify(),
    clubs,
    members: options.members,
    notifier: options.notifier,
    log: options.log,
    visitors: options.visitors,
    visitCodeKeys: createVisitCodeKeys(options.db),
    ...(options.visitCodeTtlSeconds === undefined
      ? {}
      : { visitCodeTtlSeconds: options.visitCodeTtlSeconds }),
  };
  const world = { clock: options.clock ?? (() => new Date()), newId: options.newId ?? uuidv7 };
  const register: RegisterRoutes = (router) => registerReciprocalRpc(router, deps, world);
  let ledgerStatus: Subscription | undefined;
  const letterExpiry = createEvery(
    options.letterExpiryIntervalMs ?? DEFAULT_LETTER_EXPIRY_INTERVAL_MS,
    async () => {
      const expired = await expireLetters(deps, world);
      if (expired > 0) options.log.info({ expired }, 'letters of introduction expired');
    },
    options.log,
  );
  const schedule = () => runAgreementSchedule(deps, { ...world, correlationId: null });
  const settlementSchedule = createEvery(
    options.settlementScheduleIntervalMs ?? DEFAULT_SETTLEMENT_SCHEDULE_INTERVAL_MS,
    async () => {
      const closed = await closeDueSettlementPeriods(deps, world);
      if (closed.length > 0) options.log.info({ closed: closed.length }, 'settlement periods closed');
    },
    options.log,
    // A first run at start opens the current month's period (and closes any that ended while down).
    { atStart: true },
  );
  const agreementSchedule = createEvery(
    options.agreementScheduleIntervalMs ?? DEFAULT_AGREEMENT_SCHEDULE_INTERVAL_MS,
    async () => {
      await schedule();
    },
    options.log,
  );

  return {
    name: 'reciprocal' as const,
    schema: RECIPROCAL_SCHEMA,
    migrations: await reciprocalMigrations(),
    register,
    /** Expires open letters past their last day now (what the interval does); how many expired. */
    expireLetters: () => expireLetters(deps, world),
    /** One run of the agreements' schedule now (what the interval does), for tests and operators. */
    runAgreementSchedule: schedule,
    /** Starts background work: the outbox relay, the letters' expiry job, the agreements' schedule. */
    async start(): Promise<void> {
      relay.start();
      letterExpiry.start();
      agreementSchedule.start();
      settlementSchedule.start();
      forgettingClubs = await forgetOnClubEvents(options.bus, clubs, randomUUID());
      ledgerStatus ??= await consumeLedgerStatus(options.db, options.bus);
    },
    /**
     * The settlement job (run it daily, beside agreement expiry): closes the periods whose month has
     * ended, issuing their statements, and opens the current month. Returns the periods closed.
     */
    closeDueSettlementPeriods: () => closeDueSettlementPeriods(deps, world),
    /** Stops the schedules (after a run in progress), publishes what the outbox still holds, then stops. */
    async stop(): Promise<void> {
      await forgettingClubs?.close();
      await agreementSchedule.stop();
      await settlementSchedule.stop();
      await ledgerStatus?.close();
      ledgerStatus = undefined;
      await letterExpiry.stop();
      await relay.stop();
    },
  };
}

const DEFAULT_LETTER_EXPIRY_INTERVAL_MS = 5 * 60_000;
const DEFAULT_AGREEMENT_SCHEDULE_INTERVAL_MS = 60_000;
const DEFAULT_SETTLEMENT_SCHEDULE_INTERVAL_MS = 60 * 60_000;

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
