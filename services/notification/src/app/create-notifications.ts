import { addToOutbox } from '@clubland/bus';
import type { Tx } from '@clubland/db';
import { goesToDigest, nextDigestAt } from '../domain/digest.ts';
import { categoryOf, preferencesFromRow } from '../domain/preference-row.ts';
import { notificationCreatedEvent } from '../events/builders.ts';
import { createDeliveryQueries, type DeliveryChannel } from '../store/delivery-queries.ts';
import { createNotificationQueries, type NotificationRow } from '../store/notification-queries.ts';
import { createPreferenceQueries, DEFAULT_PREFERENCES } from '../store/preference-queries.ts';
import {
  type Channel,
  NOTIFICATION_SCHEMA,
  type NotificationDeps,
  type PreferenceFacts,
  type Priority,
  type UseCaseContext,
} from './deps.ts';

/** One notice for one person, before preferences and timing are applied. */
export interface Notice {
  clubId: string | null;
  userId: string;
  /** The domain event type that caused it, or `announcement`. */
  type: string;
  /** The preference category (bookings, events, visits, membership, agreements, account, announcements). */
  category: string;
  title: string;
  body: string;
  priority: Priority;
  /** The channels asked for; the person's preferences may drop some. */
  channels: readonly Channel[];
  /** The domain event it comes from: at most one notification per event and person. */
  sourceEventId: string | null;
  sentBy: string | null;
  templateId?: string | null;
  templateData?: Record<string, unknown> | null;
  scheduledFor?: Date | null;
  expiresAt?: Date | null;
}

/**
 * The channels a person accepts for a notice: those enabled and whose category they have not
 * muted on it. CRITICAL notices go by every channel asked for.
 */
export function acceptedChannels(notice: Notice, preferences: PreferenceFacts): Channel[] {
  if (notice.priority === 'CRITICAL') return [...notice.channels];
  const enabled: Record<Channel, boolean> = {
    IN_APP: preferences.inAppEnabled,
    EMAIL: preferences.emailEnabled,
    SMS: preferences.smsEnabled,
    PUSH: preferences.pushEnabled,
    WEBHOOK: true,
  };
  // Muted names in either vocabulary ('visits' and 'reciprocal' alike); security is never muted.
  const category = categoryOf(notice.category);
  const muted = (channel: Channel) =>
    category !== 'SECURITY' &&
    (preferences.mutedCategories[channel] ?? []).some(
      (name) => name === notice.category || (category !== null && categoryOf(name) === category),
    );
  return notice.channels.filter((channel) => enabled[channel] && !muted(channel));
}

/**
 * Stores notices in `tx`, the transaction of the caller's change (a consumed event's marker, an
 * admin's send), with their deliveries and, for those in the inbox at once, notification.created in
 * the outbox: all or nothing. A notice whose (source event, person) exists already is skipped.
 * Returns the notifications written.
 */
export async function createNotifications(
  tx: Tx,
  deps: Pick<NotificationDeps, 'deliverAt' | 'channels'>,
  context: Pick<UseCaseContext, 'clock' | 'newId' | 'correlationId'>,
  notices: readonly Notice[],
): Promise<NotificationRow[]> {
  if (notices.length === 0) return [];
  const now = context.clock();
  const preferences = await createPreferenceQueries(tx).ofMany([...new Set(notices.map((n) => n.userId))]);
  const rows: NotificationRow[] = [];
  const deliveries: { row: NotificationRow; channel: DeliveryChannel; at: Date }[] = [];
  for (const notice of notices) {
    const prefs = preferences.get(notice.userId) ?? DEFAULT_PREFERENCES;
    const channels = acceptedChannels(notice, prefs);
    const requested = notice.scheduledFor && notice.scheduledFor > now ? notice.scheduledFor : now;
    // A scheduled send waits for its time on every channel; quiet hours hold only the channels
    // the rule says (deliverAt per channel: the in-app inbox is silent and never waits).
    const later = requested > now;
    const inApp = channels.includes('IN_APP');
    const row: NotificationRow = {
      id: context.newId(),
      clubId: notice.clubId,
      userId: notice.userId,
      type: notice.type,
      category: notice.category,
      channel: channels[0] ?? notice.channels[0] ?? 'IN_APP',
      channels: channels.length > 0 ? channels : [...notice.channels],
      priority: notice.priority,
      // No channel the person accepts: kept (the sender sees it), delivered nowhere.
      status: channels.length === 0 ? 'FAILED' : inApp && !later ? 'DELIVERED' : 'PENDING',
      title: notice.title,
      body: notice.body,
      templateId: notice.templateId ?? null,
      templateData: notice.templateData ?? null,
      sourceEventId: notice.sourceEventId,
      sentBy: notice.sentBy,
      scheduledFor: later ? requested : null,
      expiresAt: notice.expiresAt ?? null,
      sentAt: inApp && !later ? now : null,
      deliveredAt: inApp && !later ? now : null,
      readAt: null,
      createdAt: now,
      updatedAt: now,
    };
    rows.push(row);
    // A notice of the system's own (from a domain event) goes only by the channels this instance
    // has a sender for: no SMS or push provider configured, no SMS or push deliveries failing one by
    // one. A person's explicit send on such a channel fails with that reason, for its sender to see.
    const others = channels.filter(
      (channel): channel is DeliveryChannel =>
        channel !== 'IN_APP' && (notice.sentBy !== null || hasSender(deps.channels, channel)),
    );
    const category = categoryOf(notice.category);
    for (const channel of others) {
      // A digest-bound email waits for the person's next digest time (which itself waits out quiet
      // hours); the delivery loop sends everything due then as one digest.
      const rules = prefs.digestEnabled && category ? preferencesFromRow(prefs) : null;
      const quietEnd =
        rules && category && goesToDigest(rules, category, notice.priority, channel)
          ? nextDigestAt(requested, rules)
          : deps.deliverAt(requested, prefs, notice.priority, channel);
      const at = new Date(Math.max(quietEnd.getTime(), requested.getTime()));
      deliveries.push({ row, channel, at });
    }
  }
  const inserted = await createNotificationQueries(tx).insert(rows);
  const written = new Set(inserted.map((row) => row.id));
  await createDeliveryQueries(tx).insert(
    deliveries
      .filter(({ row }) => written.has(row.id))
      .map(({ row, channel, at }) => ({
        id: context.newId(),
        notificationId: row.id,
        clubId: row.clubId,
        userId: row.userId,
        channel,
        nextAttemptAt: at,
        now,
      })),
  );
  const events = inserted
    .filter((row) => row.status === 'DELIVERED')
    .map((row) => notificationCreatedEvent(row, context));
  for (let start = 0; start < events.length; start += 5_000)
    await addToOutbox(tx, NOTIFICATION_SCHEMA, events.slice(start, start + 5_000));
  return inserted;
}

function hasSender(senders: NotificationDeps['channels'], channel: DeliveryChannel): boolean {
  if (channel === 'EMAIL') return senders.email !== undefined;
  if (channel === 'SMS') return senders.sms !== undefined;
  if (channel === 'PUSH') return senders.push !== undefined;
  return true;
}
