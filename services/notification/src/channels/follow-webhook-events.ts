import { type Bus, idempotent, type Subscription } from '@clubland/bus';
import type { Db } from '@clubland/db';
import type { WebhookChannel } from './webhook-channel.ts';

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
 * in the club's transaction with the messages), and wakes the dispatcher after the commit. A club
 * without endpoints costs one indexed read per event.
 */
export function followWebhookEvents(
  db: Db,
  bus: Bus,
  channel: Pick<WebhookChannel, 'queue' | 'dispatcher'>,
  schema: string,
): Promise<Subscription> {
  const apply = idempotent({
    db,
    schema,
    consumer: CONSUMER,
    handle: async (tx, event) => {
      if (!event.tenantId) return;
      const queued = await channel.queue(tx, {
        clubId: event.tenantId,
        eventType: event.type,
        sourceEventId: event.id,
        occurredAt: new Date(event.occurredAt),
        data: event.data,
      });
      if (queued.length > 0) queuedFor.add(event.id);
    },
  });
  const queuedFor = new Set<string>();
  return bus.subscribe({
    consumer: CONSUMER,
    types: WEBHOOK_EVENT_TYPES,
    handler: async (event) => {
      if (!event.tenantId) return;
      try {
        await apply(event);
      } finally {
        if (queuedFor.delete(event.id)) channel.dispatcher.wake();
      }
    },
  });
}
