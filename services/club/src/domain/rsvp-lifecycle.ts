import type { RsvpResponse, RsvpStatus } from './event.ts';

/**
 * An RSVP's lifecycle, as the contract's RSVPStatus names it:
 *
 *   (new) ─YES, seats free──▶ CONFIRMED (or PENDING when the event requires approval; seats held)
 *   (new) ─YES, full────────▶ WAITLISTED ──seat freed (in order)──▶ CONFIRMED / PENDING
 *   (new) ─MAYBE or NO──────▶ PENDING (no seat: an answer, not a place)
 *   PENDING, CONFIRMED, WAITLISTED ──cancel──▶ CANCELLED (terminal)
 *   CONFIRMED ──check in──▶ ATTENDED;  CONFIRMED ──no show──▶ NO_SHOW
 *
 * Pure: the use case places, records and announces.
 */
const TRANSITIONS: Readonly<Record<RsvpStatus, readonly RsvpStatus[]>> = {
  PENDING: ['CONFIRMED', 'WAITLISTED', 'CANCELLED', 'PENDING'],
  CONFIRMED: ['PENDING', 'WAITLISTED', 'CANCELLED', 'ATTENDED', 'NO_SHOW', 'CONFIRMED'],
  WAITLISTED: ['CONFIRMED', 'PENDING', 'CANCELLED', 'WAITLISTED'],
  ATTENDED: [],
  NO_SHOW: [],
  CANCELLED: [],
};

export type RsvpTransitionCheck =
  | { ok: true }
  | { ok: false; code: 'rsvp.transition_refused'; message: string };

export function checkRsvpTransition(from: RsvpStatus, to: RsvpStatus): RsvpTransitionCheck {
  if (TRANSITIONS[from].includes(to)) return { ok: true };
  return {
    ok: false,
    code: 'rsvp.transition_refused',
    message: `an RSVP ${from} cannot become ${to}`,
  };
}

/** What an answer asks of the event: seats for the member and their guests, or none. */
export function seatsWanted(response: RsvpResponse, guestCount: number): number {
  return response === 'YES' ? 1 + guestCount : 0;
}

export interface Placement {
  status: RsvpStatus;
  /** Seats the RSVP holds after placing (0 when waiting or not going). */
  seats: number;
}

/**
 * Where an answer lands: a YES takes its seats when they are free (PENDING when staff approve
 * each), else waits; MAYBE and NO hold nothing. `seatsFree` counts seats the RSVP itself already
 * holds as free, so an update re-places it against its own seats.
 */
export function placeRsvp(input: {
  response: RsvpResponse;
  guestCount: number;
  seatsFree: number;
  requiresApproval: boolean;
}): Placement {
  const wanted = seatsWanted(input.response, input.guestCount);
  if (wanted === 0) return { status: 'PENDING', seats: 0 };
  if (wanted > input.seatsFree) return { status: 'WAITLISTED', seats: 0 };
  return { status: input.requiresApproval ? 'PENDING' : 'CONFIRMED', seats: wanted };
}

/**
 * Who on the waitlist gets freed seats: strictly in order, stopping at the first whose party does
 * not fit (a small party behind a large one waits too, so nobody is passed over for ever).
 */
export function promotionsFrom<T extends { seatsWanted: number }>(
  waitlist: readonly T[],
  seatsFree: number,
): T[] {
  const promoted: T[] = [];
  let free = seatsFree;
  for (const entry of waitlist) {
    if (entry.seatsWanted > free) break;
    promoted.push(entry);
    free -= entry.seatsWanted;
  }
  return promoted;
}

/**
 * The fee for cancelling at `now`: the event's percentage of the payment inside its
 * free-cancellation window before the start, nothing before it or for a free event.
 */
export function cancellationFeeOf(input: {
  now: Date;
  startsAt: Date;
  freeCancellationDays: number;
  feePercent: number;
  paymentAmount: number;
}): number {
  if (input.paymentAmount === 0 || input.feePercent === 0) return 0;
  const freeUntil = input.startsAt.getTime() - input.freeCancellationDays * 86_400_000;
  if (input.now.getTime() < freeUntil) return 0;
  return Math.round((input.paymentAmount * input.feePercent) / 100);
}
