import { type Bus, createOutboxRelay, outboxMigrationSql } from '@clubland/bus';
import { type Db, loadMigrations, type Migration, tenantTableSql } from '@clubland/db';
import type { RegisterRoutes } from '@clubland/rpc';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import type { BookingClubFacts, BookingPeople } from './app/booking-ports.ts';
import { CLUB_SCHEMA, type ClubOpsDeps } from './app/deps.ts';
import { registerClubRpc } from './rpc.ts';

export {
  type BookingClubsClient,
  type BookingMembersClient,
  createBookingClubFacts,
  createBookingPeople,
} from './booking-directory.ts';

export interface ClubServiceOptions {
  db: Db;
  bus: Bus;
  log: Logger;
  outboxPollIntervalMs?: number;
  clock?: () => Date;
  newId?: () => string;
  /** Bookers over the member service (createBookingPeople). */
  bookers: BookingPeople;
  /** Clubs' time zones and currencies over the member directory (createBookingClubFacts). */
  bookingClubs: BookingClubFacts;
}

/**
 * The club service (club operations: facilities, bookings, events and RSVPs), wired: its schema's
 * migrations, its RPC routes, its outbox relay.
 */
export async function createClubService(options: ClubServiceOptions) {
  const relay = createOutboxRelay({
    db: options.db,
    bus: options.bus,
    schema: CLUB_SCHEMA,
    log: options.log,
    pollIntervalMs: options.outboxPollIntervalMs ?? 1000,
  });
  const deps: ClubOpsDeps = {
    db: options.db,
    eventsWritten: () => relay.notify(),
    bookers: options.bookers,
    bookingClubs: options.bookingClubs,
  };
  const world = { clock: options.clock ?? (() => new Date()), newId: options.newId ?? uuidv7 };
  const register: RegisterRoutes = (router) => registerClubRpc(router, deps, world);

  return {
    name: 'club' as const,
    schema: CLUB_SCHEMA,
    migrations: await clubMigrations(),
    register,
    /** Starts background work: the outbox relay. */
    async start(): Promise<void> {
      relay.start();
    },
    /** Publishes what the outbox still holds, then stops. */
    async stop(): Promise<void> {
      await relay.stop();
    },
  };
}

export type ClubService = Awaited<ReturnType<typeof createClubService>>;

/**
 * Tenant-owned tables by the migration that creates them: each gets the one row-level security
 * template (club_id = the transaction's tenant) appended to that migration's SQL.
 */
const TENANT_TABLES: Readonly<Record<number, readonly string[]>> = {
  2: ['facilities', 'closures'],
  4: ['bookings', 'booking_changes', 'booking_waitlist', 'booking_holders'],
};

export async function clubMigrations(): Promise<Migration[]> {
  const loaded = await loadMigrations(new URL('./store/migrations/', import.meta.url));
  return [
    { version: 1, name: 'outbox', sql: outboxMigrationSql(CLUB_SCHEMA) },
    ...loaded.map((migration) => ({
      ...migration,
      sql:
        migration.sql +
        (TENANT_TABLES[migration.version] ?? []).map((table) => tenantTableSql(CLUB_SCHEMA, table)).join(''),
    })),
  ];
}
