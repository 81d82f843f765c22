import type { VISIT_STATUSES } from '@clubland/contract/events/reciprocal';

export type VisitStatus = (typeof VISIT_STATUSES)[number];

/**
 * The visit lifecycle, as the contract's VisitStatus names it:
 *
 *   PLANNED ──check in──▶ CHECKED_IN ──check out──▶ CHECKED_OUT (final)
 *      │                      │
 *      ├──no-show──▶ NO_SHOW  └──cancel──▶ CANCELLED (a check-in made in error; its count returns)
 *      └──cancel───▶ CANCELLED
 *
 * Pure: the use case asks, then records and announces.
 */
const TRANSITIONS: Readonly<Record<VisitStatus, readonly VisitStatus[]>> = {
  PLANNED: ['CHECKED_IN', 'CANCELLED', 'NO_SHOW'],
  CHECKED_IN: ['CHECKED_OUT', 'CANCELLED'],
  CHECKED_OUT: [],
  CANCELLED: [],
  NO_SHOW: [],
};

export type VisitTransitionCheck =
  | { ok: true; from: VisitStatus; to: VisitStatus }
  | { ok: false; code: 'visit.transition_refused'; message: string };

export function checkVisitTransition(from: VisitStatus, to: VisitStatus): VisitTransitionCheck {
  if (TRANSITIONS[from].includes(to)) return { ok: true, from, to };
  return {
    ok: false,
    code: 'visit.transition_refused',
    message:
      from === to
        ? `the visit is already ${from}`
        : `a ${from} visit cannot become ${to}` +
          (TRANSITIONS[from].length > 0 ? ` (allowed: ${TRANSITIONS[from].join(', ')})` : ' (final state)'),
  };
}
