import type { Principal } from '@clubland/authz';
import type { EventEnvelope } from '@clubland/bus';
import { BookingService } from '@clubland/contract/club/v1/bookings';
import { ClubEventService } from '@clubland/contract/club/v1/events';
import { FacilityService } from '@clubland/contract/club/v1/facilities';
import { MemberService } from '@clubland/contract/member/v1/members';
import { migrate } from '@clubland/db';
import { createLoopbackTransport, createRpcClient } from '@clubland/rpc';
import pino from 'pino';
// The real member service (and the auth service behind it) owns clubs and members; this service
// asks it over RPC, as in production.
import { setupMemberService } from '../../member/test/setup.ts';
import {
  type ClubServiceOptions,
  createBookingPeople,
  createClubService,
  createEventMembers,
} from '../src/index.ts';

export { callerOf, eventually, networkAdminCaller, principalWith } from '../../member/test/setup.ts';

/**
 * The club service on the member service's fresh database (PGlite, or a new PostgreSQL database
 * when DATABASE_URL is set) and in-process bus, with real RPC clients over loopback transports.
 * `published` collects every event the club service's outbox delivers.
 */
export async function setupClubService(options: { clock?: () => Date } = {}) {
  const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
  const members = await setupMemberService(options.clock ? { clock: options.clock } : {});
  const memberTransport = createLoopbackTransport(members.service.register, log);
  const serviceOptions: ClubServiceOptions = {
    db: members.db,
    bus: members.bus,
    log,
    outboxPollIntervalMs: 50,
    eventMembers: createEventMembers(
      createRpcClient(MemberService, createLoopbackTransport(members.service.register, log)),
    ),
    clubDirectory: members.directory,
    bookers: createBookingPeople(createRpcClient(MemberService, memberTransport)),
    ...(options.clock ? { clock: options.clock } : {}),
  };
  const service = await createClubService(serviceOptions);
  await migrate(members.db, { schema: service.schema, migrations: service.migrations });
  await service.start();

  const published: EventEnvelope[] = [];
  const subscription = await members.bus.subscribe({
    consumer: 'club-test-observer',
    types: ['facility.*', 'booking.*', 'club_event.*', 'rsvp.*'],
    handler: async (event) => {
      published.push(event);
    },
  });
  const transport = createLoopbackTransport(service.register, log);
  return {
    db: members.db,
    bus: members.bus,
    service,
    /** The options the service was made with, for a second instance on the same database. */
    serviceOptions,
    published,
    /** The member service harness: seedClub(), account(clubId), members, directory. */
    memberService: members,
    facilities: createRpcClient(FacilityService, transport),
    bookings: createRpcClient(BookingService, transport),
    events: createRpcClient(ClubEventService, transport),
    seedClub: (name?: string) => members.seedClub(name),
    account: (clubId: string): Promise<Principal> => members.account(clubId),
    async close() {
      await subscription.close();
      await service.stop();
      await members.close();
    },
  };
}

export type ClubServiceHarness = Awaited<ReturnType<typeof setupClubService>>;
