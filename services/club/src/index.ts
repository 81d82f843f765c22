import { randomUUID } from 'node:crypto';
import { type Bus, createOutboxRelay, outboxMigrationSql, type Subscription } from '@clubland/bus';
import { type Db, loadMigrations, type Migration, tenantTableSql } from '@clubland/db';
import type { RegisterRoutes } from '@clubland/rpc';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import type { BookingPeople } from './app/booking-ports.ts';
import { cacheClubFacts, DEFAULT_CLUB_FACTS_TTL_MS, forgetOnClubEvents } from './app/club-facts-cache.ts';
import { CLUB_SCHEMA, type ClubOpsDeps } from './app/deps.ts';
import type { EventMembers, VisitorAgreements } from './app/event-members.ts';
import { readFacilityDay, timezoneOf } from './app/facility-availability.ts';
import {
  createFacilityDayCache,
  DEFAULT_FACILITY_DAY_TTL_MS,
  forgetOnFacilityEvents,
} from './app/facility-day-cache.ts';
import { visitorAgreementsOver } from './app/visitor-access.ts';
import { followVisitorAgreements } from './app/visitor-agreements.ts';
import { type ClubProfilesClient, createClubFacts } from './club-directory.ts';
import { registerClubRpc } from './rpc.ts';
import { createBookingReads } from './store/booking-reads.ts';

export { type BookingMembersClient, createBookingPeople } from './booking-directory.ts';

export interface ClubServiceOptions {
  db: Db;
  bus: Bus;
  log: Logger;
  outboxPollIntervalMs?: number;
  clock?: () => Date;
  newId?: () => string;
  /** Members as the member service describes them (createEventMembers over its RPC client). */
  eventMembers: EventMembers;
  /** ACTIVE reciprocal agreements, once that read model exists; absent: visitors are refused events. */
  visitorAgreements?: VisitorAgreements;
  /** The member service's club directory (GetClubProfiles): clubs' time zones. */
  clubDirectory: ClubProfilesClient;
  /** How long a club's facts are reused; default 30 s. */
  clubFactsTtlMs?: number;
  /** Bookers over the member service (createBookingPeople). */
  bookers: BookingPeople;
  /** How long a facility's day is reused for availability (facility-day-cache.ts); default 10 s, 0 off. */
  facilityDayTtlMs?: number;
}

export { createEventMembers } from './app/event-members.ts';

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
  const bookingReads = createBookingReads();
  const clubs = cacheClubFacts(createClubFacts(options.clubDirectory), {
    ttlMs: options.clubFactsTtlMs ?? DEFAULT_CLUB_FACTS_TTL_MS,
  });
  const deps: ClubOpsDeps = {
    db: options.db,
    eventsWritten: () => relay.notify(),
    eventMembers: options.eventMembers,
    // The agreements read model this service keeps (visitor-agreements.ts) unless a test passes its own.
    visitorAgreements: options.visitorAgreements ?? visitorAgreementsOver(options.db),
    futureBookings: bookingReads,
    heldBookings: bookingReads,
    clubs,
    bookers: options.bookers,
    facilityClubs: new Map(),
    facilityDays: createFacilityDayCache({
      ttlMs: options.facilityDayTtlMs ?? DEFAULT_FACILITY_DAY_TTL_MS,
      load: async (clubId, facilityId, date) => {
        const timezone = await timezoneOf(deps, clubId);
        const day = await options.db.withTenant(clubId, (tx) =>
          readFacilityDay(deps, tx, clubId, facilityId, date, timezone),
        );
        // Shared by every reader: frozen so a use case that edits its copy fails loudly in tests.
        return day && Object.freeze(day);
      },
    }),
  };
  let forgettingDays: Subscription | undefined;
  let forgettingClubs: Subscription | undefined;
  let agreements: Subscription | undefined;
  const world = { clock: options.clock ?? (() => new Date()), newId: options.newId ?? uuidv7 };
  const register: RegisterRoutes = (router) => registerClubRpc(router, deps, world);

  return {
    name: 'club' as const,
    schema: CLUB_SCHEMA,
    migrations: await clubMigrations(),
    register,
    /**
     * Starts background work: the outbox relay, following agreements (visitors' facilities), and
     * forgetting the facility days and club facts other instances write.
     */
    async start(): Promise<void> {
      relay.start();
      agreements = await followVisitorAgreements(options.db, options.bus);
      const instanceId = randomUUID();
      forgettingDays = await forgetOnFacilityEvents(options.bus, deps.facilityDays, instanceId);
      forgettingClubs = await forgetOnClubEvents(options.bus, clubs, instanceId);
    },
    /** Publishes what the outbox still holds, then stops. */
    async stop(): Promise<void> {
      await forgettingDays?.close();
      await forgettingClubs?.close();
      await agreements?.close();
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
  3: ['facility_directory'],
  4: ['bookings', 'booking_changes', 'booking_waitlist', 'booking_holders'],
  5: ['events', 'rsvps', 'rsvp_changes'],
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
