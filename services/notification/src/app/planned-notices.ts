import type { Tx } from '@clubland/db';
import type { ClubBranding } from '../domain/email-layout.ts';
import type { NotificationPlan } from '../domain/event-rules.ts';
import { renderNotification } from '../domain/render-notification.ts';
import { isTimeZone } from '../domain/zoned-time.ts';
import { createPreferenceQueries } from '../store/preference-queries.ts';
import { createRecipientQueries } from '../store/recipient-queries.ts';
import type { ClubBrands } from './club-brands.ts';
import type { Notice } from './create-notifications.ts';
import type { Channel } from './deps.ts';

/**
 * The domain's plans for one event (domain/event-rules.ts) as stored notices: each audience
 * resolved to people from this service's read models, each text rendered from the catalogue in the
 * person's locale and time zone with the club's name (domain/render-notification.ts).
 */

/** The clubs a plan names (its own and `otherClubName`), asked before the event's transaction. */
export async function brandsFor(
  plans: readonly NotificationPlan[],
  clubs: ClubBrands,
): Promise<Map<string, ClubBranding | null>> {
  const ids = new Set<string>();
  for (const plan of plans) {
    ids.add(plan.clubId);
    if (plan.lookups.otherClubName) ids.add(plan.lookups.otherClubName);
  }
  const brands = new Map<string, ClubBranding | null>();
  await Promise.all([...ids].map(async (id) => brands.set(id, await clubs.brandOf(id))));
  return brands;
}

const PERSONAL: readonly Channel[] = ['IN_APP', 'EMAIL', 'PUSH'];

/** Which channels a plan asks for; the person's preferences and quiet hours decide the rest. */
function channelsOf(plan: NotificationPlan): readonly Channel[] {
  // The auth service writes to the person about their account itself (verification at
  // registration): a new membership or role is told in the app only.
  if (plan.templateKey === 'user.role_granted' || plan.templateKey === 'member.created') return ['IN_APP'];
  // Club business for its administrators: the inbox and their mail, not their phone.
  if (plan.audience.kind === 'club_admins' || plan.audience.kind === 'every_club_admins')
    return ['IN_APP', 'EMAIL'];
  if (plan.templateKey === 'visit.status_changed' && plan.values.to === 'CHECKED_IN')
    return ['IN_APP', 'PUSH'];
  return PERSONAL;
}

async function audienceOf(tx: Tx, plan: NotificationPlan): Promise<string[]> {
  const audience = plan.audience;
  switch (audience.kind) {
    case 'user':
      return [audience.userId];
    case 'club_admins':
      return (await createRecipientQueries(tx).adminsOf([audience.clubId])).map((a) => a.userId);
    case 'every_club_admins':
      return createRecipientQueries(tx).everyClubAdmin();
    case 'club_members': {
      const { rows } = await tx.query<{ userId: string }>(
        `SELECT DISTINCT user_id AS "userId" FROM notification.club_members
          WHERE club_id = $1 AND status = 'ACTIVE' AND user_id IS NOT NULL`,
        [audience.clubId],
      );
      return rows.map((row) => row.userId);
    }
    case 'event_attendees':
      // This service keeps no RSVP list yet: the attendees hear of a cancellation from their RSVP's
      // own cancellation (rsvp.status_changed) when the club service cancels them.
      return [];
  }
}

/** Locale and time zone of each person: their recipient row, their preferences; else en and UTC. */
async function readersOf(tx: Tx, userIds: readonly string[]) {
  const { rows } = await tx.query<{ userId: string; locale: string }>(
    `SELECT user_id AS "userId", locale FROM notification.recipients WHERE user_id = ANY ($1::uuid[])`,
    [userIds],
  );
  const locales = new Map(rows.map((row) => [row.userId, row.locale]));
  const preferences = await createPreferenceQueries(tx).ofMany(userIds);
  return (userId: string) => {
    const zone = preferences.get(userId)?.timezone ?? 'UTC';
    return { locale: locales.get(userId) ?? 'en', timeZone: isTimeZone(zone) ? zone : 'UTC' };
  };
}

export async function noticesFromPlans(
  tx: Tx,
  eventType: string,
  plans: readonly NotificationPlan[],
  brands: ReadonlyMap<string, ClubBranding | null>,
  warn: (message: string, detail: Record<string, unknown>) => void,
): Promise<Notice[]> {
  const notices: Notice[] = [];
  for (const plan of plans) {
    const people = [...new Set(await audienceOf(tx, plan))];
    if (people.length === 0) continue;
    const readerOf = await readersOf(tx, people);
    const brand = brands.get(plan.clubId) ?? { clubName: '' };
    const other = plan.lookups.otherClubName ? brands.get(plan.lookups.otherClubName) : null;
    const values = { ...plan.values, ...(other ? { otherClubName: other.clubName } : {}) };
    // One rendering per (locale, time zone), however many people share it: a club-wide fan-out
    // renders a handful of times.
    const rendered = new Map<string, { title: string; body: string } | null>();
    for (const userId of people) {
      const { locale, timeZone } = readerOf(userId);
      const key = `${locale}|${timeZone}`;
      if (!rendered.has(key)) {
        const result = renderNotification({ templateKey: plan.templateKey, locale, timeZone, values, brand });
        if (!result.ok) warn('a notification could not be rendered; not sent', { plan, refusal: result });
        rendered.set(key, result.ok ? { title: result.value.title, body: result.value.body } : null);
      }
      const text = rendered.get(key);
      if (!text) continue;
      notices.push({
        clubId: plan.clubId,
        userId,
        type: eventType,
        category: plan.category.toLowerCase(),
        title: text.title,
        body: text.body,
        priority: plan.priority,
        channels: channelsOf(plan),
        sourceEventId: plan.sourceEventId,
        sentBy: null,
        templateData: { templateKey: plan.templateKey, values: plan.values },
      });
    }
  }
  return notices;
}
