/** The booking lifecycle. */
export const BOOKING_STATUSES = [
  'REQUESTED',
  'CONFIRMED',
  'CHECKED_IN',
  'COMPLETED',
  'CANCELLED',
  'NO_SHOW',
] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/**
 * A booking's statuses (the contract's BookingStatus calls REQUESTED `PENDING` and COMPLETED
 * `CHECKED_OUT`; the gateway maps them):
 *
 *   REQUESTED ──confirm──▶ CONFIRMED ──check in──▶ CHECKED_IN ──check out──▶ COMPLETED
 *       │                      ├──no-show──▶ NO_SHOW
 *       └──────────────────────┴──cancel───▶ CANCELLED
 *
 * A booking starts CONFIRMED, unless the facility requires approval or the booker is a reciprocal
 * visitor: then it starts REQUESTED and staff confirm it (initialStatus). A booking holds its unit
 * while REQUESTED, CONFIRMED or CHECKED_IN (OPEN_STATUSES, the exclusion constraint's WHERE);
 * COMPLETED, CANCELLED and NO_SHOW are final. Pure: the use case asks, then records and announces.
 */
const TRANSITIONS: Readonly<Record<BookingStatus, readonly BookingStatus[]>> = {
  REQUESTED: ['CONFIRMED', 'CANCELLED'],
  CONFIRMED: ['CHECKED_IN', 'CANCELLED', 'NO_SHOW'],
  CHECKED_IN: ['COMPLETED'],
  COMPLETED: [],
  CANCELLED: [],
  NO_SHOW: [],
};

/** Statuses in which a booking holds its unit (and counts against the member's open bookings). */
export const OPEN_STATUSES: readonly BookingStatus[] = ['REQUESTED', 'CONFIRMED', 'CHECKED_IN'];

export function isOpen(status: BookingStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

export function initialStatus(options: { requiresApproval: boolean; byVisitor: boolean }): BookingStatus {
  return options.requiresApproval || options.byVisitor ? 'REQUESTED' : 'CONFIRMED';
}

export type BookingTransitionCheck =
  | { ok: true; from: BookingStatus; to: BookingStatus }
  | { ok: false; code: 'booking.transition_refused'; message: string };

export function checkBookingTransition(from: BookingStatus, to: BookingStatus): BookingTransitionCheck {
  if (TRANSITIONS[from].includes(to)) return { ok: true, from, to };
  return {
    ok: false,
    code: 'booking.transition_refused',
    message:
      from === to
        ? `the booking is already ${from}`
        : `a ${from} booking cannot become ${to}` +
          (TRANSITIONS[from].length > 0 ? ` (allowed: ${TRANSITIONS[from].join(', ')})` : ' (final state)'),
  };
}

export function nextBookingStatuses(from: BookingStatus): readonly BookingStatus[] {
  return TRANSITIONS[from];
}
