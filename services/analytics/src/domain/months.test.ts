import { describe, expect, it } from 'vitest';
import { monthBuckets, startOfLocalMonth, startOfMonthContaining, startOfMonthsBefore } from './months.ts';

const iso = (date: Date) => date.toISOString();

describe('local months', () => {
  it("starts a month at the club's local midnight, in summer and winter time", () => {
    expect(iso(startOfLocalMonth(2026, 1, 'Europe/London'))).toBe('2026-01-01T00:00:00.000Z');
    expect(iso(startOfLocalMonth(2026, 7, 'Europe/London'))).toBe('2026-06-30T23:00:00.000Z');
    // Sydney: daylight time (UTC+11) on 1 March, standard time (UTC+10) on 1 May.
    expect(iso(startOfLocalMonth(2026, 3, 'Australia/Sydney'))).toBe('2026-02-28T13:00:00.000Z');
    expect(iso(startOfLocalMonth(2026, 5, 'Australia/Sydney'))).toBe('2026-04-30T14:00:00.000Z');
    expect(iso(startOfLocalMonth(2026, 12, 'UTC'))).toBe('2026-12-01T00:00:00.000Z');
  });

  it('starts a month at local midnight west of UTC too', () => {
    // Santiago keeps UTC-4 on 1 September (its clocks change on the first Sunday after).
    expect(iso(startOfLocalMonth(2025, 9, 'America/Santiago'))).toBe('2025-09-01T04:00:00.000Z');
    expect(iso(startOfLocalMonth(2026, 1, 'America/New_York'))).toBe('2026-01-01T05:00:00.000Z');
  });

  it('cuts a range into the local months it touches, zero-length months never', () => {
    const buckets = monthBuckets(
      new Date('2026-01-15T00:00:00Z'),
      new Date('2026-03-31T23:00:00Z'),
      'Europe/London',
    );
    expect(buckets.map((bucket) => [bucket.month, iso(bucket.from), iso(bucket.to)])).toEqual([
      ['2026-01', '2026-01-15T00:00:00.000Z', '2026-02-01T00:00:00.000Z'],
      ['2026-02', '2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
      // April begins at 00:00 British Summer Time: 23:00 UTC on 31 March.
      ['2026-03', '2026-03-01T00:00:00.000Z', '2026-03-31T23:00:00.000Z'],
    ]);
    expect(monthBuckets(new Date('2026-02-01T00:00:00Z'), new Date('2026-02-01T00:00:00Z'), 'UTC')).toEqual(
      [],
    );
  });

  it("puts an instant in the month the club's clocks show", () => {
    // 22:00 UTC on 28 February is 09:00 on 1 March in Sydney.
    const at = new Date('2026-02-28T22:00:00Z');
    expect(iso(startOfMonthContaining(at, 'Australia/Sydney'))).toBe('2026-02-28T13:00:00.000Z');
    expect(iso(startOfMonthContaining(at, 'UTC'))).toBe('2026-02-01T00:00:00.000Z');
    expect(iso(startOfMonthsBefore(at, 11, 'UTC'))).toBe('2025-03-01T00:00:00.000Z');
    expect(iso(startOfMonthsBefore(new Date('2026-01-10T00:00:00Z'), 1, 'UTC'))).toBe(
      '2025-12-01T00:00:00.000Z',
    );
  });
});
