import { create } from '@bufbuild/protobuf';
import { NotificationDraftSchema, type NotificationService } from '@clubland/contract/notification/v1';
import { isClubError } from '@clubland/errors';
import type { Logger } from '@clubland/log';
import type { Client } from '@connectrpc/connect';
import type { ClubActors } from './seed-reciprocal.ts';

/**
 * The notifications side of the demo network: each new club's administrator welcomes its members
 * with an announcement (in the app and by email, to the mail outbox), through the notification
 * service's own use case, as they would through the gateway's sendBulkNotifications. Everything
 * else the demo did (registrations, memberships, bookings, RSVPs, letters, visits, agreements)
 * reaches people as notices the service makes from those events by itself. Idempotent: only a
 * club created by this run is announced.
 */

export interface NotificationClients {
  notifications: Client<typeof NotificationService>;
}

export interface NotificationSeedOptions {
  clients: NotificationClients;
  /** By slug, every demo club. */
  clubs: ReadonlyMap<string, ClubActors>;
  /** Slugs of the clubs this run created. */
  newClubs: ReadonlySet<string>;
  /** By slug, the accounts of the club's members in standing to hear from it. */
  recipients: ReadonlyMap<string, readonly string[]>;
  log: Logger;
  /** How long to wait for the notification service to learn of the members (their events); default 30 s. */
  waitMs?: number;
}

export async function seedNotifications(
  options: NotificationSeedOptions,
): Promise<{ notifications: number }> {
  let notifications = 0;
  for (const [slug, actors] of options.clubs) {
    const userIds = options.recipients.get(slug) ?? [];
    if (!options.newClubs.has(slug) || userIds.length === 0) continue;
    const request = {
      caller: actors.admin,
      clubId: actors.clubId,
      userIds: [...userIds],
      draft: create(NotificationDraftSchema, {
        channel: 'EMAIL',
        priority: 'NORMAL',
        title: 'Welcome to the Clubland demo',
        body: 'Browse the clubs of the network, book a court, RSVP to an event, or ask for a letter of introduction.',
      }),
    };
    // The service learns who is a member from the member service's events, a moment after they
    // were written: a refusal until then is retried.
    const deadline = Date.now() + (options.waitMs ?? 30_000);
    for (;;) {
      try {
        const sent = await options.clients.notifications.sendBulkNotifications(request);
        notifications += sent.notifications.length;
        break;
      } catch (error) {
        if (!(isClubError(error) && error.code === 'request.forbidden') || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
  options.log.info({ notifications }, 'demo announcements sent');
  return { notifications };
}
