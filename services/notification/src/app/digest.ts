import type { Queryable } from '@clubland/db';
import type { EmailMessage } from '../channels/channel.ts';
import { LOOKUP_FALLBACKS } from '../domain/catalogue.ts';
import { type DigestItem, goesToDigest, renderDigest } from '../domain/digest.ts';
import type { NotificationCategory, NotificationPriority } from '../domain/notification.ts';
import { categoryOf, preferencesFromRow } from '../domain/preference-row.ts';
import { createUnsubscribeToken, unsubscribeUrl } from '../domain/unsubscribe-token.ts';
import type { ClaimedDelivery } from '../store/delivery-queries.ts';
import { createPreferenceQueries } from '../store/preference-queries.ts';
import type { NotificationDeps } from './deps.ts';

/**
 * The daily digest at delivery time. createNotifications planned a digest-bound email delivery
 * (domain/digest.ts goesToDigest: the person asked for a digest, LOW or NORMAL, not SECURITY) at
 * the person's next digest time, so everything gathered since the last one falls due at the same
 * instant. Here the due email deliveries that are digest-bound are taken out of a claimed batch and
 * grouped by person: each group is one email (renderDigest), and its deliveries share its outcome.
 */

/** The claimed email deliveries that go into a digest, by person; the rest go one by one. */
export async function digestGroups(
  db: Queryable,
  claimed: readonly ClaimedDelivery[],
): Promise<DigestGroups> {
  const emails = claimed.filter((delivery) => delivery.channel === 'EMAIL');
  const groups = new Map<string, ClaimedDelivery[]>();
  const timeZones = new Map<string, string>();
  const createdAt = new Map<string, Date>();
  const none = { groups, timeZones, createdAt };
  if (emails.length === 0) return none;
  const preferences = await createPreferenceQueries(db).ofMany([...new Set(emails.map((d) => d.userId))]);
  const wanting = emails.filter((delivery) => preferences.get(delivery.userId)?.digestEnabled);
  if (wanting.length === 0) return none;
  const { rows } = await db.query<{ id: string; priority: NotificationPriority; createdAt: Date }>(
    `SELECT id, priority, created_at AS "createdAt" FROM notification.notifications WHERE id = ANY ($1::uuid[])`,
    [[...new Set(wanting.map((d) => d.notificationId))]],
  );
  const priorities = new Map(rows.map((row) => [row.id, row.priority]));
  for (const row of rows) createdAt.set(row.id, new Date(row.createdAt));
  for (const delivery of wanting) {
    const row = preferences.get(delivery.userId)!;
    const category = categoryOf(delivery.category);
    const priority = priorities.get(delivery.notificationId);
    if (!category || !priority) continue;
    const prefs = preferencesFromRow(row);
    if (!goesToDigest(prefs, category, priority, 'EMAIL')) continue;
    groups.set(delivery.userId, [...(groups.get(delivery.userId) ?? []), delivery]);
    timeZones.set(delivery.userId, prefs.timeZone);
  }
  return none;
}

export interface DigestGroups {
  /** Per person, their digest-bound deliveries in this batch. */
  groups: Map<string, ClaimedDelivery[]>;
  timeZones: Map<string, string>;
  /** Per notification, when it was made (the digest lists it with that time). */
  createdAt: Map<string, Date>;
}

/** One person's digest email: their items by category, an ALL-categories unsubscribe link for email. */
export async function digestEmailOf(
  deliveries: readonly ClaimedDelivery[],
  to: string,
  timeZone: string,
  createdAt: ReadonlyMap<string, Date>,
  deps: Pick<NotificationDeps, 'publicUrl' | 'clubs' | 'unsubscribe'>,
  now: Date,
): Promise<EmailMessage> {
  const first = deliveries[0]!;
  const locale = first.locale;
  const brand = (await deps.clubs.brandOf(first.clubId)) ?? {
    clubName: LOOKUP_FALLBACKS.clubName![locale.startsWith('fr') ? 'fr' : 'en']!,
  };
  const link = deps.unsubscribe
    ? unsubscribeUrl(
        deps.unsubscribe.baseUrl,
        createUnsubscribeToken(
          { userId: first.userId, clubId: first.clubId, category: 'ALL', channel: 'EMAIL' },
          { now, secrets: deps.unsubscribe.secrets },
        ),
      )
    : null;
  const items: DigestItem[] = deliveries.map((delivery) => ({
    title: delivery.title,
    body: delivery.body,
    category: (categoryOf(delivery.category) ?? 'ANNOUNCEMENTS') as NotificationCategory,
    createdAt: createdAt.get(delivery.notificationId) ?? now,
  }));
  const rendered = renderDigest({
    locale,
    timeZone,
    brand,
    items,
    unsubscribeUrl: link,
    actionUrl: `${deps.publicUrl.replace(/\/$/, '')}/`,
  });
  if (!rendered.ok) throw new Error(`the digest could not be rendered: ${rendered.message}`);
  return {
    messageId: first.id,
    to,
    subject: rendered.value.subject,
    text: rendered.value.text,
    html: rendered.value.html,
    ...(link ? { unsubscribeUrl: link } : {}),
  };
}
