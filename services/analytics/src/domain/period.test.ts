import { describe, expect, it } from 'vitest';
import { averageMinutes, resolvePeriod } from './period.ts';

const NOW = new Date('2026-06-15T12:00:00Z');

describe('the period of a report', () => {
  it('defaults to this local month and the eleven before it, up to now', () => {
    const check = resolvePeriod({ startDate: null, endDate: null }, NOW, 'Europe/London');
    if (!check.ok) throw new Error(check.message);
    expect(check.period.from.toISOString()).toBe('2025-06-30T23:00:00.000Z');
    expect(check.period.to).toEqual(NOW);
    expect(check.period.months.map((month) => month.month)).toEqual([
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
    ]);
  });

  it('refuses an end before (or at) the start, naming endDate', () => {
    const start = new Date('2026-05-01T00:00:00Z');
    expect(
      resolvePeriod({ startDate: start, endDate: new Date('2026-04-01T00:00:00Z') }, NOW, 'UTC'),
    ).toMatchObject({
      ok: false,
      field: 'endDate',
    });
    expect(resolvePeriod({ startDate: start, endDate: start }, NOW, 'UTC')).toMatchObject({
      ok: false,
      field: 'endDate',
    });
  });

  it('refuses ends outside 1900-2200 and a far span before building its months, naming the field', () => {
    const far = resolvePeriod(
      { startDate: new Date('1000-01-01T00:00:00Z'), endDate: NOW },
      NOW,
      'Europe/London',
    );
    expect(far).toMatchObject({ ok: false, field: 'startDate' });
    const ancient = resolvePeriod(
      { startDate: new Date('-010000-01-01T00:00:00Z'), endDate: NOW },
      NOW,
      'UTC',
    );
    expect(ancient).toMatchObject({ ok: false, field: 'startDate' });
    const started = Date.now();
    const long = resolvePeriod(
      { startDate: new Date('1901-01-01T00:00:00Z'), endDate: new Date('2199-01-01T00:00:00Z') },
      NOW,
      'Europe/London',
    );
    expect(long).toMatchObject({ ok: false, field: 'endDate' });
    // Refused by its span, not after building three thousand months.
    expect(Date.now() - started).toBeLessThan(200);
  });

  it('names startDate for a start in the future with no end', () => {
    expect(
      resolvePeriod({ startDate: new Date(NOW.getTime() + 86_400_000), endDate: null }, NOW, 'UTC'),
    ).toMatchObject({ ok: false, field: 'startDate' });
  });

  it('allows five years of months and refuses more', () => {
    expect(
      resolvePeriod(
        { startDate: new Date('2021-01-01T00:00:00Z'), endDate: new Date('2026-01-01T00:00:00Z') },
        NOW,
        'UTC',
      ).ok,
    ).toBe(true);
    expect(
      resolvePeriod(
        { startDate: new Date('2020-12-31T00:00:00Z'), endDate: new Date('2026-01-01T00:00:00Z') },
        NOW,
        'UTC',
      ),
    ).toMatchObject({ ok: false, field: 'endDate' });
  });

  it('refuses a time that is no time, naming it', () => {
    expect(resolvePeriod({ startDate: new Date(Number.NaN), endDate: null }, NOW, 'UTC')).toMatchObject({
      ok: false,
      field: 'startDate',
    });
  });

  it('averages visit lengths in minutes to a tenth, none when no visit ended', () => {
    expect(averageMinutes(3 * 3600, 2)).toBe(90);
    expect(averageMinutes(100, 3)).toBe(0.6);
    expect(averageMinutes(0, 0)).toBeNull();
  });
});
