import type { Principal, Role } from '@clubland/authz';
import { createMemoryBus, type EventEnvelope } from '@clubland/bus';
import { ClubRegistryService } from '@clubland/contract/member/v1';
import type { CallerContext } from '@clubland/contract/member/v1/caller';
import { ClubDirectoryService } from '@clubland/contract/member/v1/directory';
import { MemberService } from '@clubland/contract/member/v1/members';
import { migrate } from '@clubland/db';
import { createTestDb } from '@clubland/db/testing';
import { createLoopbackTransport, createRpcClient } from '@clubland/rpc';
import pino from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { createMemberService } from '../src/index.ts';

/**
 * The member service on a fresh database (PGlite, or a new PostgreSQL database when
 * DATABASE_URL is set), the in-process bus, and a real RPC client over the in-memory transport.
 * `published` collects every event the outbox relay delivers.
 */
export async function setupMemberService(options: { clock?: () => Date; cardTtlSeconds?: number } = {}) {
  const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
  const db = await createTestDb();
  const bus = createMemoryBus();
  const service = await createMemberService({ db, bus, log, outboxPollIntervalMs: 50, ...options });
  await migrate(db, { schema: service.schema, migrations: service.migrations });
  await service.start();

  const published: EventEnvelope[] = [];
  const subscription = await bus.subscribe({
    consumer: 'member-test-observer',
    types: ['club.*', 'member.*'],
    handler: async (event) => {
      published.push(event);
    },
  });

  const transport = createLoopbackTransport(service.register, log);
  const clubRegistry = createRpcClient(ClubRegistryService, transport);
  let clubs = 0;
  return {
    db,
    bus,
    service,
    published,
    clubRegistry,
    members: createRpcClient(MemberService, transport),
    directory: createRpcClient(ClubDirectoryService, transport),
    /** A new club with a unique slug; returns its id. */
    async seedClub(name?: string): Promise<string> {
      clubs += 1;
      const { club } = await clubRegistry.createClub({
        name: name ?? `Club ${clubs}`,
        slug: `club-${clubs}-${uuidv7().slice(-8)}`,
        caller: networkAdminCaller(),
      });
      return club!.id;
    },
    async close() {
      await subscription.close();
      await service.stop();
      await bus.close();
      await db.close();
    },
  };
}

export type MemberServiceHarness = Awaited<ReturnType<typeof setupMemberService>>;

/** A principal holding `role` at `clubId` (home club too), as the gateway would pass it. */
export function principalWith(role: Role, clubId: string | null, userId: string = uuidv7()): Principal {
  return { userId, sessionId: uuidv7(), homeClubId: clubId, grants: [{ role, clubId }], source: 'clubland' };
}

/** The CallerContext message the gateway builds from a principal. */
export function callerOf(principal: Principal): CallerContext {
  return {
    $typeName: 'clubland.member.v1.CallerContext',
    userId: principal.userId,
    sessionId: principal.sessionId ?? '',
    homeClubId: principal.homeClubId ?? '',
    grants: principal.grants.map((grant) => ({
      $typeName: 'clubland.member.v1.CallerGrant',
      role: grant.role,
      clubId: grant.clubId ?? '',
    })),
    source: principal.source,
  };
}

/** A network administrator as the gateway would pass them: only they register clubs. */
export function networkAdminCaller(userId: string = uuidv7()): CallerContext {
  return callerOf(principalWith('NETWORK_ADMIN', null, userId));
}

/** Polls until `check` passes (events leave through the outbox relay asynchronously). */
export async function eventually(check: () => void, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
