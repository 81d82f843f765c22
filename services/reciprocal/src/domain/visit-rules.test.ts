import { describe, expect, it } from 'vitest';
import { DEFAULT_TERMS } from '../../test/terms.ts';
import type { AgreementTerms } from './agreement.ts';
import { checkVisit, dayIn, distanceKm, isBlackout, periodsOf, type VisitFacts } from './visit-rules.ts';

const LONDON = { status: 'ACTIVE' as const, latitude: 51.5074, longitude: -0.1278 };
const PARIS = { status: 'ACTIVE' as const, latitude: 48.8566, longitude: 2.3522 };

function facts(overrides: Partial<VisitFacts> = {}, terms: Partial<AgreementTerms> = {}): VisitFacts {
  return {
    agreement: {
      status: 'ACTIVE',
      startsOn: '2026-01-01',
      endsOn: null,
      terms: { ...DEFAULT_TERMS, ...terms },
    },
    isAgreementKnownActive: true,
    standing: 'ACTIVE',
    livesInHostCity: false,
    home: LONDON,
    host: PARIS,
    day: '2026-06-15',
    guestCount: 0,
    nights: 0,
    hasLetter: false,
    visitsThisMonth: 0,
    visitsThisYear: 0,
    ...overrides,
  };
}

describe('checkVisit', () => {
  it('admits a visit that breaks no term', () => {
    expect(checkVisit(facts())).toEqual({ ok: true });
  });

  it('refuses with every reason that applies, in the contract order', () => {
    const check = checkVisit(
      facts(
        {
          standing: 'SUSPENDED',
          home: { ...LONDON, status: 'SUSPENDED' },
          host: { ...LONDON, latitude: 51.6 },
          livesInHostCity: true,
          guestCount: 3,
          nights: 4,
          visitsThisMonth: 2,
          visitsThisYear: 10,
        },
        {
          blackoutDates: ['2026-06-10/2026-06-20'],
          requiresLetter: true,
          maxVisitsPerMonth: 2,
          maxVisitsPerYear: 10,
          minDistanceKm: 80,
          refuseHostCityResidents: true,
          guestsPerVisit: 2,
          maxStayNights: 3,
        },
      ),
    );
    expect(check).toEqual({
      ok: false,
      code: 'visit.refused',
      reasons: [
        'MEMBER_NOT_ACTIVE',
        'HOME_CLUB_SUSPENDED',
        'BLACKOUT',
        'LOI_REQUIRED',
        'MONTHLY_LIMIT_REACHED',
        'YEARLY_LIMIT_REACHED',
        'TOO_CLOSE_TO_HOME',
        'RESIDENT_REFUSED',
        'TOO_MANY_GUESTS',
        'STAY_TOO_LONG',
      ],
    });
  });

  it('refuses outside the agreement: none, not ACTIVE, not begun, ended, or unknown to the member service', () => {
    const inactive = { ok: false, code: 'visit.refused', reasons: ['AGREEMENT_INACTIVE'] };
    expect(checkVisit(facts({ agreement: null }))).toEqual(inactive);
    const agreement = facts().agreement!;
    expect(checkVisit(facts({ agreement: { ...agreement, status: 'SUSPENDED' } }))).toEqual(inactive);
    expect(checkVisit(facts({ agreement: { ...agreement, startsOn: '2026-06-16' } }))).toEqual(inactive);
    expect(checkVisit(facts({ agreement: { ...agreement, endsOn: '2026-06-14' } }))).toEqual(inactive);
    expect(checkVisit(facts({ agreement: { ...agreement, endsOn: '2026-06-15' } }))).toEqual({ ok: true });
    expect(checkVisit(facts({ isAgreementKnownActive: false }))).toEqual(inactive);
  });

  it('admits within the limits and with a letter when one is required', () => {
    expect(
      checkVisit(
        facts(
          { visitsThisMonth: 1, visitsThisYear: 9, hasLetter: true, guestCount: 2, nights: 3 },
          {
            maxVisitsPerMonth: 2,
            maxVisitsPerYear: 10,
            requiresLetter: true,
            guestsPerVisit: 2,
            maxStayNights: 3,
          },
        ),
      ),
    ).toEqual({ ok: true });
  });

  it('does not judge distance without coordinates', () => {
    const nowhere = { status: 'ACTIVE' as const, latitude: null, longitude: null };
    expect(checkVisit(facts({ host: nowhere }, { minDistanceKm: 10_000 }))).toEqual({ ok: true });
  });
});

describe('calendar and distance', () => {
  it('measures great-circle distance (London to Paris is about 344 km)', () => {
    expect(distanceKm(LONDON, PARIS)).toBeCloseTo(343.9, 0);
  });

  it('matches single days and inclusive ranges', () => {
    expect(isBlackout('2026-12-25', ['2026-12-25'])).toBe(true);
    expect(isBlackout('2026-12-24', ['2026-12-25'])).toBe(false);
    expect(isBlackout('2026-12-31', ['2026-12-24/2026-12-31'])).toBe(true);
    expect(isBlackout('2027-01-01', ['2026-12-24/2026-12-31'])).toBe(false);
  });

  it("takes the day in the host's time zone", () => {
    const at = new Date('2026-06-30T23:30:00Z');
    expect(dayIn('UTC', at)).toBe('2026-06-30');
    expect(dayIn('Europe/Paris', at)).toBe('2026-07-01');
    expect(dayIn('America/New_York', at)).toBe('2026-06-30');
    expect(dayIn('Not/AZone', at)).toBe('2026-06-30');
    expect(periodsOf('2026-07-01')).toEqual({ month: '2026-07', year: '2026' });
  });
});
