import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Principal } from '@clubland/authz';
import { createMemoryBus, type EventEnvelope } from '@clubland/bus';
import { ClubDirectoryService } from '@clubland/contract/member/v1/directory';
import { MemberService } from '@clubland/contract/member/v1/members';
import { AgreementService } from '@clubland/contract/reciprocal/v1/agreements';
import { LetterService } from '@clubland/contract/reciprocal/v1/letters';
import { SettlementService } from '@clubland/contract/reciprocal/v1/settlement';
import { VisitService } from '@clubland/contract/reciprocal/v1/visits';
import { migrate } from '@clubland/db';
import { createFileNotifier } from '@clubland/notify';
import { createLoopbackTransport, createRpcClient } from '@clubland/rpc';
import pino from 'pino';
// The real member service (and the auth service behind it) owns clubs and members; this service
// asks it over RPC, as in production.
import { setupMemberService } from '../../member/test/setup.ts';
import {
  createClubFacts,
  createMemberDirectory,
  createReciprocalService,
  createVisitorDirectory,
  type ReciprocalServiceOptions,
} from '../src/index.ts';

export { callerOf, eventually, networkAdminCaller, principalWith } from '../../member/test/setup.ts';

/**
 * The reciprocal service on the member service's fresh database (PGlite, or a new PostgreSQL
 * database when DATABASE_URL is set) and in-process bus, with real RPC clients over loopback
 * transports. `published` collects every event the reciprocal outbox delivers; emails (letters of
 * introduction) land as files in `mailDir`. The letters' expiry job runs only when a test calls
 * `service.expireLetters()`.
 */
export async function setupReciprocalService(options: { clock?: () => Date } = {}) {
  const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
  const members = await setupMemberService(options.clock ? { clock: options.clock } : {});
  const memberTransport = createLoopbackTransport(members.service.register, log);
  const mailDir = await mkdtemp(join(tmpdir(), 'clubland-reciprocal-mail-'));
  const serviceOptions: ReciprocalServiceOptions = {
    db: members.db,
    bus: members.bus,
    log,
    clubs: createClubFacts(createRpcClient(ClubDirectoryService, memberTransport)),
    members: createMemberDirectory(createRpcClient(MemberService, memberTransport)),
    notifier: createFileNotifier({ dir: mailDir }),
    visitors: createVisitorDirectory(createRpcClient(MemberService, memberTransport)),
    outboxPollIntervalMs: 50,
    letterExpiryIntervalMs: 0,
    agreementScheduleIntervalMs: 0,
    settlementScheduleIntervalMs: 0,
    // Tests change a club and check in the next moment: no reuse, so no wait for the club's event.
    clubFactsTtlMs: 0,
    ...(options.clock ? { clock: options.clock } : {}),
  };
  const service = await createReciprocalService(serviceOptions);
  await migrate(members.db, { schema: service.schema, migrations: service.migrations });
  await service.start();

  const published: EventEnvelope[] = [];
  const subscription = await members.bus.subscribe({
    consumer: 'reciprocal-test-observer',
    types: ['agreement.*', 'letter.*', 'visit.*'],
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
    mailDir,
    /** The member service harness: seedClub(), account(clubId), members, directory. */
    memberService: members,
    agreements: createRpcClient(AgreementService, transport),
    letters: createRpcClient(LetterService, transport),
    visits: createRpcClient(VisitService, transport),
    settlement: createRpcClient(SettlementService, transport),
    seedClub: (name?: string) => members.seedClub(name),
    account: (clubId: string): Promise<Principal> => members.account(clubId),
    async close() {
      await subscription.close();
      await service.stop();
      await members.close();
      await rm(mailDir, { recursive: true, force: true });
    },
  };
}

export type ReciprocalServiceHarness = Awaited<ReturnType<typeof setupReciprocalService>>;
// A fresh bus per harness comes from setupMemberService; createMemoryBus is re-exported for tests
// that need a second one.
export { createMemoryBus };
