import { type Bus, createOutboxRelay, outboxMigrationSql } from '@clubland/bus';
import { type Db, loadMigrations, type Migration, networkReadTableSql, tenantTableSql } from '@clubland/db';
import { createEvery } from '@clubland/log';
import type { RegisterRoutes } from '@clubland/rpc';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { GOVERNANCE_SCHEMA, type GovernanceDeps } from './app/deps.ts';
import { runProposalSchedule } from './app/proposal-schedule.ts';
import {
  type ClubProfilesClient,
  createGovernancePeople,
  type GovernanceMembersClient,
} from './member-directory.ts';
import { registerGovernanceRpc } from './rpc.ts';

export interface GovernanceServiceOptions {
  db: Db;
  bus: Bus;
  log: Logger;
  outboxPollIntervalMs?: number;
  clock?: () => Date;
  newId?: () => string;
  /** The member service's MemberService client: officers' memberships, a club's ACTIVE members. */
  members: GovernanceMembersClient;
  /** The member service's club directory (GetClubProfiles): whether a club is ACTIVE. */
  clubDirectory: ClubProfilesClient;
  /** How often the proposals' schedule runs (closing ended votes); 30 s when omitted, 0: never (tests run it). */
  scheduleIntervalMs?: number;
}

const DEFAULT_SCHEDULE_INTERVAL_MS = 30_000;

/**
 * The governance service (network proposals and the clubs' votes on them), wired: its schema's
 * migrations, its RPC routes, its outbox relay, the schedule that closes ended votes.
 */
export async function createGovernanceService(options: GovernanceServiceOptions) {
  const relay = createOutboxRelay({
    db: options.db,
    bus: options.bus,
    schema: GOVERNANCE_SCHEMA,
    log: options.log,
    pollIntervalMs: options.outboxPollIntervalMs ?? 1000,
  });
  const deps: GovernanceDeps = {
    db: options.db,
    eventsWritten: () => relay.notify(),
    people: createGovernancePeople(options.members, options.clubDirectory),
  };
  const world = { clock: options.clock ?? (() => new Date()), newId: options.newId ?? uuidv7 };
  const register: RegisterRoutes = (router) => registerGovernanceRpc(router, deps, world);
  const runSchedule = () => runProposalSchedule(deps, { ...world, correlationId: null });
  const schedule = createEvery(
    options.scheduleIntervalMs ?? DEFAULT_SCHEDULE_INTERVAL_MS,
    async () => {
      const run = await runSchedule();
      if (run.closed.length + run.expired.length > 0)
        options.log.info(
          { closed: run.closed.length, expired: run.expired.length },
          'proposals decided by their clock',
        );
    },
    options.log,
    // A first run at start decides the votes that ended while the service was down.
    { atStart: true },
  );

  return {
    name: 'governance' as const,
    schema: GOVERNANCE_SCHEMA,
    migrations: await governanceMigrations(),
    register,
    /** One run of the proposals' schedule now (what the interval does), for tests and operators. */
    runProposalSchedule: runSchedule,
    /** Starts background work: the outbox relay and the proposals' schedule. */
    async start(): Promise<void> {
      relay.start();
      schedule.start();
    },
    /** Stops the schedule (after a run in progress), publishes what the outbox still holds, then stops. */
    async stop(): Promise<void> {
      await schedule.stop();
      await relay.stop();
    },
  };
}

export type GovernanceService = Awaited<ReturnType<typeof createGovernanceService>>;

/** Tenant-owned tables by the migration that creates them: a club's own rows only (tenantTableSql). */
const TENANT_TABLES: Readonly<Record<number, readonly string[]>> = {
  3: ['policies', 'policy_acknowledgements'],
};

/**
 * Network-read tables by the migration that creates them: every club reads them (a DRAFT proposal
 * only its own club), a club writes only its own rows (networkReadTableSql).
 */
const NETWORK_TABLES: Readonly<Record<number, readonly (readonly [string, string | undefined])[]>> = {
  2: [
    ['proposals', "status = 'DRAFT'"],
    // A proposal's creation as a DRAFT is its own club's, like the draft itself.
    ['proposal_changes', "to_status = 'DRAFT'"],
    ['votes', undefined],
  ],
};

export async function governanceMigrations(): Promise<Migration[]> {
  const loaded = await loadMigrations(new URL('./store/migrations/', import.meta.url));
  return [
    { version: 1, name: 'outbox', sql: outboxMigrationSql(GOVERNANCE_SCHEMA) },
    ...loaded.map((migration) => ({
      ...migration,
      sql:
        migration.sql +
        (NETWORK_TABLES[migration.version] ?? [])
          .map(([table, privateWhen]) =>
            networkReadTableSql(GOVERNANCE_SCHEMA, table, privateWhen ? { privateWhen } : {}),
          )
          .join('') +
        (TENANT_TABLES[migration.version] ?? [])
          .map((table) => tenantTableSql(GOVERNANCE_SCHEMA, table))
          .join(''),
    })),
  ];
}
