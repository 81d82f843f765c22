import type { Principal, Role } from '@clubland/authz';
import { type Bus, createMemoryBus, type EventEnvelope } from '@clubland/bus';
import { userRegistered, userRoleGranted } from '@clubland/contract/events/auth';
import { bookingStatusChanged } from '@clubland/contract/events/booking';
import { memberCreated } from '@clubland/contract/events/member';
import { NotificationService as NotificationRpc } from '@clubland/contract/notification/v1';
import { migrate } from '@clubland/db';
import { createTestDb } from '@clubland/db/testing';
import { createLoopbackTransport, createRpcClient } from '@clubland/rpc';
import pino from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { eventually } from '../../member/test/setup.ts';
import type { EmailMessage, EmailSender, SendResult } from '../src/channels/channel.ts';
import { createNotificationService, type NotificationServiceOptions } from '../src/index.ts';

export { callerOf, eventually, principalWith } from '../../member/test/setup.ts';

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
    unsubscribeSecrets: ['notification-test-unsubscribe-key-0123456789abcdef'],
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
      // Once this service has taken them in (its consumer runs events in order): their membership
      // and their welcome.
      await eventually(async () => {
        const { rows } = await db.transaction((tx) =>
          tx.query<{ n: string }>(
            `SELECT count(*) AS n FROM notification.club_members m
               JOIN notification.notifications n ON n.user_id = m.user_id
              WHERE m.user_id = $1`,
            [userId],
          ),
        );
        if (rows[0]?.n === '0') throw new Error(`${userId} not taken in yet`);
      });
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

type BookingChange = Parameters<typeof bookingStatusChanged.build>[0]['data'];

/**
 * A booking.status_changed as the club service publishes it: Court 2 confirmed for tomorrow
 * (2026-12-08) 10:00-11:00 UTC, unless `changes` say otherwise.
 */
export function bookingEvent(
  clubId: string,
  memberUserId: string,
  changes: Partial<BookingChange> = {},
): EventEnvelope {
  return bookingStatusChanged.build({
    tenantId: clubId,
    correlationId: null,
    data: {
      bookingId: uuidv7(),
      clubId,
      facilityId: uuidv7(),
      facilityName: 'Court 2',
      facilityType: 'TENNIS_COURT',
      facilityCapacity: 1,
      memberId: uuidv7(),
      memberUserId,
      from: 'REQUESTED',
      to: 'CONFIRMED',
      reason: null,
      changedBy: uuidv7(),
      changedAt: '2026-12-07T12:00:00.000Z',
      startsAt: '2026-12-08T10:00:00.000Z',
      endsAt: '2026-12-08T11:00:00.000Z',
      guestCount: 0,
      totalCost: 0,
      currency: 'GBP',
      paymentStatus: 'PAID',
      checkedInAt: null,
      checkedOutAt: null,
      cancelledAt: null,
      createdAt: '2026-12-07T11:00:00.000Z',
      ...changes,
    },
  });
}
