import { describe, expect, it } from 'vitest';
import { instantsAcrossYear } from './test-instants.ts';
import { addDays, instantOf, isTimeZone, localDateTime, offsetAt, parseClockTime } from './zoned-time.ts';

describe('wall-clock time in a zone', () => {
  it('reads an instant as the local date and minute', () => {
    expect(localDateTime(new Date('2026-12-07T22:30:00Z'), 'Europe/Paris')).toEqual({
      date: '2026-12-07',
      minute: 23 * 60 + 30,
    });
    expect(localDateTime(new Date('2026-12-07T03:00:00Z'), 'America/New_York')).toEqual({
      date: '2026-12-06',
      minute: 22 * 60,
    });
  });

  it('knows the offset either side of a DST change', () => {
    expect(offsetAt(Date.parse('2026-03-29T00:59:00Z'), 'Europe/Paris')).toBe(3_600_000);
    expect(offsetAt(Date.parse('2026-03-29T01:00:00Z'), 'Europe/Paris')).toBe(7_200_000);
    expect(offsetAt(Date.parse('2026-12-07T12:00:00.500Z'), 'Asia/Kolkata')).toBe(19_800_000);
  });

  it('turns a local time back into its instant, in winter and in summer', () => {
    expect(instantOf({ date: '2026-12-08', minute: 7 * 60 }, 'Europe/Paris').toISOString()).toBe(
      '2026-12-08T06:00:00.000Z',
    );
    expect(instantOf({ date: '2026-07-08', minute: 7 * 60 }, 'Europe/Paris').toISOString()).toBe(
      '2026-07-08T05:00:00.000Z',
    );
  });

  it('moves a time the clocks skip forward by the gap (02:30 -> 03:30 CEST)', () => {
    expect(instantOf({ date: '2026-03-29', minute: 150 }, 'Europe/Paris').toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
  });

  it('takes the first of a time that happens twice (01:30 on the night New York falls back)', () => {
    expect(instantOf({ date: '2026-11-01', minute: 90 }, 'America/New_York').toISOString()).toBe(
      '2026-11-01T05:30:00.000Z',
    );
  });

  it('adds calendar days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });

  it('accepts HH:MM clock times only', () => {
    expect(parseClockTime('07:05')).toBe(425);
    expect(parseClockTime('23:59')).toBe(1439);
    for (const bad of ['24:00', '7:00', '07:60', 'noon', '']) expect(parseClockTime(bad)).toBeNull();
  });

  it('tells IANA zones from anything else', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });

  it.each(['Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'America/Santiago', 'Asia/Kathmandu'])(
    'round-trips instants across a year (densely around DST changes) in %s, gaps aside',
    (zone) => {
      for (const t of instantsAcrossYear(zone)) {
        const local = localDateTime(new Date(t), zone);
        const back = instantOf(local, zone).getTime();
        // An instant in the second run of a repeated hour maps back to the first run.
        expect(back === t || (back < t && t - back <= 3_600_000)).toBe(true);
        expect(localDateTime(new Date(back), zone)).toEqual(local);
      }
    },
  );

  it('samples the DST days of a zone densely, and a zone without DST only sparsely', () => {
    const sparse = instantsAcrossYear('Asia/Kolkata').length;
    expect(sparse).toBe(Math.ceil((365 * 24 * 60) / 313));
    // Two changes a year, each with the 42 hours around its 6-hour step every 10 minutes.
    expect(instantsAcrossYear('Europe/Paris').length).toBe(sparse + 2 * 252);
  });
});
