import { describe, expect, it } from 'vitest';
import { boundsOfDay, checkRange, instantOf, slotsOfDay, slotsValidUntil } from './availability.ts';
import { type FacilitySchedule, WEEKDAYS } from './facility.ts';
import { localTime } from './facility-schedule.ts';

/** Open round the clock, so the hours the clocks skip or repeat fall inside opening hours. */
const allDay: FacilitySchedule = {
  status: 'ACTIVE',
  capacity: 1,
  openingHours: WEEKDAYS.map((day) => ({ day, opens: '00:00', closes: '24:00' })),
  slotMinutes: 60,
  minBookingMinutes: 60,
  maxBookingMinutes: 180,
  bufferMinutes: 0,
  advanceBookingDays: 365,
};
const longAgo = new Date('2026-01-01T00:00:00Z');
const hh = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/** The local hours the slots of a day start at, read back in the club's zone. */
function localStarts(date: string, timezone: string) {
  return slotsOfDay(allDay, [], [], date, 60, timezone, longAgo).map((slot) => {
    const local = localTime(slot.start, timezone);
    expect(local.date).toBe(date);
    return `${String(Math.floor(local.minute / 60)).padStart(2, '0')}:${String(local.minute % 60).padStart(2, '0')}`;
  });
}

describe('slots on the days the clocks change', () => {
  const everyHour = Array.from({ length: 24 }, (_, hour) => hh(hour));

  it('London, 29 March 2026 (clocks forward at 01:00): every local hour but the skipped one, once', () => {
    expect(localStarts('2026-03-29', 'Europe/London')).toEqual(everyHour.filter((hour) => hour !== '01:00'));
  });

  it('London, 25 October 2026 (clocks back at 02:00): every local hour once, the repeated one not doubled', () => {
    expect(localStarts('2026-10-25', 'Europe/London')).toEqual(everyHour);
  });

  it('Sydney, 5 April 2026 (clocks back at 03:00): every local hour once', () => {
    expect(localStarts('2026-04-05', 'Australia/Sydney')).toEqual(everyHour);
  });

  it('Sydney, 4 October 2026 (clocks forward at 02:00): every local hour but the skipped one, once', () => {
    expect(localStarts('2026-10-04', 'Australia/Sydney')).toEqual(
      everyHour.filter((hour) => hour !== '02:00'),
    );
  });

  it('leaves no gap and no overlap between consecutive slots, and the day ends at the next midnight', () => {
    for (const [date, timezone, hours] of [
      ['2026-03-29', 'Europe/London', 23],
      ['2026-10-25', 'Europe/London', 25],
      ['2026-04-05', 'Australia/Sydney', 25],
      ['2026-10-04', 'Australia/Sydney', 23],
    ] as const) {
      const slots = slotsOfDay(allDay, [], [], date, 60, timezone, longAgo);
      for (let i = 1; i < slots.length; i++) expect(slots[i]!.start).toEqual(slots[i - 1]!.end);
      const day = boundsOfDay(date, timezone);
      expect(slots[0]!.start).toEqual(day.start);
      expect(slots.at(-1)!.end).toEqual(day.end);
      expect((day.end.getTime() - day.start.getTime()) / 3_600_000).toBe(hours);
      expect(slots.every((slot) => slot.available)).toBe(true);
    }
  });

  it('reads a local time with the offset in force at it', () => {
    expect(instantOf('2026-03-29', 9 * 60, 'Europe/London')).toEqual(new Date('2026-03-29T08:00:00Z'));
    expect(instantOf('2026-03-29', 60 + 30, 'Europe/London')).toBeNull();
    expect(instantOf('2026-10-25', 60 + 30, 'Europe/London')).toEqual(new Date('2026-10-25T00:30:00Z'));
    expect(instantOf('2026-04-05', 9 * 60, 'Australia/Sydney')).toEqual(new Date('2026-04-04T23:00:00Z'));
  });
});

describe('slots and bookings', () => {
  const court: FacilitySchedule = {
    ...allDay,
    capacity: 2,
    openingHours: WEEKDAYS.map((day) => ({ day, opens: '09:00', closes: '12:00' })),
    bufferMinutes: 15,
  };
  const now = new Date('2026-06-01T00:00:00Z');
  const at = (iso: string) => new Date(iso);

  it('keeps a slot available while fewer bookings than the capacity overlap it, buffers included', () => {
    // UTC: the slots are 09-10, 10-11, 11-12.
    const one = [{ id: 'a', start: at('2026-06-02T09:00:00Z'), end: at('2026-06-02T10:00:00Z') }];
    const two = [...one, { id: 'b', start: at('2026-06-02T09:00:00Z'), end: at('2026-06-02T09:45:00Z') }];
    const slotsWith = (held: typeof one) =>
      slotsOfDay(court, [], held, '2026-06-02', 60, 'UTC', now).map((slot) => slot.reason);
    expect(slotsWith(one)).toEqual([null, null, null]);
    // 09:00-10:00 plus 15 minutes of buffer reaches into 10:00-11:00: full there too.
    expect(
      slotsWith([...one, { id: 'c', start: at('2026-06-02T09:00:00Z'), end: at('2026-06-02T10:00:00Z') }]),
    ).toEqual(['FULLY_BOOKED', 'FULLY_BOOKED', null]);
    // 09:00-09:45 plus its buffer ends at 10:00: the 10:00 slot keeps a unit free.
    expect(slotsWith(two)).toEqual(['FULLY_BOOKED', null, null]);
  });

  it('says until when computed slots stay right as the clock moves: the next start passed or come within the horizon', () => {
    const horizonDays = { ...court, advanceBookingDays: 1 };
    const slotsAt = (moment: Date) => slotsOfDay(horizonDays, [], [], '2026-06-02', 60, 'UTC', moment);
    const reasonsAt = (moment: Date) => slotsAt(moment).map((slot) => slot.reason);
    // Before the horizon reaches the day: valid until the first slot comes within it (09:00 - 1 day).
    const early = at('2026-05-31T12:00:00Z');
    expect(reasonsAt(early)).toEqual(['BEYOND_HORIZON', 'BEYOND_HORIZON', 'BEYOND_HORIZON']);
    const untilEarly = slotsValidUntil(slotsAt(early), horizonDays, early);
    expect(new Date(untilEarly).toISOString()).toBe('2026-06-01T09:00:00.000Z');
    expect(reasonsAt(new Date(untilEarly + 1))).not.toEqual(reasonsAt(early));
    // During the day: valid until the next slot starts, when it becomes past.
    const during = at('2026-06-02T09:30:00Z');
    const untilDuring = slotsValidUntil(slotsAt(during), horizonDays, during);
    expect(new Date(untilDuring).toISOString()).toBe('2026-06-02T10:00:00.000Z');
    expect(reasonsAt(new Date(untilDuring - 1))).toEqual(reasonsAt(during));
    expect(reasonsAt(new Date(untilDuring + 1))).not.toEqual(reasonsAt(during));
    // After the day: nothing left to change.
    expect(
      slotsValidUntil(slotsAt(at('2026-06-03T00:00:00Z')), horizonDays, at('2026-06-03T00:00:00Z')),
    ).toBe(Number.POSITIVE_INFINITY);
  });

  it('names the closure, the past and the full house a range meets', () => {
    const closures = [
      {
        kind: 'MAINTENANCE' as const,
        startsAt: at('2026-06-02T11:00:00Z'),
        endsAt: at('2026-06-02T12:00:00Z'),
        reason: 'nets',
      },
    ];
    const slots = slotsOfDay(court, closures, [], '2026-06-02', 60, 'UTC', at('2026-06-02T09:30:00Z'));
    expect(slots.map((slot) => slot.reason)).toEqual(['IN_THE_PAST', null, 'UNDER_MAINTENANCE']);
    const held = [
      { id: 'a', start: at('2026-06-02T10:00:00Z'), end: at('2026-06-02T11:00:00Z') },
      { id: 'b', start: at('2026-06-02T10:00:00Z'), end: at('2026-06-02T11:00:00Z') },
    ];
    expect(
      checkRange(
        court,
        [],
        held,
        { start: at('2026-06-02T10:00:00Z'), end: at('2026-06-02T11:00:00Z') },
        'UTC',
        now,
      ),
    ).toEqual({
      ok: false,
      reasons: ['FULLY_BOOKED'],
    });
    expect(
      checkRange(
        court,
        [],
        held.slice(1),
        { start: at('2026-06-02T10:00:00Z'), end: at('2026-06-02T11:00:00Z') },
        'UTC',
        now,
      ),
    ).toEqual({ ok: true });
  });
});
