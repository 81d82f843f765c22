import { type Bus, createBatcher, type EventEnvelope, markProcessed, type Subscription } from '@clubland/bus';
import type { Db } from '@clubland/db';
import type { WebhookChannel } from './webhook-channel.ts';
import { createWebhookQueries } from './webhook-store.ts';

const CONSUMER = 'notification-webhooks';

/**
 * The facts a club's own systems may hear about, each about one club (the envelope's tenant):
 * its members, bookings, events, facilities, its own record, and the visits, letters and
 * agreements it is party to. Network-wide events (user.*, ledger.*) and notices to people are not
 * sent: they are not the club's.
 */
export const WEBHOOK_EVENT_TYPES = [
  'member.created',
  'member.updated',
  'member.status_changed',
  'member.erased',
  'booking.status_changed',
  'club_event.updated',
  'club_event.status_changed',
  'rsvp.status_changed',
  'facility.created',
  'facility.updated',
  'facility.deleted',
  'club.updated',
  'club.status_changed',
  'visit.status_changed',
  'letter.status_changed',
  'agreement.status_changed',
] as const;

/**
 * Queues each club event for the club's endpoints that want it, once per event (processed_events,
 * in the transaction with the messages), and wakes the dispatcher after the commit. The events that
 * arrive together are taken in one network transaction: one indexed read finds which of their clubs
 * have endpoints at all, and only those clubs' events are marked and queued; a burst of events of
 * clubs without endpoints (most clubs, and a front desk's every check-in) costs one read-only
 * transaction, not a written one per event.
 */
export function followWebhookEvents(
  db: Db,
  bus: Bus,
  channel: Pick<WebhookChannel, 'queue' | 'dispatcher'>,
  schema: string,
): Promise<Subscription> {
  const take = createBatcher<EventEnvelope & { tenantId: string }>({
    flush: async (events) => {
      const queued = await db.transaction(async (tx) => {
        const listening = await createWebhookQueries(tx).clubsWithEndpoints([
          ...new Set(events.map((event) => event.tenantId)),
        ]);
        const theirs = events.filter((event) => listening.has(event.tenantId));
        if (theirs.length === 0) return 0;
        const fresh = await markProcessed(
          tx,
          { schema, consumer: CONSUMER },
          theirs.map((event) => event.id),
        );
        let messages = 0;
        for (const event of theirs) {
          // A redelivered event, or one twice in this batch: queued once.
          if (!fresh.delete(event.id)) continue;
          const ids = await channel.queue(tx, {
            clubId: event.tenantId,
            eventType: event.type,
            sourceEventId: event.id,
            occurredAt: new Date(event.occurredAt),
            data: event.data,
          });
          messages += ids.length;
        }
        return messages;
      });
      if (queued > 0) channel.dispatcher.wake();
    },
  });
  return bus.subscribe({
    consumer: CONSUMER,
    types: WEBHOOK_EVENT_TYPES,
    // Handlers in flight, hence the largest batch: the events' order does not matter here (each is
    // a message of its own, signed with its own time).
    concurrency: 64,
    handler: async (event) => {
      const { tenantId } = event;
      if (!tenantId) return;
      await take({ ...event, tenantId });
    },
  });
}
