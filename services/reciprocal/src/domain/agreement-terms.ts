import type { AgreementTerms, CostSharing } from './agreement.ts';

/**
 * Checks the terms two clubs agree on and fills what was left out. Pure: the use case turns a
 * failure into BAD_USER_INPUT naming the field (`terms.maxVisitsPerMonth`, `startsOn`, ...).
 * Defaults are the most permissive terms that still make sense: no limits, one guest, all
 * facilities, no blackout dates, no letter needed, nothing covered, in the proposer's currency.
 */

/** The facilities the contract's FacilityType names. */
export const FACILITY_TYPES = [
  'CONFERENCE_ROOM',
  'BANQUET_HALL',
  'TENNIS_COURT',
  'GOLF_COURSE',
  'POOL',
  'GYM',
  'SPA',
  'LIBRARY',
  'LOUNGE',
  'OTHER',
] as const;

/** Terms as a caller sends them: any field may be missing (then the base's, else the default). */
export type AgreementTermsInput = Partial<Omit<AgreementTerms, 'costSharing'>> & {
  costSharing?: Partial<CostSharing>;
};

export type Checked<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

const LIMITS = {
  visitsPerMonth: 1000,
  visitsPerYear: 10_000,
  stayNights: 365,
  distanceKm: 20_040, // half the Earth's circumference: no two points are further apart
  guests: 20,
  blackoutEntries: 366,
  specialConditions: 2000,
  /** Minor units; 10^10 pence is £100m, beyond any guest fee. */
  amount: 10_000_000_000,
};

export function defaultTerms(currency: string): AgreementTerms {
  return {
    maxVisitsPerMonth: null,
    maxVisitsPerYear: null,
    maxStayNights: null,
    minDistanceKm: null,
    refuseHostCityResidents: false,
    guestsPerVisit: 1,
    allowedFacilities: [],
    blackoutDates: [],
    requiresLetter: false,
    costSharing: {
      guestFee: 0,
      currency,
      guestFeeCovered: false,
      facilityFeesCovered: false,
      foodBeverageCovered: false,
      percentageCovered: 100,
      maxAmountCovered: null,
    },
    specialConditions: null,
  };
}

/** `input` laid over `base` (an agreement's current terms, or the defaults), then checked field by field. */
export function checkAgreementTerms(
  input: AgreementTermsInput,
  base: AgreementTerms,
): Checked<AgreementTerms> {
  const pick = <K extends keyof AgreementTerms>(key: K): AgreementTerms[K] =>
    input[key] === undefined ? base[key] : (input[key] as AgreementTerms[K]);
  const costSharing: CostSharing = { ...base.costSharing };
  for (const [key, value] of Object.entries(input.costSharing ?? {})) {
    if (value !== undefined) (costSharing as unknown as Record<string, unknown>)[key] = value;
  }
  const terms: AgreementTerms = {
    maxVisitsPerMonth: pick('maxVisitsPerMonth'),
    maxVisitsPerYear: pick('maxVisitsPerYear'),
    maxStayNights: pick('maxStayNights'),
    minDistanceKm: pick('minDistanceKm'),
    refuseHostCityResidents: pick('refuseHostCityResidents'),
    guestsPerVisit: pick('guestsPerVisit'),
    allowedFacilities: [...new Set(pick('allowedFacilities'))],
    blackoutDates: [...new Set(pick('blackoutDates').map((entry) => entry.trim()))],
    requiresLetter: pick('requiresLetter'),
    costSharing: { ...costSharing, currency: costSharing.currency.trim().toUpperCase() },
    specialConditions: pick('specialConditions')?.trim() || null,
  };

  const problems: [string, string | null][] = [
    ['terms.maxVisitsPerMonth', optionalInteger(terms.maxVisitsPerMonth, 1, LIMITS.visitsPerMonth)],
    ['terms.maxVisitsPerYear', optionalInteger(terms.maxVisitsPerYear, 1, LIMITS.visitsPerYear)],
    [
      'terms.maxVisitsPerYear',
      terms.maxVisitsPerYear !== null &&
      terms.maxVisitsPerMonth !== null &&
      terms.maxVisitsPerYear < terms.maxVisitsPerMonth
        ? 'must be at least maxVisitsPerMonth'
        : null,
    ],
    ['terms.maxStayNights', optionalInteger(terms.maxStayNights, 0, LIMITS.stayNights)],
    ['terms.minDistanceKm', optionalNumber(terms.minDistanceKm, 0, LIMITS.distanceKm)],
    ['terms.guestsPerVisit', optionalInteger(terms.guestsPerVisit, 0, LIMITS.guests)],
    ['terms.allowedFacilities', facilitiesProblem(terms.allowedFacilities)],
    ['terms.blackoutDates', blackoutProblem(terms.blackoutDates)],
    [
      'terms.specialConditions',
      (terms.specialConditions?.length ?? 0) > LIMITS.specialConditions
        ? `must be at most ${LIMITS.specialConditions} characters`
        : null,
    ],
    ['terms.costSharing.guestFee', optionalInteger(costSharing.guestFee, 0, LIMITS.amount)],
    [
      'terms.costSharing.currency',
      /^[A-Z]{3}$/.test(terms.costSharing.currency) ? null : 'must be an ISO 4217 code such as GBP',
    ],
    ['terms.costSharing.percentageCovered', optionalInteger(costSharing.percentageCovered, 0, 100)],
    ['terms.costSharing.maxAmountCovered', optionalInteger(costSharing.maxAmountCovered, 0, LIMITS.amount)],
  ];
  const problem = problems.find(([, message]) => message !== null);
  if (problem) return { ok: false, field: problem[0], message: `${problem[0]} ${problem[1]}` };
  return { ok: true, value: terms };
}

/**
 * The first and last day in force (inclusive). A start in the past is allowed (the agreement
 * starts at approval); an end must not be before the start, nor already behind us.
 */
export function checkAgreementDates(
  startsOn: string | null | undefined,
  endsOn: string | null | undefined,
  today: string,
): Checked<{ startsOn: string; endsOn: string | null }> {
  const start = startsOn ?? today;
  if (!isDay(start)) return { ok: false, field: 'startsOn', message: 'startsOn must be a date (YYYY-MM-DD)' };
  if (endsOn == null) return { ok: true, value: { startsOn: start, endsOn: null } };
  if (!isDay(endsOn)) return { ok: false, field: 'endsOn', message: 'endsOn must be a date (YYYY-MM-DD)' };
  if (endsOn < start) return { ok: false, field: 'endsOn', message: 'endsOn must not be before startsOn' };
  if (endsOn < today) return { ok: false, field: 'endsOn', message: 'endsOn must not be in the past' };
  return { ok: true, value: { startsOn: start, endsOn } };
}

/** The UTC calendar day of an instant, as the schedule and the date checks count days. */
export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

function optionalInteger(value: number | null, min: number, max: number): string | null {
  if (value === null) return null;
  if (!Number.isInteger(value) || value < min || value > max)
    return `must be a whole number from ${min} to ${max}`;
  return null;
}

function optionalNumber(value: number | null, min: number, max: number): string | null {
  if (value === null) return null;
  if (!Number.isFinite(value) || value < min || value > max) return `must be a number from ${min} to ${max}`;
  return null;
}

function facilitiesProblem(facilities: readonly string[]): string | null {
  const unknown = facilities.filter((name) => !(FACILITY_TYPES as readonly string[]).includes(name));
  return unknown.length > 0
    ? `names unknown facilities (${unknown.join(', ')}); known: ${FACILITY_TYPES.join(', ')}`
    : null;
}

function blackoutProblem(entries: readonly string[]): string | null {
  if (entries.length > LIMITS.blackoutEntries) return `must have at most ${LIMITS.blackoutEntries} entries`;
  for (const entry of entries) {
    const [first, last, extra] = entry.split('/');
    const valid =
      extra === undefined &&
      isDay(first ?? '') &&
      (last === undefined || (isDay(last) && last >= (first ?? '')));
    if (!valid) return `has "${entry}": each entry is YYYY-MM-DD or an ordered range YYYY-MM-DD/YYYY-MM-DD`;
  }
  return null;
}
