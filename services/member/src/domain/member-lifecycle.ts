import type { MemberStatus } from './member.ts';

/**
 * The member lifecycle, as the contract's MemberStatus names it:
 *
 *   PENDING ──activate──▶ ACTIVE ◀──reinstate── SUSPENDED
 *                          │  └──suspend──────────▶ │
 *                          ├──expire──▶ EXPIRED ──renew──▶ ACTIVE
 *   (any but INACTIVE) ──terminate──▶ INACTIVE (terminal)
 *
 * SUSPENDED may also lapse to EXPIRED. PENDING may only be activated or terminated (an
 * application turned down). Pure: the use case asks, then records and announces.
 */
const TRANSITIONS: Readonly<Record<MemberStatus, readonly MemberStatus[]>> = {
  PENDING: ['ACTIVE', 'INACTIVE'],
  ACTIVE: ['SUSPENDED', 'EXPIRED', 'INACTIVE'],
  SUSPENDED: ['ACTIVE', 'EXPIRED', 'INACTIVE'],
  EXPIRED: ['ACTIVE', 'INACTIVE'],
  INACTIVE: [],
};

export type TransitionCheck =
  | { ok: true; from: MemberStatus; to: MemberStatus }
  | { ok: false; code: 'member.transition_refused'; message: string };

export function checkTransition(from: MemberStatus, to: MemberStatus): TransitionCheck {
  if (TRANSITIONS[from].includes(to)) return { ok: true, from, to };
  return {
    ok: false,
    code: 'member.transition_refused',
    message:
      from === to
        ? `the member is already ${from}`
        : `a ${from} member cannot become ${to}` +
          (TRANSITIONS[from].length > 0 ? ` (allowed: ${TRANSITIONS[from].join(', ')})` : ' (final state)'),
  };
}

/** Every status the machine can move a member to from `from`. */
export function nextStatuses(from: MemberStatus): readonly MemberStatus[] {
  return TRANSITIONS[from];
}
