import { type Bus, createMemoryBus, type EventEnvelope } from '@clubland/bus';
import { migrate } from '@clubland/db';
import { createTestDb, type TestDb } from '@clubland/db/testing';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followWebhookEvents } from '../src/channels/follow-webhook-events.ts';
import { createWebhookChannel, type WebhookChannel } from '../src/channels/webhook-channel.ts';
import { registerWebhookEndpoint } from '../src/channels/webhooks.ts';
import { notificationMigrations } from '../src/index.ts';
import { eventually, principalWith } from './setup.ts';

/**
 * The webhook follower as the service runs it, on the bus and the database: events that arrive
 * together are taken in one transaction, and only the events of clubs with endpoints leave a trace.
 */
describe('following club events for webhooks', () => {
  let db: TestDb;
  let bus: Bus;
  let channel: WebhookChannel;
  const listening = uuidv7();
  const quiet = uuidv7();
  const admin = principalWith('CLUB_ADMIN', listening);
  const clock = () => new Date('2030-04-01T08:00:00Z');
  const event = (clubId: string, type: string): EventEnvelope => ({
    id: uuidv7(),
    type,
    version: 1,
    occurredAt: clock().toISOString(),
    tenantId: clubId,
    correlationId: null,
    data: { clubId, n: 1 },
  });

  beforeAll(async () => {
    db = await createTestDb();
    await migrate(db, { schema: 'notification', migrations: await notificationMigrations() });
    bus = createMemoryBus();
    channel = createWebhookChannel({
      db,
      config: { WEBHOOK_ALLOW_LOCAL_ENDPOINTS: true },
      clock,
      newId: uuidv7,
    });
    await registerWebhookEndpoint(channel.deps, admin, {
      clubId: listening,
      url: 'http://127.0.0.1:9/hook',
      eventTypes: ['member.created'],
    });
    await followWebhookEvents(db, bus, channel, 'notification');
  });
  afterAll(async () => {
    await bus?.close();
    await db?.close();
  });

  const traces = () =>
    db.asOwner(async (tx) => ({
      messages: (
        await tx.query<{ clubId: string; sourceEventId: string }>(
          `SELECT club_id AS "clubId", source_event_id AS "sourceEventId" FROM notification.webhook_messages`,
        )
      ).rows,
      marked: (
        await tx.query<{ eventId: string }>(
          `SELECT event_id AS "eventId" FROM notification.processed_events WHERE consumer = 'notification-webhooks'`,
        )
      ).rows.map((row) => row.eventId),
    }));

  it("queues one message per event for a club's endpoints, and marks nothing of a club without any", async () => {
    const wanted = event(listening, 'member.created');
    const unwanted = event(listening, 'member.updated');
    const others = [event(quiet, 'member.created'), event(quiet, 'visit.status_changed')];
    // One burst, the wanted event twice in it (delivered at least once), then once more later.
    await bus.publish([wanted, others[0]!, wanted, unwanted, others[1]!]);
    await eventually(async () => expect((await traces()).messages).toHaveLength(1));
    await bus.publish([wanted]);
    const seen = event(listening, 'member.created');
    await bus.publish([seen]);
    await eventually(async () => expect((await traces()).messages).toHaveLength(2));

    const { messages, marked } = await traces();
    expect(messages.map((message) => message.sourceEventId).sort()).toEqual([wanted.id, seen.id].sort());
    expect(messages.every((message) => message.clubId === listening)).toBe(true);
    // The listening club's events are marked (the type its endpoint does not want as well); the
    // quiet club's are not: a club without endpoints costs no write.
    expect(marked.sort()).toEqual([wanted.id, unwanted.id, seen.id].sort());
  });
});
