import type { Principal, Role } from '@clubland/authz';
import { type Bus, createMemoryBus, type EventEnvelope } from '@clubland/bus';
import { userRegistered, userRoleGranted } from '@clubland/contract/events/auth';
import { memberCreated } from '@clubland/contract/events/member';
import { NotificationService as NotificationRpc } from '@clubland/contract/notification/v1';
import { migrate } from '@clubland/db';
import { createTestDb } from '@clubland/db/testing';
import { createLoopbackTransport, createRpcClient } from '@clubland/rpc';
import pino from 'pino';
import { v7 as uuidv7 } from 'uuid';
import type { EmailMessage, EmailSender, SendResult } from '../src/channels/channel.ts';
import { createNotificationService, type NotificationServiceOptions } from '../src/index.ts';

export { callerOf, eventually } from '../../member/test/setup.ts';

/**
 * A FAKE email sender (the SMTP channel is tested against a real SMTP server in its own tests):
 * it records what it is given and answers with what the test queued (a result or an error).
 */
export function recordingEmailSender() {
  const sent: EmailMessage[] = [];
  const outcomes: (Error | SendResult)[] = [];
  const sender: EmailSender = {
    async send(message) {
      const outcome = outcomes.shift() ?? { providerMessageId: `fake-${sent.length + 1}` };
      if (outcome instanceof Error) throw outcome;
      sent.push(message);
      return outcome;
    },
  };
  return { sender, sent, outcomes };
}

/**
 * The notification service on a fresh database (PGlite, or a new PostgreSQL database when
 * DATABASE_URL is set) and the in-process bus, with a real RPC client over the in-memory
 * transport. Other services are represented by their events, published on the bus as they
 * publish them. The delivery loop is not started: tests run its passes (`deliverNow`) with the
 * clock they set.
 */
export async function setupNotificationService(options: Partial<NotificationServiceOptions> = {}) {
  const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
  const db = await createTestDb();
  const bus: Bus = createMemoryBus();
  let now = new Date('2026-12-07T12:00:00.000Z');
  const clock = () => now;
  const email = recordingEmailSender();
  const service = await createNotificationService({
    db,
    bus,
    log,
    channels: { email: email.sender },
    publicUrl: 'http://localhost:8080',
    outboxPollIntervalMs: 50,
    clock,
    delivery: { retryDelayMs: () => 60_000, maxAttempts: 3, pollIntervalMs: 3_600_000 },
    ...options,
  });
  await migrate(db, { schema: service.schema, migrations: service.migrations });
  await service.start();
  // The loop's timer runs hourly here; tests call deliverNow() at the instants they choose.
  await service.deliveryLoop.stop();

  const published: EventEnvelope[] = [];
  const observer = await bus.subscribe({
    consumer: 'notification-test-observer',
    types: ['notification.*'],
    handler: async (event) => {
      published.push(event);
    },
  });
  const client = createRpcClient(NotificationRpc, createLoopbackTransport(service.register, log));

  /** Publishes an event as its owning service would (at least once: `times` deliveries of the same envelope). */
  async function publish(event: EventEnvelope, times = 1): Promise<void> {
    for (let i = 0; i < times; i++) await bus.publish([event]);
  }

  return {
    db,
    bus,
    service,
    client,
    published,
    email,
    publish,
    now: () => now,
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
    deliverNow: () => service.deliveryLoop.runOnce(),
    /** A club with nothing but an id: this service knows clubs only by the events naming them. */
    newClub: () => uuidv7(),
    /**
     * A person registered (user.registered) with a member record at `clubId` (member.created) and
     * `role` there (user.role_granted): what the auth and member services announce.
     */
    async person(
      clubId: string,
      role: Role = 'MEMBER',
      email = `${uuidv7()}@example.test`,
    ): Promise<Principal> {
      const userId = uuidv7();
      await publish(
        userRegistered.build({
          tenantId: clubId,
          correlationId: null,
          data: {
            userId,
            clubId,
            email,
            username: null,
            firstName: 'Ada',
            lastName: 'Lovelace',
            status: 'ACTIVE',
          },
        }),
      );
      await publish(
        memberCreated.build({
          tenantId: clubId,
          correlationId: null,
          data: {
            memberId: uuidv7(),
            clubId,
            memberNumber: 'M-1',
            membershipType: 'FULL',
            status: 'ACTIVE',
            userId,
          },
        }),
      );
      if (role !== 'MEMBER')
        await publish(
          userRoleGranted.build({
            tenantId: clubId,
            correlationId: null,
            data: { userId, role, clubId, grantedBy: null },
          }),
        );
      return {
        userId,
        sessionId: uuidv7(),
        homeClubId: clubId,
        grants: [{ role, clubId }],
        source: 'clubland',
      };
    },
    async close() {
      await observer.close();
      await service.stop();
      await bus.close();
      await db.close();
    },
  };
}

export type NotificationHarness = Awaited<ReturnType<typeof setupNotificationService>>;
