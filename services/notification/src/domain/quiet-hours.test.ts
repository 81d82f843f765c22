import { describe, expect, it } from 'vitest';
import { defaultPreferences, type NotificationPreferences } from './preferences.ts';
import { deliverAt, isQuietAt, quietHoursEndAfter } from './quiet-hours.ts';
import { instantsAcrossYear } from './test-instants.ts';

function quiet(start: string, end: string, timeZone: string): NotificationPreferences {
  return { ...defaultPreferences(timeZone), quietHours: { enabled: true, start, end } };
}

const at = (iso: string) => new Date(iso);

describe('quiet hours', () => {
  const paris = quiet('22:00', '07:00', 'Europe/Paris');

  it('holds an event at 23:00 member time until 07:00 the next morning, member time', () => {
    // 23:00 in Paris in December is 22:00Z; 07:00 the next day is 06:00Z.
    expect(deliverAt(at('2026-12-07T22:00:00Z'), paris).toISOString()).toBe('2026-12-08T06:00:00.000Z');
  });

  it('holds an event after midnight until 07:00 the same day', () => {
    expect(deliverAt(at('2026-12-08T02:15:00Z'), paris).toISOString()).toBe('2026-12-08T06:00:00.000Z');
  });

  it('lets an event outside the window go at once, and counts the end minute as outside', () => {
    const noon = at('2026-12-08T11:00:00Z');
    expect(deliverAt(noon, paris)).toEqual(noon);
    expect(isQuietAt(at('2026-12-08T06:00:00Z'), paris)).toBe(false);
    expect(isQuietAt(at('2026-12-08T05:59:00Z'), paris)).toBe(true);
    expect(isQuietAt(at('2026-12-07T21:00:00Z'), paris)).toBe(true);
    expect(isQuietAt(at('2026-12-07T20:59:00Z'), paris)).toBe(false);
  });

  it('reads the window in the member zone, not the server one', () => {
    const newYork = quiet('22:00', '07:00', 'America/New_York');
    // 23:00 UTC is 18:00 in New York: not quiet there, though it would be in Paris.
    expect(isQuietAt(at('2026-12-07T23:00:00Z'), newYork)).toBe(false);
    expect(isQuietAt(at('2026-12-07T23:00:00Z'), paris)).toBe(true);
  });

  it('ends at 07:00 local on the morning the clocks spring forward (05:00Z, not 06:00Z)', () => {
    // Paris, night of 28-29 March 2026: 02:00 CET becomes 03:00 CEST.
    expect(deliverAt(at('2026-03-28T22:30:00Z'), paris).toISOString()).toBe('2026-03-29T05:00:00.000Z');
  });

  it('ends at 07:00 local on the morning the clocks fall back (06:00Z, not 05:00Z)', () => {
    // Paris, night of 24-25 October 2026: 03:00 CEST becomes 02:00 CET.
    expect(deliverAt(at('2026-10-24T21:30:00Z'), paris).toISOString()).toBe('2026-10-25T06:00:00.000Z');
  });

  it('ends a window whose end the clocks skip at the first instant after the gap', () => {
    const skip = quiet('23:00', '02:30', 'Europe/Paris');
    // 02:30 does not exist on 29 March 2026 in Paris: the message goes at 03:30 CEST (01:30Z).
    expect(quietHoursEndAfter(at('2026-03-28T23:00:00Z'), skip)?.toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
  });

  it('handles a window within one day', () => {
    const lunch = quiet('13:00', '14:00', 'UTC');
    expect(deliverAt(at('2026-12-07T13:20:00Z'), lunch).toISOString()).toBe('2026-12-07T14:00:00.000Z');
    expect(isQuietAt(at('2026-12-07T12:59:00Z'), lunch)).toBe(false);
    expect(isQuietAt(at('2026-12-07T23:00:00Z'), lunch)).toBe(false);
  });

  it('lets CRITICAL messages through and holds nothing on silent channels', () => {
    const night = at('2026-12-07T22:00:00Z');
    expect(deliverAt(night, paris, 'CRITICAL')).toEqual(night);
    expect(deliverAt(night, paris, 'HIGH').toISOString()).toBe('2026-12-08T06:00:00.000Z');
    expect(deliverAt(night, paris, 'NORMAL', 'IN_APP')).toEqual(night);
    expect(deliverAt(night, paris, 'NORMAL', 'WEBHOOK')).toEqual(night);
    expect(deliverAt(night, paris, 'LOW', 'PUSH').toISOString()).toBe('2026-12-08T06:00:00.000Z');
  });

  it('holds nothing when quiet hours are off or incomplete', () => {
    const night = at('2026-12-07T22:00:00Z');
    expect(deliverAt(night, { ...paris, quietHours: { ...paris.quietHours, enabled: false } })).toEqual(
      night,
    );
    expect(deliverAt(night, { ...paris, quietHours: { enabled: true, start: '22:00', end: null } })).toEqual(
      night,
    );
  });

  it('gives the same end for every instant of one night, so a held message is sent once', () => {
    const ends = ['2026-12-07T21:00:00Z', '2026-12-07T23:59:00Z', '2026-12-08T05:59:59Z'].map((iso) =>
      deliverAt(at(iso), paris).toISOString(),
    );
    expect(new Set(ends)).toEqual(new Set(['2026-12-08T06:00:00.000Z']));
  });

  it.each([
    ['22:00', '07:00', 'Europe/Paris'],
    ['23:30', '06:15', 'America/New_York'],
    ['01:00', '03:00', 'Europe/London'],
    ['02:00', '04:00', 'America/Santiago'],
    ['21:00', '08:00', 'Australia/Lord_Howe'],
    ['13:00', '14:30', 'Asia/Kolkata'],
  ])(
    '%s-%s in %s: every instant of a year gets a send time outside quiet hours, stable when asked again',
    (start, end, zone) => {
      const prefs = quiet(start, end, zone);
      for (const t of instantsAcrossYear(zone)) {
        const now = new Date(t);
        const at = deliverAt(now, prefs);
        expect(at.getTime()).toBeGreaterThanOrEqual(t);
        expect(at.getTime() - t).toBeLessThanOrEqual(24 * 3_600_000);
        expect(isQuietAt(at, prefs)).toBe(false);
        expect(deliverAt(at, prefs)).toEqual(at);
      }
    },
  );
});
