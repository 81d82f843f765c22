import { type MonthBucket, monthBuckets, startOfMonthsBefore } from './months.ts';

/**
 * The range a report covers, pure: [startDate, endDate) as instants, checked. Unset ends default
 * to the last twelve local months up to now. Expected failures are values (the use case throws).
 */

/** The longest range asked at once: five years of monthly buckets is a chart nobody reads. */
export const MAX_RANGE_MONTHS = 60;
/** The years a range's ends may fall in. */
const MIN_YEAR = 1900;
const MAX_YEAR = 2200;
/** Months shown when the caller names no start: this month and the eleven before it. */
export const DEFAULT_MONTHS = 12;

export interface Period {
  from: Date;
  to: Date;
  months: MonthBucket[];
}

export type PeriodCheck =
  | { ok: true; period: Period }
  | { ok: false; field: 'startDate' | 'endDate'; message: string };

export function resolvePeriod(
  input: { startDate: Date | null; endDate: Date | null },
  now: Date,
  timeZone: string,
): PeriodCheck {
  for (const field of ['startDate', 'endDate'] as const) {
    const value = input[field];
    if (value !== null && Number.isNaN(value.getTime()))
      return { ok: false, field, message: `${field} is not a valid time` };
    // Years a club's figures can have; beyond them the months would only be built to be refused.
    if (value !== null && (value.getUTCFullYear() < MIN_YEAR || value.getUTCFullYear() > MAX_YEAR))
      return { ok: false, field, message: `${field} must be between ${MIN_YEAR} and ${MAX_YEAR}` };
  }
  const to = input.endDate ?? now;
  const from = input.startDate ?? startOfMonthsBefore(to, DEFAULT_MONTHS - 1, timeZone);
  if (to.getTime() <= from.getTime()) {
    // The field the caller sent: a start in the future with no end is the start's fault.
    const field = input.endDate === null ? 'startDate' : 'endDate';
    return {
      ok: false,
      field,
      message: field === 'endDate' ? 'endDate must be after startDate' : 'startDate must be before now',
    };
  }
  // A span far over the limit is refused before its months are built (a thousand years of them is
  // seconds of work): 31 days a month at the least.
  if (to.getTime() - from.getTime() > (MAX_RANGE_MONTHS + 1) * 31 * 86_400_000) {
    return {
      ok: false,
      field: 'endDate',
      message: `the range may span at most ${MAX_RANGE_MONTHS} months (${MAX_RANGE_MONTHS / 12} years)`,
    };
  }
  const months = monthBuckets(from, to, timeZone);
  if (months.length > MAX_RANGE_MONTHS) {
    return {
      ok: false,
      field: 'endDate',
      message: `the range may span at most ${MAX_RANGE_MONTHS} months (${MAX_RANGE_MONTHS / 12} years); it spans ${months.length}`,
    };
  }
  return { ok: true, period: { from, to, months } };
}

/** Mean minutes of `count` visits lasting `totalSeconds` in all, to a tenth; null when none. */
export function averageMinutes(totalSeconds: number, count: number): number | null {
  if (count <= 0) return null;
  return Math.round((totalSeconds / count / 60) * 10) / 10;
}
