import type { LETTER_STATUSES } from '@clubland/contract/events/reciprocal';

export type LetterStatus = (typeof LETTER_STATUSES)[number];
export type LetterDelivery = 'EMAIL' | 'QR_CODE' | 'API' | 'ALL';

/**
 * The life of a letter of introduction:
 *
 *   (issued by the home club) ──▶ PENDING ──host approves──▶ APPROVED ──check-in──▶ USED (final)
 *                                  │  └──host declines──▶ DECLINED (final)
 *   PENDING, APPROVED ──home club revokes──▶ REVOKED (final; a reissue revokes the old letter)
 *   PENDING, APPROVED ──its window passes (the expiry job)──▶ EXPIRED (final)
 *
 * Who may make each move (the host decides, the home club revokes, only the desk uses) is the
 * use case's business; this table says only which moves exist. Pure.
 */
const TRANSITIONS: Readonly<Record<LetterStatus, readonly LetterStatus[]>> = {
  PENDING: ['APPROVED', 'DECLINED', 'REVOKED', 'EXPIRED'],
  APPROVED: ['USED', 'REVOKED', 'EXPIRED'],
  USED: [],
  DECLINED: [],
  REVOKED: [],
  EXPIRED: [],
};

export type LetterTransitionCheck =
  | { ok: true; from: LetterStatus; to: LetterStatus }
  | { ok: false; code: 'letter.transition_refused'; message: string };

export function checkLetterTransition(from: LetterStatus, to: LetterStatus): LetterTransitionCheck {
  if (TRANSITIONS[from].includes(to)) return { ok: true, from, to };
  return {
    ok: false,
    code: 'letter.transition_refused',
    message:
      from === to
        ? `the letter is already ${from}`
        : `a ${from} letter cannot become ${to}` +
          (TRANSITIONS[from].length > 0 ? ` (allowed: ${TRANSITIONS[from].join(', ')})` : ' (final state)'),
  };
}

/** A letter that still awaits the host or stands: the ones a member may hold one of per host. */
export function isOpen(status: LetterStatus): boolean {
  return status === 'PENDING' || status === 'APPROVED';
}

/** The longest trip one letter covers, first to last day inclusive. */
export const MAX_TRIP_DAYS = 90;
/** How far ahead a trip may start. */
export const MAX_LEAD_DAYS = 365;

export interface TripInput {
  /** YYYY-MM-DD, first and last day (inclusive), in the host's calendar. */
  arrivesOn: string;
  departsOn: string;
  guestCount: number;
  purpose: string;
}

/** What an agreement in force between the clubs allows a letter to ask for. */
export interface TripTerms {
  guestsPerVisit: number;
  /** null: no limit. */
  maxStayNights: number | null;
}

export type TripCheck =
  | { ok: true; purpose: string; days: number }
  | { ok: false; field: 'arrivesOn' | 'departsOn' | 'guestCount' | 'purpose'; message: string };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Days from `from` to `to` (YYYY-MM-DD), negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function isDay(value: string): boolean {
  return DAY.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
}

/**
 * A trip a letter may be issued for, on `today` (YYYY-MM-DD in the host's calendar): real days,
 * arriving no earlier than today and within MAX_LEAD_DAYS, leaving no earlier than arriving, at
 * most MAX_TRIP_DAYS long; a purpose of 1-500 characters; guests within the agreement's terms when
 * one is in force (0-20 otherwise, the table's bound), and a stay within its maximum.
 */
export function checkTrip(trip: TripInput, today: string, terms: TripTerms | null): TripCheck {
  if (!isDay(trip.arrivesOn))
    return { ok: false, field: 'arrivesOn', message: 'arrivesOn must be YYYY-MM-DD' };
  if (!isDay(trip.departsOn))
    return { ok: false, field: 'departsOn', message: 'departsOn must be YYYY-MM-DD' };
  if (trip.arrivesOn < today)
    return {
      ok: false,
      field: 'arrivesOn',
      message: `arrivesOn must not be in the past (today is ${today} at the host)`,
    };
  if (daysBetween(today, trip.arrivesOn) > MAX_LEAD_DAYS)
    return { ok: false, field: 'arrivesOn', message: `arrivesOn must be within ${MAX_LEAD_DAYS} days` };
  if (trip.departsOn < trip.arrivesOn)
    return { ok: false, field: 'departsOn', message: 'departsOn must not be before arrivesOn' };
  const days = daysBetween(trip.arrivesOn, trip.departsOn) + 1;
  if (days > MAX_TRIP_DAYS)
    return { ok: false, field: 'departsOn', message: `a letter covers at most ${MAX_TRIP_DAYS} days` };
  const purpose = trip.purpose.trim();
  if (purpose.length === 0 || purpose.length > 500)
    return { ok: false, field: 'purpose', message: 'purpose must be 1-500 characters' };
  const maxGuests = terms ? Math.min(terms.guestsPerVisit, 20) : 20;
  if (!Number.isInteger(trip.guestCount) || trip.guestCount < 0 || trip.guestCount > maxGuests)
    return {
      ok: false,
      field: 'guestCount',
      message: terms
        ? `the agreement allows at most ${maxGuests} guests per visit`
        : `guestCount must be 0-${maxGuests}`,
    };
  if (terms?.maxStayNights != null && days - 1 > terms.maxStayNights)
    return {
      ok: false,
      field: 'departsOn',
      message: `the agreement allows a stay of at most ${terms.maxStayNights} nights`,
    };
  return { ok: true, purpose, days };
}

/** Today (YYYY-MM-DD) in an IANA time zone; UTC when the zone is unknown. */
export function todayIn(timezone: string, now: Date): string {
  try {
    return new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(now);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}
