import type { NotificationChannel, NotificationPriority } from './notification.ts';
import type { NotificationPreferences } from './preferences.ts';
import { addDays, instantOf, localDateTime, parseClockTime } from './zoned-time.ts';

/**
 * Quiet hours: a window of the member's local day (22:00-07:00 crosses midnight; 13:00-14:00 does
 * not) during which their messages wait, never drop. Read in the member's zone at the instant the
 * message would go, so the window follows their clocks across DST changes: 07:00 is 06:00Z in
 * Paris in winter and 05:00Z in summer.
 */

/** The channels quiet hours hold back: the ones that buzz, ring or land in an inbox. */
export const QUIET_CHANNELS: ReadonlySet<NotificationChannel> = new Set(['EMAIL', 'SMS', 'PUSH']);

interface Window {
  start: number;
  end: number;
}

function windowOf(preferences: NotificationPreferences): Window | null {
  const { enabled, start, end } = preferences.quietHours;
  if (!enabled || start === null || end === null) return null;
  const startMinute = parseClockTime(start);
  const endMinute = parseClockTime(end);
  if (startMinute === null || endMinute === null || startMinute === endMinute) return null;
  return { start: startMinute, end: endMinute };
}

/**
 * When the quiet hours holding `at` end, or null when `at` is outside them (or the member has
 * none). An end time the clocks skip that night becomes the first instant after the gap.
 */
export function quietHoursEndAfter(at: Date, preferences: NotificationPreferences): Date | null {
  const window = windowOf(preferences);
  if (!window) return null;
  const local = localDateTime(at, preferences.timeZone);
  const crossesMidnight = window.start > window.end;
  let endDate: string;
  if (crossesMidnight) {
    if (local.minute >= window.start) endDate = addDays(local.date, 1);
    else if (local.minute < window.end) endDate = local.date;
    else return null;
  } else {
    if (local.minute < window.start || local.minute >= window.end) return null;
    endDate = local.date;
  }
  const end = instantOf({ date: endDate, minute: window.end }, preferences.timeZone);
  // Only a zone's own oddities (a skipped day) could put the end at or before `at`; never hold then.
  return end.getTime() > at.getTime() ? end : null;
}

export function isQuietAt(at: Date, preferences: NotificationPreferences): boolean {
  return quietHoursEndAfter(at, preferences) !== null;
}

/**
 * When a message of `priority` may go out to the member, asked at `now`: `now` itself, or the end
 * of the quiet hours `now` falls in. CRITICAL never waits. Give `channel` to apply the rule only
 * where it belongs (IN_APP and WEBHOOK are silent and never wait).
 */
export function deliverAt(
  now: Date,
  preferences: NotificationPreferences,
  priority: NotificationPriority = 'NORMAL',
  channel?: NotificationChannel,
): Date {
  if (priority === 'CRITICAL') return now;
  if (channel !== undefined && !QUIET_CHANNELS.has(channel)) return now;
  return quietHoursEndAfter(now, preferences) ?? now;
}
