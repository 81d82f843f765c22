import {
  isNotificationCategory,
  isPersonalChannel,
  MANDATORY_CATEGORIES,
  type NotificationCategory,
  type NotificationChannel,
  PERSONAL_CHANNELS,
  type PersonalChannel,
} from './notification.ts';
import { type Checked, refuseInput } from './refusal.ts';
import { isTimeZone, parseClockTime } from './zoned-time.ts';

/**
 * A member's notification preferences: each channel on or off (the contract's emailEnabled,
 * smsEnabled, pushEnabled, inAppEnabled), each category's channels muted one by one (what an
 * unsubscribe link does), quiet hours in the member's own time zone, and a daily digest.
 */
export interface QuietHours {
  enabled: boolean;
  /** HH:MM local; the window may cross midnight (22:00-07:00). Null until set. */
  start: string | null;
  end: string | null;
}

export const DIGEST_FREQUENCIES = ['DAILY'] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];

export interface DigestSettings {
  enabled: boolean;
  frequency: DigestFrequency;
  /** HH:MM local: when the day's digest goes out. */
  time: string;
}

export interface NotificationPreferences {
  channels: Record<PersonalChannel, boolean>;
  /** Per category, the channels the member turned off for it (absent: all on). */
  mutedChannels: Partial<Record<NotificationCategory, PersonalChannel[]>>;
  quietHours: QuietHours;
  /** IANA zone that quiet hours and the digest's time are read in. */
  timeZone: string;
  digest: DigestSettings;
}

export const DEFAULT_DIGEST_TIME = '08:00';

/** What a member has before choosing anything: every channel on, no quiet hours, no digest. */
export function defaultPreferences(timeZone = 'UTC'): NotificationPreferences {
  return {
    channels: { IN_APP: true, EMAIL: true, SMS: true, PUSH: true },
    mutedChannels: {},
    quietHours: { enabled: false, start: null, end: null },
    timeZone: isTimeZone(timeZone) ? timeZone : 'UTC',
    digest: { enabled: false, frequency: 'DAILY', time: DEFAULT_DIGEST_TIME },
  };
}

/**
 * The contract's UpdateNotificationPreferenceInput, plus what it lacks: the member's time zone,
 * the digest's time, and per-category switches.
 */
export interface PreferenceUpdate {
  emailEnabled?: boolean | null;
  smsEnabled?: boolean | null;
  pushEnabled?: boolean | null;
  inAppEnabled?: boolean | null;
  quietHoursEnabled?: boolean | null;
  quietHoursStart?: string | null;
  quietHoursEnd?: string | null;
  digestEnabled?: boolean | null;
  digestFrequency?: string | null;
  digestTime?: string | null;
  timeZone?: string | null;
  categories?: readonly { category: string; channel: string; enabled: boolean }[] | null;
}

/**
 * `current` with `update` applied, or the first bad field (nothing applied). Absent and null
 * fields keep their value, as GraphQL clients send them; quiet hours can only be on with a start
 * and an end that differ.
 */
export function applyPreferenceUpdate(
  current: NotificationPreferences,
  update: PreferenceUpdate,
): Checked<NotificationPreferences> {
  const next: NotificationPreferences = structuredClone(current);
  const flags = [
    ['emailEnabled', 'EMAIL'],
    ['smsEnabled', 'SMS'],
    ['pushEnabled', 'PUSH'],
    ['inAppEnabled', 'IN_APP'],
  ] as const;
  for (const [field, channel] of flags) {
    const value = update[field];
    if (value != null) next.channels[channel] = value;
  }

  for (const field of ['quietHoursStart', 'quietHoursEnd'] as const) {
    const value = update[field];
    if (value == null) continue;
    if (parseClockTime(value) === null) return refuseInput(`input.${field}`, 'must be HH:MM (00:00-23:59)');
    next.quietHours[field === 'quietHoursStart' ? 'start' : 'end'] = value;
  }
  if (update.quietHoursEnabled != null) next.quietHours.enabled = update.quietHoursEnabled;
  if (next.quietHours.enabled) {
    const { start, end } = next.quietHours;
    if (start === null || end === null) {
      return refuseInput('input.quietHoursEnabled', 'quiet hours need a start and an end');
    }
    if (start === end) return refuseInput('input.quietHoursEnd', 'quiet hours must end at another time');
  }

  if (update.digestFrequency != null) {
    const frequency = update.digestFrequency.trim().toUpperCase();
    if (!(DIGEST_FREQUENCIES as readonly string[]).includes(frequency)) {
      return refuseInput('input.digestFrequency', `must be one of ${DIGEST_FREQUENCIES.join(', ')}`);
    }
    next.digest.frequency = frequency as DigestFrequency;
  }
  if (update.digestTime != null) {
    if (parseClockTime(update.digestTime) === null) {
      return refuseInput('input.digestTime', 'must be HH:MM (00:00-23:59)');
    }
    next.digest.time = update.digestTime;
  }
  if (update.digestEnabled != null) next.digest.enabled = update.digestEnabled;

  if (update.timeZone != null) {
    if (!isTimeZone(update.timeZone)) {
      return refuseInput('input.timeZone', 'must be an IANA time zone, e.g. Europe/Paris');
    }
    next.timeZone = update.timeZone;
  }

  for (const [index, switchOf] of (update.categories ?? []).entries()) {
    const field = `input.categories.${index}`;
    if (!isNotificationCategory(switchOf.category))
      return refuseInput(`${field}.category`, 'unknown category');
    if (!isPersonalChannel(switchOf.channel)) return refuseInput(`${field}.channel`, 'unknown channel');
    if (MANDATORY_CATEGORIES.has(switchOf.category) && !switchOf.enabled) {
      return refuseInput(`${field}.category`, `${switchOf.category} messages cannot be turned off`);
    }
    next.mutedChannels = setMuted(next.mutedChannels, switchOf.category, switchOf.channel, !switchOf.enabled);
  }
  return { ok: true, value: next };
}

/**
 * Whether the member wants `category` on `channel` at all (quiet hours and digests only move it
 * in time). Mandatory categories always go; WEBHOOK is a club's, never a member's, choice.
 */
export function wantsChannel(
  preferences: NotificationPreferences,
  category: NotificationCategory,
  channel: NotificationChannel,
): boolean {
  if (channel === 'WEBHOOK') return true;
  if (MANDATORY_CATEGORIES.has(category)) return true;
  if (!preferences.channels[channel]) return false;
  return !(preferences.mutedChannels[category] ?? []).includes(channel);
}

/**
 * What an unsubscribe link does: mutes one category on one channel, or with 'ALL' (a digest's
 * link, which spans categories) turns the channel off. Security messages still go; a link naming
 * a mandatory category is refused.
 */
export function unsubscribe(
  preferences: NotificationPreferences,
  category: NotificationCategory | 'ALL',
  channel: PersonalChannel,
): Checked<NotificationPreferences> {
  if (category === 'ALL') {
    return { ok: true, value: { ...preferences, channels: { ...preferences.channels, [channel]: false } } };
  }
  if (MANDATORY_CATEGORIES.has(category)) {
    return refuseInput('token', `${category} messages cannot be unsubscribed from`);
  }
  return {
    ok: true,
    value: { ...preferences, mutedChannels: setMuted(preferences.mutedChannels, category, channel, true) },
  };
}

function setMuted(
  muted: NotificationPreferences['mutedChannels'],
  category: NotificationCategory,
  channel: PersonalChannel,
  isMuted: boolean,
): NotificationPreferences['mutedChannels'] {
  const others = (muted[category] ?? []).filter((c) => c !== channel);
  const channels = PERSONAL_CHANNELS.filter((c) => (c === channel ? isMuted : others.includes(c)));
  const next = { ...muted };
  if (channels.length === 0) delete next[category];
  else next[category] = channels;
  return next;
}

/** The contract's NotificationPreference fields (besides ids and times) for `preferences`. */
export function toContractPreference(preferences: NotificationPreferences) {
  return {
    emailEnabled: preferences.channels.EMAIL,
    smsEnabled: preferences.channels.SMS,
    pushEnabled: preferences.channels.PUSH,
    inAppEnabled: preferences.channels.IN_APP,
    quietHoursEnabled: preferences.quietHours.enabled,
    quietHoursStart: preferences.quietHours.start,
    quietHoursEnd: preferences.quietHours.end,
    digestEnabled: preferences.digest.enabled,
    digestFrequency: preferences.digest.enabled ? preferences.digest.frequency : null,
  };
}
