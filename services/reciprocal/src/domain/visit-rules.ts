import type { AgreementStatus, AgreementTerms } from './agreement.ts';

/**
 * Whether a visitor may come in: pure, every reason that applies (the desk tells the member all of
 * them at once). The use case gathers the facts (agreement, letter, counts, clubs, the visitor's
 * projection) and turns a refusal into `visit.refused`; check-in then enforces the limits again in
 * the database, where concurrent desks cannot both pass them.
 */

export const REFUSAL_REASONS = [
  'AGREEMENT_INACTIVE',
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
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export interface ClubPlace {
  status: 'ACTIVE' | 'INACTIVE' | 'SUSPENDED';
  latitude: number | null;
  longitude: number | null;
}

export interface VisitFacts {
  /** The live agreement between the two clubs, if any. */
  agreement: {
    status: AgreementStatus;
    startsOn: string;
    endsOn: string | null;
    terms: AgreementTerms;
  } | null;
  /** Whether the member service, too, knows the agreement ACTIVE (it describes the visitor only then). */
  isAgreementKnownActive: boolean;
  /** The member's status at home (PENDING, ACTIVE, SUSPENDED, ...). */
  standing: string;
  livesInHostCity: boolean;
  home: ClubPlace;
  host: ClubPlace;
  /** The visit's day, YYYY-MM-DD in the host's calendar. */
  day: string;
  guestCount: number;
  nights: number;
  hasLetter: boolean;
  /** Visits already counted this month and year (host's calendar). */
  visitsThisMonth: number;
  visitsThisYear: number;
}

export type VisitCheck = { ok: true } | { ok: false; code: 'visit.refused'; reasons: RefusalReason[] };

export function checkVisit(facts: VisitFacts): VisitCheck {
  const reasons = new Set<RefusalReason>();
  const agreement = facts.agreement;
  if (!agreement || !isInForce(agreement, facts.day) || !facts.isAgreementKnownActive) {
    reasons.add('AGREEMENT_INACTIVE');
  }
  if (facts.standing !== 'ACTIVE') reasons.add('MEMBER_NOT_ACTIVE');
  if (facts.home.status !== 'ACTIVE') reasons.add('HOME_CLUB_SUSPENDED');
  if (agreement) {
    const terms = agreement.terms;
    if (isBlackout(facts.day, terms.blackoutDates)) reasons.add('BLACKOUT');
    if (terms.requiresLetter && !facts.hasLetter) reasons.add('LOI_REQUIRED');
    if (terms.maxVisitsPerMonth !== null && facts.visitsThisMonth >= terms.maxVisitsPerMonth)
      reasons.add('MONTHLY_LIMIT_REACHED');
    if (terms.maxVisitsPerYear !== null && facts.visitsThisYear >= terms.maxVisitsPerYear)
      reasons.add('YEARLY_LIMIT_REACHED');
    if (terms.minDistanceKm !== null) {
      const km = distanceKm(facts.home, facts.host);
      if (km !== null && km < terms.minDistanceKm) reasons.add('TOO_CLOSE_TO_HOME');
    }
    if (terms.refuseHostCityResidents && facts.livesInHostCity) reasons.add('RESIDENT_REFUSED');
    if (facts.guestCount > terms.guestsPerVisit) reasons.add('TOO_MANY_GUESTS');
    if (terms.maxStayNights !== null && facts.nights > terms.maxStayNights) reasons.add('STAY_TOO_LONG');
  }
  if (reasons.size === 0) return { ok: true };
  return {
    ok: false,
    code: 'visit.refused',
    reasons: REFUSAL_REASONS.filter((reason) => reasons.has(reason)),
  };
}

function isInForce(agreement: NonNullable<VisitFacts['agreement']>, day: string): boolean {
  return (
    agreement.status === 'ACTIVE' &&
    agreement.startsOn <= day &&
    (agreement.endsOn === null || day <= agreement.endsOn)
  );
}

/** Whether `day` falls on a blackout: 'YYYY-MM-DD' or an inclusive range 'YYYY-MM-DD/YYYY-MM-DD'. */
export function isBlackout(day: string, blackoutDates: readonly string[]): boolean {
  return blackoutDates.some((entry) => {
    const [from = '', to = from] = entry.split('/');
    return from !== '' && from <= day && day <= to;
  });
}

const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle (haversine) distance between two clubs; null when either has no coordinates. */
export function distanceKm(a: ClubPlace, b: ClubPlace): number | null {
  if (a.latitude === null || a.longitude === null || b.latitude === null || b.longitude === null) return null;
  const radians = (degrees: number) => (degrees * Math.PI) / 180;
  const dLat = radians(b.latitude - a.latitude);
  const dLon = radians(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(radians(a.latitude)) * Math.cos(radians(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

// A formatter per zone, made once: building one (Intl resolving the zone's rules) cost more than a
// check-in's verification itself.
const dayFormatters = new Map<string, Intl.DateTimeFormat>();

function dayFormatterFor(timeZone: string): Intl.DateTimeFormat {
  const format = (zone: string) =>
    new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = format(timeZone);
  } catch {
    formatter = format('UTC'); // a zone this runtime does not know: UTC rather than no answer
  }
  dayFormatters.set(timeZone, formatter);
  return formatter;
}

/** The calendar day of `at` in `timeZone` (IANA), YYYY-MM-DD. */
export function dayIn(timeZone: string, at: Date): string {
  const formatter = dayFormatters.get(timeZone) ?? dayFormatterFor(timeZone);
  const parts = formatter.formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** The periods a visit on `day` counts against: its month ('YYYY-MM') and its year ('YYYY'). */
export function periodsOf(day: string): { month: string; year: string } {
  return { month: day.slice(0, 7), year: day.slice(0, 4) };
}
