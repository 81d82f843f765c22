import { describe, expect, it } from 'vitest';
import { segmentsOf, tieredSegmentsOf, utcDayOf } from './segments.ts';

const at = (iso: string) => new Date(iso);
const flat = (result: ReturnType<typeof segmentsOf>) => ({
  days: result.days,
  instants: result.instants.map(({ bucket, from, to }) => [bucket, from.toISOString(), to.toISOString()]),
});

describe('reading a range from the daily rollups', () => {
  it('reads whole UTC days from the rollup and the edges of a local month from the facts', () => {
    // London's July: 23:00 UTC on 30 June to 23:00 UTC on 31 July.
    expect(flat(segmentsOf([{ from: at('2026-06-30T23:00:00Z'), to: at('2026-07-31T23:00:00Z') }]))).toEqual({
      days: [{ bucket: 1, fromDay: '2026-07-01', toDay: '2026-07-31' }],
      instants: [
        [1, '2026-06-30T23:00:00.000Z', '2026-07-01T00:00:00.000Z'],
        [1, '2026-07-31T00:00:00.000Z', '2026-07-31T23:00:00.000Z'],
      ],
    });
  });

  it('reads a UTC month from the rollup alone, and a range within one day from the facts alone', () => {
    expect(flat(segmentsOf([{ from: at('2026-02-01T00:00:00Z'), to: at('2026-03-01T00:00:00Z') }]))).toEqual({
      days: [{ bucket: 1, fromDay: '2026-02-01', toDay: '2026-03-01' }],
      instants: [],
    });
    expect(
      flat(
        segmentsOf([
          { from: at('2026-02-01T00:00:00Z'), to: at('2026-02-01T10:00:00Z') },
          { from: at('2026-02-01T10:00:00Z'), to: at('2026-02-02T10:00:00Z') },
        ]),
      ),
    ).toEqual({
      days: [],
      instants: [
        [1, '2026-02-01T00:00:00.000Z', '2026-02-01T10:00:00.000Z'],
        [2, '2026-02-01T10:00:00.000Z', '2026-02-02T00:00:00.000Z'],
        [2, '2026-02-02T00:00:00.000Z', '2026-02-02T10:00:00.000Z'],
      ],
    });
  });

  it('keys a fact by the UTC day of its check-in', () => {
    expect(utcDayOf(at('2026-02-28T22:00:00Z'))).toBe('2026-02-28');
    expect(utcDayOf(at('2026-03-01T00:00:00Z'))).toBe('2026-03-01');
  });

  it('reads a long range as whole UTC months, whole days at their edges, and parts of days', () => {
    const tiered = tieredSegmentsOf({ from: at('2025-06-30T23:00:00Z'), to: at('2026-06-15T12:00:00Z') });
    expect(tiered.months).toEqual([{ fromMonth: '2025-07-01', toMonth: '2026-06-01' }]);
    expect(tiered.days).toEqual([{ bucket: 1, fromDay: '2026-06-01', toDay: '2026-06-15' }]);
    expect(tiered.instants.map(({ from, to }) => [from.toISOString(), to.toISOString()])).toEqual([
      ['2025-06-30T23:00:00.000Z', '2025-07-01T00:00:00.000Z'],
      ['2026-06-15T00:00:00.000Z', '2026-06-15T12:00:00.000Z'],
    ]);
    // Within one month: days and instants only.
    expect(
      tieredSegmentsOf({ from: at('2026-02-03T10:00:00Z'), to: at('2026-02-20T00:00:00Z') }).months,
    ).toEqual([]);
  });
});
