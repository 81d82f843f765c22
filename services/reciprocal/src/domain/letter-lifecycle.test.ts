import { describe, expect, it } from 'vitest';
import { checkLetterTransition, checkTrip, daysBetween, todayIn } from './letter-lifecycle.ts';

describe('letter lifecycle', () => {
  it('lets the host approve or decline a pending letter, and the desk use an approved one', () => {
    expect(checkLetterTransition('PENDING', 'APPROVED').ok).toBe(true);
    expect(checkLetterTransition('PENDING', 'DECLINED').ok).toBe(true);
    expect(checkLetterTransition('APPROVED', 'USED').ok).toBe(true);
  });

  it('revokes and expires only letters still open', () => {
    for (const to of ['REVOKED', 'EXPIRED'] as const) {
      expect(checkLetterTransition('PENDING', to).ok).toBe(true);
      expect(checkLetterTransition('APPROVED', to).ok).toBe(true);
      for (const from of ['USED', 'DECLINED', 'REVOKED', 'EXPIRED'] as const) {
        expect(checkLetterTransition(from, to)).toMatchObject({
          ok: false,
          code: 'letter.transition_refused',
        });
      }
    }
  });

  it('never uses a pending letter nor decides an approved one twice', () => {
    expect(checkLetterTransition('PENDING', 'USED').ok).toBe(false);
    expect(checkLetterTransition('APPROVED', 'DECLINED').ok).toBe(false);
    expect(checkLetterTransition('APPROVED', 'APPROVED')).toMatchObject({
      message: 'the letter is already APPROVED',
    });
  });
});

describe('trip checks', () => {
  const today = '2030-06-10';
  const trip = { arrivesOn: '2030-06-12', departsOn: '2030-06-14', guestCount: 1, purpose: ' Golf ' };

  it('accepts a trip and trims its purpose', () => {
    expect(checkTrip(trip, today, null)).toEqual({ ok: true, purpose: 'Golf', days: 3 });
  });

  it('refuses arriving in the past, leaving before arriving, and trips over 90 days', () => {
    expect(checkTrip({ ...trip, arrivesOn: '2030-06-09' }, today, null)).toMatchObject({
      field: 'arrivesOn',
    });
    expect(checkTrip({ ...trip, departsOn: '2030-06-11' }, today, null)).toMatchObject({
      field: 'departsOn',
    });
    expect(checkTrip({ ...trip, departsOn: '2030-09-09' }, today, null)).toMatchObject({
      ok: true,
      days: 90,
    });
    expect(checkTrip({ ...trip, departsOn: '2030-09-10' }, today, null)).toMatchObject({
      field: 'departsOn',
    });
    expect(checkTrip({ ...trip, arrivesOn: '2030-02-30' }, today, null)).toMatchObject({
      field: 'arrivesOn',
    });
  });

  it('holds guests and the stay to the agreement in force', () => {
    const terms = { guestsPerVisit: 1, maxStayNights: 2 };
    expect(checkTrip(trip, today, terms).ok).toBe(true);
    expect(checkTrip({ ...trip, guestCount: 2 }, today, terms)).toMatchObject({ field: 'guestCount' });
    expect(checkTrip({ ...trip, guestCount: 2 }, today, null).ok).toBe(true);
    expect(checkTrip({ ...trip, departsOn: '2030-06-15' }, today, terms)).toMatchObject({
      field: 'departsOn',
    });
  });

  it('reads today in the host’s time zone', () => {
    const now = new Date('2030-06-10T23:30:00Z');
    expect(todayIn('Europe/London', now)).toBe('2030-06-11');
    expect(todayIn('America/New_York', now)).toBe('2030-06-10');
    expect(todayIn('Not/AZone', now)).toBe('2030-06-10');
    expect(daysBetween('2030-06-10', '2030-06-11')).toBe(1);
  });
});
