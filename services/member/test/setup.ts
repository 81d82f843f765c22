import { createMemoryBus, type EventEnvelope } from '@clubland/bus';
import { ClubRegistryService } from '@clubland/contract/member/v1';
import { migrate } from '@clubland/db';
import { createTestDb } from '@clubland/db/testing';
import { createInMemoryTransport, createRpcClient } from '@clubland/rpc';
import pino from 'pino';
import { createMemberService } from '../src/index.ts';

/**
 * The member service on a fresh database (PGlite, or a new PostgreSQL database when
 * DATABASE_URL is set), the in-process bus, and a real RPC client over the in-memory transport.
 * `published` collects every event the outbox relay delivers.
 */
export async function setupMemberService() {
  const log = pino({ level: 'silent' });
  const db = await createTestDb();
  const bus = createMemoryBus();
  const service = await createMemberService({ db, bus, log, outboxPollIntervalMs: 50 });
  await migrate(db, { schema: service.schema, migrations: service.migrations });
  await service.start();

  const published: EventEnvelope[] = [];
  const subscription = await bus.subscribe({
    consumer: 'member-test-observer',
    types: ['club.*'],
    handler: async (event) => {
      published.push(event);
    },
  });

  const transport = createInMemoryTransport(service.register, log);
  return {
    db,
    bus,
    service,
    published,
    clubRegistry: createRpcClient(ClubRegistryService, transport),
    async close() {
      await subscription.close();
      await service.stop();
      await bus.close();
      await db.close();
    },
  };
}

export type MemberServiceHarness = Awaited<ReturnType<typeof setupMemberService>>;
