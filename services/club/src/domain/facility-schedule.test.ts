import { describe, expect, it } from 'vitest';
import type { FacilitySchedule } from './facility.ts';
import { checkBookable, localTime } from './facility-schedule.ts';

const court: FacilitySchedule = {
  status: 'ACTIVE',
  capacity: 1,
  openingHours: (['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const).map(
    (day) => ({ day, opens: '07:00', closes: '22:00' }),
  ),
  slotMinutes: 30,
  minBookingMinutes: 30,
  maxBookingMinutes: 120,
  bufferMinutes: 0,
  advanceBookingDays: 14,
};
const now = new Date('2026-03-20T12:00:00Z');
const at = (iso: string) => new Date(iso);

describe('checkBookable', () => {
  it('admits an hour inside opening hours, in the club’s time zone', () => {
    // 09:00-10:00 in Sydney (UTC+11 in March) is 22:00-23:00 UTC the day before.
    expect(
      checkBookable(
        court,
        [],
        { start: at('2026-03-21T22:00:00Z'), end: at('2026-03-21T23:00:00Z') },
        'Australia/Sydney',
        now,
      ),
    ).toEqual({ ok: true });
  });

  it('refuses a range outside opening hours with that reason', () => {
    expect(
      checkBookable(
        court,
        [],
        { start: at('2026-03-21T05:30:00Z'), end: at('2026-03-21T06:30:00Z') },
        'Europe/London',
        now,
      ),
    ).toEqual({ ok: false, reasons: ['OUTSIDE_OPENING_HOURS'] });
  });

  it('keeps local hours on the day London’s clocks go forward', () => {
    // 29 March 2026: 01:00 GMT becomes 02:00 BST. 07:00-08:00 BST is 06:00-07:00 UTC.
    expect(
      checkBookable(
        court,
        [],
        { start: at('2026-03-29T06:00:00Z'), end: at('2026-03-29T07:00:00Z') },
        'Europe/London',
        at('2026-03-28T12:00:00Z'),
      ),
    ).toEqual({ ok: true });
    // 06:30-07:30 UTC would be 07:30-08:30 BST: fine; 05:30-06:30 UTC is 06:30-07:30 BST: before opening.
    expect(
      checkBookable(
        court,
        [],
        { start: at('2026-03-29T05:30:00Z'), end: at('2026-03-29T06:30:00Z') },
        'Europe/London',
        at('2026-03-28T12:00:00Z'),
      ),
    ).toEqual({ ok: false, reasons: ['OUTSIDE_OPENING_HOURS'] });
  });

  it('keeps local hours on the day Sydney’s clocks go back', () => {
    // 5 April 2026: 03:00 AEDT becomes 02:00 AEST. 21:00-22:00 AEST is 11:00-12:00 UTC.
    expect(
      checkBookable(
        court,
        [],
        { start: at('2026-04-05T11:00:00Z'), end: at('2026-04-05T12:00:00Z') },
        'Australia/Sydney',
        at('2026-04-01T00:00:00Z'),
      ),
    ).toEqual({ ok: true });
    expect(localTime(at('2026-04-05T12:00:00Z'), 'Australia/Sydney')).toEqual({
      date: '2026-04-05',
      weekday: 'SUNDAY',
      minute: 22 * 60,
    });
  });

  it('names every reason that applies: past, length, slot, closure, maintenance', () => {
    const closures = [
      {
        kind: 'CLOSURE' as const,
        startsAt: at('2026-03-19T00:00:00Z'),
        endsAt: at('2026-03-19T23:59:00Z'),
        reason: 'private event',
      },
      {
        kind: 'MAINTENANCE' as const,
        startsAt: at('2026-03-19T09:00:00Z'),
        endsAt: at('2026-03-19T10:00:00Z'),
        reason: 'resurfacing',
      },
    ];
    const check = checkBookable(
      court,
      closures,
      { start: at('2026-03-19T09:10:00Z'), end: at('2026-03-19T09:25:00Z') },
      'UTC',
      now,
    );
    expect(check).toEqual({
      ok: false,
      reasons: ['IN_THE_PAST', 'TOO_SHORT', 'NOT_ON_SLOT', 'CLOSED', 'UNDER_MAINTENANCE'],
    });
  });

  it('refuses beyond the booking horizon, too long, and at an inactive facility', () => {
    expect(
      checkBookable(
        { ...court, status: 'MAINTENANCE' },
        [],
        { start: at('2026-04-10T09:00:00Z'), end: at('2026-04-10T12:00:00Z') },
        'UTC',
        now,
      ),
    ).toEqual({ ok: false, reasons: ['FACILITY_NOT_ACTIVE', 'BEYOND_HORIZON', 'TOO_LONG'] });
  });
});
