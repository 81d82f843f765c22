import { describe, expect, it } from 'vitest';
import { checkAgreementDates, checkAgreementTerms, defaultTerms, isDay } from './agreement-terms.ts';

const base = defaultTerms('GBP');

describe('agreement terms', () => {
  it('fills what was left out with the defaults, in the proposer’s currency', () => {
    const checked = checkAgreementTerms({ maxVisitsPerMonth: 4 }, base);
    expect(checked).toEqual({ ok: true, value: { ...base, maxVisitsPerMonth: 4 } });
    expect(base.costSharing.currency).toBe('GBP');
    expect(base.guestsPerVisit).toBe(1);
  });

  it('lays a change over existing terms, keeping what it does not name', () => {
    const current = { ...base, maxVisitsPerYear: 12, costSharing: { ...base.costSharing, guestFee: 2500 } };
    const checked = checkAgreementTerms({ costSharing: { guestFeeCovered: true } }, current);
    expect(checked.ok && checked.value.maxVisitsPerYear).toBe(12);
    expect(checked.ok && checked.value.costSharing).toMatchObject({ guestFee: 2500, guestFeeCovered: true });
  });

  it.each([
    [{ maxVisitsPerMonth: 0 }, 'terms.maxVisitsPerMonth'],
    [{ maxVisitsPerMonth: 2.5 }, 'terms.maxVisitsPerMonth'],
    [{ maxVisitsPerMonth: 6, maxVisitsPerYear: 5 }, 'terms.maxVisitsPerYear'],
    [{ maxStayNights: -1 }, 'terms.maxStayNights'],
    [{ minDistanceKm: 30_000 }, 'terms.minDistanceKm'],
    [{ minDistanceKm: Number.NaN }, 'terms.minDistanceKm'],
    [{ guestsPerVisit: 21 }, 'terms.guestsPerVisit'],
    [{ allowedFacilities: ['POOL', 'CASINO'] }, 'terms.allowedFacilities'],
    [{ blackoutDates: ['2026-02-30'] }, 'terms.blackoutDates'],
    [{ blackoutDates: ['2026-12-31/2026-12-24'] }, 'terms.blackoutDates'],
    [{ blackoutDates: ['2026-12-24/2026-12-26/2026-12-27'] }, 'terms.blackoutDates'],
    [{ specialConditions: 'x'.repeat(2001) }, 'terms.specialConditions'],
    [{ costSharing: { guestFee: -100 } }, 'terms.costSharing.guestFee'],
    [{ costSharing: { guestFee: 12.5 } }, 'terms.costSharing.guestFee'],
    [{ costSharing: { currency: 'pounds' } }, 'terms.costSharing.currency'],
    [{ costSharing: { percentageCovered: 101 } }, 'terms.costSharing.percentageCovered'],
    [{ costSharing: { maxAmountCovered: -1 } }, 'terms.costSharing.maxAmountCovered'],
  ])('refuses %j naming %s', (input, field) => {
    const checked = checkAgreementTerms(input, base);
    expect(checked).toMatchObject({ ok: false, field });
  });

  it('accepts blackout days and ordered ranges, and normalises currency and conditions', () => {
    const checked = checkAgreementTerms(
      {
        blackoutDates: ['2026-12-25', '2026-12-24/2026-12-26', '2026-12-25'],
        costSharing: { currency: ' usd ' },
        specialConditions: '  jacket and tie  ',
        allowedFacilities: ['POOL', 'POOL', 'LIBRARY'],
      },
      base,
    );
    expect(checked).toMatchObject({
      ok: true,
      value: {
        blackoutDates: ['2026-12-25', '2026-12-24/2026-12-26'],
        costSharing: { currency: 'USD' },
        specialConditions: 'jacket and tie',
        allowedFacilities: ['POOL', 'LIBRARY'],
      },
    });
  });
});

describe('agreement dates', () => {
  const today = '2026-06-15';

  it('starts today when no start is given, open-ended when no end is', () => {
    expect(checkAgreementDates(undefined, null, today)).toEqual({
      ok: true,
      value: { startsOn: today, endsOn: null },
    });
  });

  it('allows a start in the past (the agreement starts at approval)', () => {
    expect(checkAgreementDates('2026-01-01', '2026-12-31', today).ok).toBe(true);
  });

  it.each([
    ['2026-13-01', null, 'startsOn'],
    ['2026-07-01', 'soon', 'endsOn'],
    ['2026-07-01', '2026-06-30', 'endsOn'],
    ['2026-01-01', '2026-06-14', 'endsOn'],
  ])('refuses %s to %s naming %s', (startsOn, endsOn, field) => {
    expect(checkAgreementDates(startsOn, endsOn, today)).toMatchObject({ ok: false, field });
  });

  it('knows real days', () => {
    expect(isDay('2028-02-29')).toBe(true);
    expect(isDay('2026-02-29')).toBe(false);
  });
});
