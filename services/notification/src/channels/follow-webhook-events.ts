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
 * arrive together are taken at once: one read-only network transaction finds which of their clubs
 * have endpoints at all, then each of those clubs' events are marked and queued in that club's own
 * transaction (row-level security scopes its endpoints and messages). A burst of events of clubs
 * without endpoints (most clubs, and a front desk's every check-in) costs the one read, not a
 * written transaction per event.
 */
export function followWebhookEvents(
  db: Db,
  bus: Bus,
  channel: Pick<WebhookChannel, 'queue' | 'dispatcher'>,
  schema: string,
): Promise<Subscription> {
  const take = createBatcher<ClubEvent>({
    flush: async (events) => {
      const listening = await db.readAtOnce(null, (tx) =>
        createWebhookQueries(tx).clubsWithEndpoints([...new Set(events.map((event) => event.clubId))]),
      );
      const byClub = Map.groupBy(
        events.filter((event) => listening.has(event.clubId)),
        (event) => event.clubId,
      );
      const queued = await Promise.all(
        [...byClub].map(([clubId, theirs]) =>
          db.withTenant(clubId, async (tx) => {
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
                clubId,
                eventType: event.type,
                sourceEventId: event.id,
                occurredAt: new Date(event.occurredAt),
                data: event.data,
              });
              messages += ids.length;
            }
            return messages;
          }),
        ),
      );
      if (queued.some((messages) => messages > 0)) channel.dispatcher.wake();
    },
  });
  return bus.subscribe({
    consumer: CONSUMER,
    types: WEBHOOK_EVENT_TYPES,
    // Handlers in flight, hence the largest batch: the events' order does not matter here (each is
    // a message of its own, signed with its own time).
    concurrency: 64,
    handler: async (event) => {
      if (!event.tenantId) return;
      // Ids as the database writes them (lower case), so that what it answers matches.
      await take({ ...event, id: event.id.toLowerCase(), clubId: event.tenantId.toLowerCase() });
    },
  });
}

type ClubEvent = EventEnvelope & { clubId: string };
