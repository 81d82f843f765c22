import type { Closure, FacilitySchedule, Weekday } from './facility.ts';

/**
 * Whether a time range can be booked at a facility, by its schedule alone (opening hours in the
 * club's time zone, closures and maintenance, the booking horizon, lengths and slots); whether a
 * unit is free is the database's to say (the exclusion constraint on bookings). Pure.
 *
 * Opening hours are local wall-clock times: a range is inside them when its local start and end
 * fall on one local day within that day's hours. Converting with the time zone's rules (Intl),
 * never by adding fixed offsets, keeps days on which clocks change right: on a spring-forward day
 * a 09:00-10:00 booking in London is still one hour, and 01:30 does not exist.
 */
export type ScheduleRefusal =
  | 'FACILITY_NOT_ACTIVE'
  | 'OUTSIDE_OPENING_HOURS'
  | 'CLOSED'
  | 'UNDER_MAINTENANCE'
  | 'IN_THE_PAST'
  | 'BEYOND_HORIZON'
  | 'TOO_SHORT'
  | 'TOO_LONG'
  | 'NOT_ON_SLOT';

export type ScheduleCheck = { ok: true } | { ok: false; reasons: ScheduleRefusal[] };

export function checkBookable(
  facility: FacilitySchedule,
  closures: readonly Closure[],
  range: { start: Date; end: Date },
  timezone: string,
  now: Date,
): ScheduleCheck {
  const reasons: ScheduleRefusal[] = [];
  const minutes = (range.end.getTime() - range.start.getTime()) / 60_000;
  if (facility.status !== 'ACTIVE') reasons.push('FACILITY_NOT_ACTIVE');
  if (range.start.getTime() < now.getTime()) reasons.push('IN_THE_PAST');
  if (range.start.getTime() > now.getTime() + facility.advanceBookingDays * 86_400_000)
    reasons.push('BEYOND_HORIZON');
  if (minutes < facility.minBookingMinutes) reasons.push('TOO_SHORT');
  if (minutes > facility.maxBookingMinutes) reasons.push('TOO_LONG');
  const start = localTime(range.start, timezone);
  const end = localTime(range.end, timezone);
  if (start.minute % facility.slotMinutes !== 0 || minutes % facility.slotMinutes !== 0)
    reasons.push('NOT_ON_SLOT');
  if (!isWithinOpeningHours(facility, start, end)) reasons.push('OUTSIDE_OPENING_HOURS');
  for (const closure of closures) {
    if (closure.startsAt < range.end && range.start < closure.endsAt) {
      const reason = closure.kind === 'MAINTENANCE' ? 'UNDER_MAINTENANCE' : 'CLOSED';
      if (!reasons.includes(reason)) reasons.push(reason);
    }
  }
  return reasons.length === 0 ? { ok: true } : { ok: false, reasons };
}

/** A moment as the club's clocks show it: the local day, its weekday, and minutes since local midnight. */
export interface LocalTime {
  /** YYYY-MM-DD */
  date: string;
  weekday: Weekday;
  /** Minutes since local midnight (0-1439). */
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Local times already read, per zone and instant: `formatToParts` costs microseconds, and a day's
 * slots ask the same instants again and again (availability reads ~10 per slot). Exact, since an
 * instant's local time in a zone never changes (for the tz data this process loaded); bounded.
 */
const readLocalTimes = new Map<string, Map<number, LocalTime>>();
const REMEMBERED_LOCAL_TIMES = 20_000;

export function localTime(at: Date, timezone: string): LocalTime {
  const instant = at.getTime();
  let read = readLocalTimes.get(timezone);
  if (!read) {
    read = new Map();
    readLocalTimes.set(timezone, read);
  }
  const known = read.get(instant);
  if (known) return known;
  const local = formatLocalTime(at, timezone);
  if (read.size >= REMEMBERED_LOCAL_TIMES) read.clear();
  read.set(instant, local);
  return local;
}

function formatLocalTime(at: Date, timezone: string): LocalTime {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'long',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timezone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((part) => [part.type, part.value]));
  return Object.freeze({
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: parts.weekday!.toUpperCase() as Weekday,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  });
}

/** HH:MM as minutes since midnight ('24:00' is 1440). */
export function minutesOf(hhmm: string): number {
  const [hours, minutes] = hhmm.split(':').map(Number);
  return hours! * 60 + minutes!;
}

function isWithinOpeningHours(facility: FacilitySchedule, start: LocalTime, end: LocalTime): boolean {
  // A range ending at local midnight ends at minute 1440 of its start's day.
  const endsAtMidnightAfter = end.minute === 0 && end.date !== start.date;
  if (end.date !== start.date && !endsAtMidnightAfter) return false;
  const endMinute = endsAtMidnightAfter ? 1440 : end.minute;
  return facility.openingHours.some(
    (hours) =>
      hours.day === start.weekday &&
      minutesOf(hours.opens) <= start.minute &&
      endMinute <= minutesOf(hours.closes),
  );
}
