import type { Closure, FacilitySchedule, Weekday } from './facility.ts';
import { checkBookable, localTime, minutesOf, type ScheduleRefusal } from './facility-schedule.ts';

/**
 * Availability: which slots of a club's local day can still be booked, from the facility's
 * schedule (opening hours, closures, maintenance, horizon: checkBookable) and the bookings it
 * holds (buffers after each, capacity). Pure: the bookings and the clock come in as values.
 *
 * Slots are the local day's wall-clock times: on a day the clocks go forward the hour that does
 * not exist has no slot, and on a day they go back the repeated hour has one slot (from its first
 * occurrence to the next local hour, so it lasts two real hours), never two.
 */

/** A booking that holds a unit: [start, end), plus the facility's buffer after it. */
export interface HeldRange {
  id: string;
  start: Date;
  end: Date;
}

export type SlotRefusal = ScheduleRefusal | 'FULLY_BOOKED';

export interface Slot {
  start: Date;
  end: Date;
  available: boolean;
  /** The first reason it is not available; null when it is. */
  reason: SlotRefusal | null;
}

export type AvailabilityCheck = { ok: true } | { ok: false; reasons: SlotRefusal[] };

/** Whether [start, end) can be booked: the schedule allows it and fewer than `capacity` bookings overlap it. */
export function checkRange(
  facility: FacilitySchedule,
  closures: readonly Closure[],
  held: readonly HeldRange[],
  range: { start: Date; end: Date },
  timezone: string,
  now: Date,
): AvailabilityCheck {
  const schedule = checkBookable(facility, closures, range, timezone, now);
  const reasons: SlotRefusal[] = schedule.ok ? [] : [...schedule.reasons];
  if (overlapping(held, range, facility.bufferMinutes) >= facility.capacity) reasons.push('FULLY_BOOKED');
  return reasons.length === 0 ? { ok: true } : { ok: false, reasons };
}

/** Bookings whose time, or the buffer after it, meets [start, end) or the buffer after it. */
export function overlapping(
  held: readonly HeldRange[],
  range: { start: Date; end: Date },
  bufferMinutes: number,
) {
  const buffer = bufferMinutes * 60_000;
  return held.filter(
    (booking) =>
      range.start.getTime() < booking.end.getTime() + buffer &&
      booking.start.getTime() < range.end.getTime() + buffer,
  ).length;
}

/** The slots of local day `date` (YYYY-MM-DD) in the opening hours of its weekday, `slotMinutes` long. */
export function slotsOfDay(
  facility: FacilitySchedule,
  closures: readonly Closure[],
  held: readonly HeldRange[],
  date: string,
  slotMinutes: number,
  timezone: string,
  now: Date,
): Slot[] {
  const weekday = weekdayOf(date);
  const slots: Slot[] = [];
  const intervals = facility.openingHours
    .filter((hours) => hours.day === weekday)
    .map((hours) => [minutesOf(hours.opens), minutesOf(hours.closes)] as const)
    .sort((a, b) => a[0] - b[0]);
  for (const [opens, closes] of intervals) {
    for (let minute = opens; minute + slotMinutes <= closes; minute += slotMinutes) {
      const start = instantOf(date, minute, timezone);
      // A local time the clocks skip has no slot.
      if (start === null) continue;
      const end =
        instantOf(date, minute + slotMinutes, timezone) ??
        shiftedForward(date, minute + slotMinutes, timezone);
      const check = checkRange(facility, closures, held, { start, end }, timezone, now);
      slots.push({ start, end, available: check.ok, reason: check.ok ? null : check.reasons[0]! });
    }
  }
  return slots;
}

/**
 * Until when slots computed at `computedAt` stay right as the clock moves, bookings and closures
 * unchanged: the first moment a slot's start passes (IN_THE_PAST) or comes within the booking
 * horizon (BEYOND_HORIZON no more). Infinity when no slot has either ahead of it.
 */
export function slotsValidUntil(
  slots: readonly Slot[],
  facility: Pick<FacilitySchedule, 'advanceBookingDays'>,
  computedAt: Date,
): number {
  const now = computedAt.getTime();
  const horizon = facility.advanceBookingDays * 86_400_000;
  let until = Number.POSITIVE_INFINITY;
  for (const slot of slots) {
    const start = slot.start.getTime();
    if (start >= now) until = Math.min(until, start);
    if (start - horizon > now) until = Math.min(until, start - horizon);
  }
  return until;
}

/** The instants a local day spans, [its 00:00, the next day's 00:00), for reading what overlaps it. */
export function boundsOfDay(date: string, timezone: string): { start: Date; end: Date } {
  return {
    start: instantOf(date, 0, timezone) ?? shiftedForward(date, 0, timezone),
    end: instantOf(date, 1440, timezone) ?? shiftedForward(date, 1440, timezone),
  };
}

const DAY_MS = 86_400_000;

/**
 * The instant at which the club's clocks show `minute` minutes after midnight of local day
 * `date` (1440: the next midnight); the first of two when the clocks go back; null when the
 * clocks skip it. Read from the zone's rules by trying the offsets in force half a day either
 * side, never by adding a fixed offset.
 */
export function instantOf(date: string, minute: number, timezone: string): Date | null {
  const key = `${timezone} ${date} ${minute}`;
  const known = readInstants.get(key);
  if (known !== undefined) return known === null ? null : new Date(known);
  const at = readInstant(date, minute, timezone);
  if (readInstants.size >= REMEMBERED_INSTANTS) readInstants.clear();
  readInstants.set(key, at);
  return at === null ? null : new Date(at);
}

/**
 * instantOf's answers by zone, day and minute: a day's slots are asked for again and again, and
 * each reading costs several `localTime`s. Exact (a zone's rules do not change in a running
 * process); bounded.
 */
const readInstants = new Map<string, number | null>();
const REMEMBERED_INSTANTS = 20_000;

function readInstant(date: string, minute: number, timezone: string): number | null {
  const wall = wallOf(date, minute);
  const candidates = [
    ...new Set([offsetAt(wall - DAY_MS / 2, timezone), offsetAt(wall + DAY_MS / 2, timezone)]),
  ]
    .map((offset) => wall - offset)
    .filter((at) => wallAt(at, timezone) === wall)
    .sort((a, b) => a - b);
  return candidates.length > 0 ? candidates[0]! : null;
}

/** A skipped local time read with the offset before the change: 01:30 on London's spring-forward day is 02:30 BST. */
function shiftedForward(date: string, minute: number, timezone: string): Date {
  const wall = wallOf(date, minute);
  return new Date(wall - offsetAt(wall - DAY_MS / 2, timezone));
}

/** Local wall-clock time as if it were UTC, in milliseconds. */
function wallOf(date: string, minute: number): number {
  const [year, month, day] = date.split('-').map(Number);
  return Date.UTC(year!, month! - 1, day!) + minute * 60_000;
}

function wallAt(at: number, timezone: string): number {
  const local = localTime(new Date(at), timezone);
  return wallOf(local.date, local.minute);
}

/** The zone's offset from UTC at an instant, in milliseconds (whole minutes). */
function offsetAt(at: number, timezone: string): number {
  const truncated = Math.floor(at / 60_000) * 60_000;
  return wallAt(truncated, timezone) - truncated;
}

const WEEKDAY_OF_UTC_DAY: readonly Weekday[] = [
  'SUNDAY',
  'MONDAY',
  'TUESDAY',
  'WEDNESDAY',
  'THURSDAY',
  'FRIDAY',
  'SATURDAY',
];

function weekdayOf(date: string): Weekday {
  return WEEKDAY_OF_UTC_DAY[new Date(wallOf(date, 0)).getUTCDay()]!;
}

/** YYYY-MM-DD that is a real calendar day. */
export function isLocalDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  return new Date(wallOf(value, 0)).toISOString().slice(0, 10) === value;
}
