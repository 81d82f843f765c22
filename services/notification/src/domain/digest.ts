import { CATALOGUE_LOCALES, type CatalogueLocale, DEFAULT_LOCALE, DEFAULT_TEMPLATES } from './catalogue.ts';
import { type ClubBranding, type RenderedEmail, renderEmail } from './email-layout.ts';
import { formatMessage, pickLocale } from './message-format.ts';
import {
  MANDATORY_CATEGORIES,
  NOTIFICATION_CATEGORIES,
  type NotificationCategory,
  type NotificationChannel,
  type NotificationPriority,
} from './notification.ts';
import type { NotificationPreferences } from './preferences.ts';
import type { Checked } from './refusal.ts';
import { addDays, instantOf, localDateTime, parseClockTime } from './zoned-time.ts';

/**
 * The daily digest: a member who asks for it gets the day's ordinary emails as one message at the
 * time they chose, in their zone. Only email is gathered (in-app, push and SMS go as they come);
 * HIGH and CRITICAL messages and mandatory categories never wait for a digest.
 */

export function goesToDigest(
  preferences: NotificationPreferences,
  category: NotificationCategory,
  priority: NotificationPriority,
  channel: NotificationChannel,
): boolean {
  return (
    preferences.digest.enabled &&
    channel === 'EMAIL' &&
    (priority === 'LOW' || priority === 'NORMAL') &&
    !MANDATORY_CATEGORIES.has(category)
  );
}

/**
 * The first digest time strictly after `now` (the member's digest time, in their zone, DST-safe).
 * Every message gathered between two digest times gets the same instant: the caller sends, per
 * member, everything due at once as one digest.
 */
export function nextDigestAt(now: Date, preferences: NotificationPreferences): Date {
  const minute = parseClockTime(preferences.digest.time) ?? 8 * 60;
  const today = localDateTime(now, preferences.timeZone).date;
  for (const offset of [0, 1, 2]) {
    const candidate = instantOf({ date: addDays(today, offset), minute }, preferences.timeZone);
    if (candidate.getTime() > now.getTime()) return candidate;
  }
  // Unreachable for real zones (a day is never skipped twice); keep a day later as a bound.
  return new Date(now.getTime() + 86_400_000);
}

/** The latest digest time at or before `now` (the one a digest sent now answers for). */
export function lastDigestAt(now: Date, preferences: NotificationPreferences): Date {
  const minute = parseClockTime(preferences.digest.time) ?? 8 * 60;
  const today = localDateTime(now, preferences.timeZone).date;
  for (const offset of [0, -1, -2]) {
    const candidate = instantOf({ date: addDays(today, offset), minute }, preferences.timeZone);
    if (candidate.getTime() <= now.getTime()) return candidate;
  }
  return new Date(now.getTime() - 86_400_000);
}

/**
 * For a loop that keeps only when each member's last digest went: one is due when a digest time
 * has passed since then (never sent: the first digest time passed is due).
 */
export function isDigestDue(
  now: Date,
  lastSentAt: Date | null,
  preferences: NotificationPreferences,
): boolean {
  if (!preferences.digest.enabled) return false;
  return lastSentAt === null || lastSentAt.getTime() < lastDigestAt(now, preferences).getTime();
}

export interface DigestItem {
  title: string;
  body: string;
  category: NotificationCategory;
  /** ISO instant or Date: when the notification was made. */
  createdAt: string | Date;
}

/** At most this many items are written out; the rest are counted. */
export const DIGEST_MAX_ITEMS = 50;

const CATEGORY_LABELS: Readonly<Record<CatalogueLocale, Readonly<Record<NotificationCategory, string>>>> = {
  en: {
    SECURITY: 'Security',
    ACCOUNT: 'Your account',
    MEMBERSHIP: 'Membership',
    BOOKINGS: 'Bookings',
    EVENTS: 'Events',
    RECIPROCAL: 'Reciprocal visits',
    CLUB_ADMIN: 'Club administration',
    ANNOUNCEMENTS: 'Announcements',
  },
  fr: {
    SECURITY: 'Sécurité',
    ACCOUNT: 'Votre compte',
    MEMBERSHIP: 'Adhésion',
    BOOKINGS: 'Réservations',
    EVENTS: 'Événements',
    RECIPROCAL: 'Visites réciproques',
    CLUB_ADMIN: 'Administration du club',
    ANNOUNCEMENTS: 'Annonces',
  },
};

const MORE: Readonly<Record<CatalogueLocale, string>> = {
  en: '{count, plural, one {# more notification} other {# more notifications}} in the app.',
  fr: '{count, plural, one {# autre notification} other {# autres notifications}} dans l’application.',
};

export interface DigestRequest {
  locale: string | null;
  timeZone: string;
  brand: ClubBranding;
  items: readonly DigestItem[];
  /** The ALL-categories email unsubscribe link (unsubscribe-token.ts). */
  unsubscribeUrl?: string | null;
  /** The app's notifications page. */
  actionUrl?: string | null;
}

/** The digest email: a count in the subject, the items by category, oldest first, escaped like every email. */
export function renderDigest(request: DigestRequest): Checked<RenderedEmail> {
  const locale = pickLocale(request.locale, CATALOGUE_LOCALES, DEFAULT_LOCALE) as CatalogueLocale;
  const options = { locale, timeZone: request.timeZone };
  const template = DEFAULT_TEMPLATES.digest[locale];
  const values = { count: request.items.length, clubName: request.brand.clubName };
  const title = formatMessage(template.title, values, { ...options, field: 'digest.title' });
  if (!title.ok) return title;
  const intro = formatMessage(template.body, values, { ...options, field: 'digest.body' });
  if (!intro.ok) return intro;

  const time = new Intl.DateTimeFormat(locale, {
    timeZone: request.timeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  const ordered = [...request.items]
    .map((item) => ({ ...item, at: new Date(item.createdAt) }))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  const shown = ordered.slice(0, DIGEST_MAX_ITEMS);
  const paragraphs = [intro.value];
  for (const category of NOTIFICATION_CATEGORIES) {
    const items = shown.filter((item) => item.category === category);
    if (items.length === 0) continue;
    paragraphs.push(`— ${CATEGORY_LABELS[locale][category]} —`);
    for (const item of items) paragraphs.push(`${item.title} (${time.format(item.at)})\n${item.body.trim()}`);
  }
  if (ordered.length > shown.length) {
    const more = formatMessage(MORE[locale], { count: ordered.length - shown.length }, options);
    if (!more.ok) return more;
    paragraphs.push(more.value);
  }
  const actionLabel = { en: 'Open my notifications', fr: 'Ouvrir mes notifications' }[locale];
  return {
    ok: true,
    value: renderEmail(
      {
        locale,
        title: title.value,
        text: paragraphs.join('\n\n'),
        action: request.actionUrl ? { label: actionLabel, url: request.actionUrl } : null,
        unsubscribeUrl: request.unsubscribeUrl ?? null,
      },
      request.brand,
    ),
  };
}
