/**
 * How a range of instants is read from the daily rollups, pure. The rollups count visits per UTC
 * day (a day is the same 24 hours for every club, so a fact lands in one row whatever its clubs'
 * time zones); a club's local month rarely starts at UTC midnight (London's summer months start at
 * 23:00 UTC, Adelaide's at 13:30 or 14:30). So each bucket is read as the whole UTC days inside it,
 * from the rollup, plus the parts of days at its edges, from the facts themselves: exact, and at
 * most two partial days of facts per bucket whatever the range's length.
 */

export interface DaySegment {
  /** 1-based: the bucket the segment counts toward. */
  bucket: number;
  /** YYYY-MM-DD, inclusive. */
  fromDay: string;
  /** YYYY-MM-DD, exclusive. */
  toDay: string;
}

export interface InstantSegment {
  bucket: number;
  from: Date;
  to: Date;
}

const DAY_MS = 86_400_000;

function floorDay(at: Date): number {
  return Math.floor(at.getTime() / DAY_MS) * DAY_MS;
}

function ceilDay(at: Date): number {
  return Math.ceil(at.getTime() / DAY_MS) * DAY_MS;
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Each range's segments, counted toward its bucket (its 1-based index). */
export function segmentsOf(ranges: readonly { from: Date; to: Date }[]): {
  days: DaySegment[];
  instants: InstantSegment[];
} {
  const days: DaySegment[] = [];
  const instants: InstantSegment[] = [];
  ranges.forEach(({ from, to }, index) => {
    const bucket = index + 1;
    if (to.getTime() <= from.getTime()) return;
    const firstWhole = ceilDay(from);
    const lastWhole = floorDay(to);
    if (firstWhole > lastWhole) {
      instants.push({ bucket, from, to });
      return;
    }
    if (from.getTime() < firstWhole) instants.push({ bucket, from, to: new Date(firstWhole) });
    if (firstWhole < lastWhole) days.push({ bucket, fromDay: dayOf(firstWhole), toDay: dayOf(lastWhole) });
    if (lastWhole < to.getTime()) instants.push({ bucket, from: new Date(lastWhole), to });
  });
  return { days, instants };
}

/** The UTC day an instant falls on, YYYY-MM-DD (the rollups' key). */
export function utcDayOf(at: Date): string {
  return dayOf(floorDay(at));
}

export interface MonthSegment {
  /** YYYY-MM-01, the first UTC month, inclusive. */
  fromMonth: string;
  /** YYYY-MM-01, exclusive. */
  toMonth: string;
}

function ceilMonth(ms: number): number {
  const at = new Date(ms);
  const start = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1);
  return start === ms ? ms : Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1);
}

function floorMonth(ms: number): number {
  const at = new Date(ms);
  return Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1);
}

/**
 * One range read in three tiers, for rollups kept per UTC month as well as per day (the top
 * destinations: a year of a club is twelve months of rows per club visited rather than 365 days):
 * whole UTC months, then whole days at their edges, then the parts of days at the range's edges.
 */
export function tieredSegmentsOf(range: { from: Date; to: Date }): {
  months: MonthSegment[];
  days: DaySegment[];
  instants: InstantSegment[];
} {
  const { days, instants } = segmentsOf([range]);
  const whole = days[0];
  if (!whole) return { months: [], days, instants };
  const firstDay = Date.parse(`${whole.fromDay}T00:00:00Z`);
  const lastDay = Date.parse(`${whole.toDay}T00:00:00Z`);
  const firstMonth = ceilMonth(firstDay);
  const lastMonth = floorMonth(lastDay);
  if (firstMonth >= lastMonth) return { months: [], days, instants };
  const tiered: DaySegment[] = [];
  if (firstDay < firstMonth) tiered.push({ bucket: 1, fromDay: whole.fromDay, toDay: dayOf(firstMonth) });
  if (lastMonth < lastDay) tiered.push({ bucket: 1, fromDay: dayOf(lastMonth), toDay: whole.toDay });
  return { months: [{ fromMonth: dayOf(firstMonth), toMonth: dayOf(lastMonth) }], days: tiered, instants };
}
