import {
  isNotificationCategory,
  isPersonalChannel,
  type NotificationCategory,
  type NotificationChannel,
  type NotificationPriority,
  type PersonalChannel,
} from './notification.ts';
import { DEFAULT_DIGEST_TIME, defaultPreferences, type NotificationPreferences } from './preferences.ts';
import { deliverAt } from './quiet-hours.ts';
import { isTimeZone, parseClockTime } from './zoned-time.ts';

/**
 * The bridge from the service's stored preference row (app/deps.ts PreferenceFacts in notif-core's
 * branch: the contract's flat fields, a `timezone`, and `mutedCategories` keyed by channel) to
 * the rules' NotificationPreferences, so the use cases keep their row and call these rules.
 */
export interface PreferenceRow {
  emailEnabled: boolean;
  smsEnabled: boolean;
  pushEnabled: boolean;
  inAppEnabled: boolean;
  quietHoursEnabled: boolean;
  quietHoursStart: string | null;
  quietHoursEnd: string | null;
  digestEnabled: boolean;
  /** HH:MM; absent in rows that do not store it yet: 08:00. */
  digestTime?: string | null;
  timezone: string;
  /** Per channel, the categories muted on it (the row's shape), in either vocabulary. */
  mutedCategories: Record<string, readonly string[]>;
}

/** The row categories' names (lower case, as the use cases write them) in the rules' words. */
const ROW_CATEGORIES: Readonly<Record<string, NotificationCategory>> = {
  security: 'SECURITY',
  account: 'ACCOUNT',
  membership: 'MEMBERSHIP',
  bookings: 'BOOKINGS',
  events: 'EVENTS',
  visits: 'RECIPROCAL',
  letters: 'RECIPROCAL',
  reciprocal: 'RECIPROCAL',
  agreements: 'CLUB_ADMIN',
  ledger: 'CLUB_ADMIN',
  club_admin: 'CLUB_ADMIN',
  announcements: 'ANNOUNCEMENTS',
};

/** A category name of either vocabulary ('bookings', 'BOOKINGS', 'visits') as the rules' category. */
export function categoryOf(name: string): NotificationCategory | null {
  if (isNotificationCategory(name)) return name;
  return ROW_CATEGORIES[name.toLowerCase()] ?? null;
}

export function preferencesFromRow(row: PreferenceRow): NotificationPreferences {
  const base = defaultPreferences(isTimeZone(row.timezone) ? row.timezone : 'UTC');
  const muted: Partial<Record<NotificationCategory, PersonalChannel[]>> = {};
  for (const [channel, categories] of Object.entries(row.mutedCategories)) {
    if (!isPersonalChannel(channel)) continue;
    for (const name of categories) {
      const category = categoryOf(name);
      if (!category) continue;
      const channels = muted[category] ?? [];
      if (!channels.includes(channel)) channels.push(channel);
      muted[category] = channels;
    }
  }
  const start =
    row.quietHoursStart && parseClockTime(row.quietHoursStart) !== null ? row.quietHoursStart : null;
  const end = row.quietHoursEnd && parseClockTime(row.quietHoursEnd) !== null ? row.quietHoursEnd : null;
  const digestTime =
    row.digestTime && parseClockTime(row.digestTime) !== null ? row.digestTime : DEFAULT_DIGEST_TIME;
  return {
    ...base,
    channels: {
      IN_APP: row.inAppEnabled,
      EMAIL: row.emailEnabled,
      SMS: row.smsEnabled,
      PUSH: row.pushEnabled,
    },
    mutedChannels: muted,
    quietHours: { enabled: row.quietHoursEnabled, start, end },
    digest: { enabled: row.digestEnabled, frequency: 'DAILY', time: digestTime },
  };
}

/**
 * The quiet-hours rule in the shape of notif-core's DeliverAt seam
 * (`deliverAt(at, preferences, priority, channel)`): pass it as the service's `deliverAt` option.
 */
export function deliverAtForRow(
  at: Date,
  row: PreferenceRow,
  priority: NotificationPriority,
  channel: NotificationChannel,
): Date {
  return deliverAt(at, preferencesFromRow(row), priority, channel);
}
