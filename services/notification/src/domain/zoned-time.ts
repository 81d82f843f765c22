/**
 * Wall-clock time in an IANA time zone, with nothing but Intl (as the club and reciprocal services
 * do). DST-safe both ways: reading an instant's local time is exact, and turning a local date and
 * time back into an instant follows Temporal's 'compatible' rule: a time the clocks skip (02:30 on
 * the night they spring forward) lands as far after the gap as it was into it (03:30), and a time
 * that happens twice (01:30 on the night they fall back) is its first occurrence.
 */

export interface LocalDateTime {
  /** YYYY-MM-DD in the zone. */
  date: string;
  /** Minutes since local midnight, 0-1439. */
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
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

/** True for a zone this process's Intl knows (IANA names such as Europe/Paris, and UTC). */
export function isTimeZone(name: string): boolean {
  if (name.length === 0 || name.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

interface WallParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallPartsAt(at: number, timeZone: string): WallParts {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(at)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** The local date and minute of `at` in `timeZone`. */
export function localDateTime(at: Date, timeZone: string): LocalDateTime {
  const wall = wallPartsAt(at.getTime(), timeZone);
  return {
    date: `${wall.year}-${pad(wall.month)}-${pad(wall.day)}`,
    minute: wall.hour * 60 + wall.minute,
  };
}

/** The zone's offset from UTC at `at`, in milliseconds (Paris in winter: +3,600,000). */
export function offsetAt(at: number, timeZone: string): number {
  const wall = wallPartsAt(at, timeZone);
  const wallAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return wallAsUtc - (at - (((at % 1000) + 1000) % 1000));
}

const DAY_MS = 86_400_000;

/** The instant the zone's clocks show `date` at `minute` (see the file's comment for gaps and overlaps). */
export function instantOf(local: LocalDateTime, timeZone: string): Date {
  const [year, month, day] = local.date.split('-').map(Number) as [number, number, number];
  const wallAsUtc = Date.UTC(year, month - 1, day, 0, local.minute);
  // No zone changes its offset twice within two days, so the offsets a day either side are the
  // only candidates.
  const before = offsetAt(wallAsUtc - DAY_MS, timeZone);
  const after = offsetAt(wallAsUtc + DAY_MS, timeZone);
  const matches = [...new Set([before, after])]
    .map((offset) => wallAsUtc - offset)
    .filter((instant) => offsetAt(instant, timeZone) === wallAsUtc - instant)
    .sort((a, b) => a - b);
  if (matches.length > 0) return new Date(matches[0]!);
  // In a gap: read the wall time with the offset in force before it, which lands after the gap.
  return new Date(wallAsUtc - before);
}

/** `date` (YYYY-MM-DD) plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** 'HH:MM' (00:00-23:59) as minutes since midnight; null when it is not that shape. */
export function parseClockTime(value: string): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
