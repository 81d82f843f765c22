/**
 * Local calendar months, pure. A club's figures are bucketed by the months its own clocks show
 * (its IANA time zone, Europe/London, Australia/Sydney): a visit at 09:00 on 1 March in Sydney is
 * 22:00 on 28 February in UTC, and the club manager counts it in March. The network as a whole has
 * no clocks of its own and uses UTC. Converting with the zone's rules (Intl), so months whose
 * first day falls beside a clock change keep their local midnight.
 */

export const NETWORK_TIME_ZONE = 'UTC';

/** One local month of a range: its label and the instants [from, to) it covers within the range. */
export interface MonthBucket {
  /** YYYY-MM */
  month: string;
  from: Date;
  to: Date;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** Whether `timeZone` is an IANA zone this process knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterOf(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localParts(at: Date, timeZone: string): LocalParts {
  const parts = Object.fromEntries(
    formatterOf(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** The zone's offset from UTC at `at`, in milliseconds (local minus UTC). */
function offsetAt(at: Date, timeZone: string): number {
  const p = localParts(at, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/**
 * The instant local midnight of the first of `month` (1-12) of `year` falls on in `timeZone`.
 * Two passes: the offset guessed at the UTC midnight, then the offset at the instant it gives
 * (a zone whose clocks change near the first of a month). A midnight the clocks skip (a few zones
 * change at 00:00) resolves to the first instant after the gap.
 */
export function startOfLocalMonth(year: number, month: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, 1);
  const first = wall - offsetAt(new Date(wall), timeZone);
  const second = wall - offsetAt(new Date(first), timeZone);
  if (second === first) return new Date(first);
  const p = localParts(new Date(second), timeZone);
  // The second guess shows local midnight of the first: done; otherwise the earlier guess is it.
  return p.day === 1 && p.hour === 0 ? new Date(second) : new Date(Math.max(first, second));
}

/** The local month `at` falls in: year and month (1-12). */
export function localMonthOf(at: Date, timeZone: string): { year: number; month: number } {
  const p = localParts(at, timeZone);
  return { year: p.year, month: p.month };
}

function label(year: number, month: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

function next(year: number, month: number): { year: number; month: number } {
  return month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
}

/**
 * Every local month [from, to) touches, in order, each cut to the range: the first starts at
 * `from`, the last ends at `to`. Empty when `to` is not after `from`.
 */
export function monthBuckets(from: Date, to: Date, timeZone: string): MonthBucket[] {
  const buckets: MonthBucket[] = [];
  if (to.getTime() <= from.getTime()) return buckets;
  let current = localMonthOf(from, timeZone);
  let start = from;
  for (;;) {
    const following = next(current.year, current.month);
    const end = startOfLocalMonth(following.year, following.month, timeZone);
    if (end.getTime() >= to.getTime()) {
      buckets.push({ month: label(current.year, current.month), from: start, to });
      return buckets;
    }
    buckets.push({ month: label(current.year, current.month), from: start, to: end });
    current = following;
    start = end;
  }
}

/** The start of the local month `at` falls in (for "new members this month"). */
export function startOfMonthContaining(at: Date, timeZone: string): Date {
  const { year, month } = localMonthOf(at, timeZone);
  return startOfLocalMonth(year, month, timeZone);
}

/** The start of the local month `count` months before the one `at` falls in (0: that month). */
export function startOfMonthsBefore(at: Date, count: number, timeZone: string): Date {
  const { year, month } = localMonthOf(at, timeZone);
  const index = year * 12 + (month - 1) - count;
  return startOfLocalMonth(Math.floor(index / 12), (index % 12) + 1, timeZone);
}
