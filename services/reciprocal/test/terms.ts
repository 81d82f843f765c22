import type { AgreementTerms } from '../src/domain/agreement.ts';

/** Terms with no limits, for tests that need an agreement and care about something else. */
export const DEFAULT_TERMS: AgreementTerms = {
  maxVisitsPerMonth: null,
  maxVisitsPerYear: null,
  maxStayNights: null,
  minDistanceKm: null,
  refuseHostCityResidents: false,
  guestsPerVisit: 2,
  allowedFacilities: [],
  blackoutDates: [],
  requiresLetter: false,
  costSharing: {
    guestFee: 0,
    currency: 'GBP',
    guestFeeCovered: false,
    facilityFeesCovered: false,
    foodBeverageCovered: false,
    percentageCovered: 0,
    maxAmountCovered: null,
  },
  specialConditions: null,
};
