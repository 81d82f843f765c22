import type { AgreementStatus } from './agreement.ts';

/**
 * The agreement lifecycle, as the contract's AgreementStatus names it:
 *
 *   DRAFT ──submit──▶ PENDING ──approve──▶ APPROVED ──activate──▶ ACTIVE ◀──reinstate── SUSPENDED
 *     │                 │  └──reject──▶ REJECTED    │               │  └──suspend──────────▶ │
 *     │                 │                           │               ├──terminate──▶ TERMINATED ◀─┤
 *     └─────────────────┴──────cancel───────────────┴──▶ CANCELLED  └──expire────▶ EXPIRED ◀────┘
 *                                                   └──expire──▶ EXPIRED
 *
 * Who may act, by side: the proposer drafts, submits and cancels (while it is not yet in force);
 * only the partner, the counterparty, approves or rejects, and the network cannot consent for a
 * club; either party (or the network) suspends one in force with a reason, terminates one in force;
 * a suspension is lifted by the side that made it (or the network), so neither party can undo the
 * other's; the system alone activates (at the start date) and expires (after the end date).
 * REJECTED, EXPIRED, CANCELLED and TERMINATED are final. Pure: the use case asks, then records.
 */
export type AgreementAction =
  | 'submit'
  | 'approve'
  | 'reject'
  | 'activate'
  | 'suspend'
  | 'reinstate'
  | 'expire'
  | 'cancel'
  | 'terminate';

/** On whose behalf a transition is asked: one of the two clubs, the network admin, or the scheduled job. */
export type AgreementSide = 'proposer' | 'partner' | 'network' | 'system';

interface Rule {
  from: readonly AgreementStatus[];
  to: AgreementStatus;
  by: readonly AgreementSide[];
  /** A reason must be given (it is recorded and shown to the other party). */
  needsReason: boolean;
}

const RULES: Readonly<Record<AgreementAction, Rule>> = {
  submit: { from: ['DRAFT'], to: 'PENDING', by: ['proposer'], needsReason: false },
  approve: { from: ['PENDING'], to: 'APPROVED', by: ['partner'], needsReason: false },
  reject: { from: ['PENDING'], to: 'REJECTED', by: ['partner'], needsReason: false },
  activate: { from: ['APPROVED'], to: 'ACTIVE', by: ['system'], needsReason: false },
  suspend: { from: ['ACTIVE'], to: 'SUSPENDED', by: ['proposer', 'partner', 'network'], needsReason: true },
  reinstate: {
    from: ['SUSPENDED'],
    to: 'ACTIVE',
    by: ['proposer', 'partner', 'network'],
    needsReason: false,
  },
  expire: { from: ['APPROVED', 'ACTIVE', 'SUSPENDED'], to: 'EXPIRED', by: ['system'], needsReason: false },
  cancel: {
    from: ['DRAFT', 'PENDING', 'APPROVED'],
    to: 'CANCELLED',
    by: ['proposer', 'network'],
    needsReason: false,
  },
  terminate: {
    from: ['ACTIVE', 'SUSPENDED'],
    to: 'TERMINATED',
    by: ['proposer', 'partner', 'network'],
    needsReason: false,
  },
};

/** Statuses in which the agreement is open or in force: the one live agreement per pair. */
export const LIVE_STATUSES: readonly AgreementStatus[] = [
  'DRAFT',
  'PENDING',
  'APPROVED',
  'ACTIVE',
  'SUSPENDED',
];

/** The terms may change only before the partner has decided, and only by the proposer. */
export const EDITABLE_STATUSES: readonly AgreementStatus[] = ['DRAFT', 'PENDING'];

export interface AgreementActionRequest {
  action: AgreementAction;
  from: AgreementStatus;
  by: AgreementSide;
  reason: string | null;
  /** For reinstate: the side whose suspension is in force (null: unknown, e.g. network-made). */
  suspendedBy?: AgreementSide | null;
}

export type AgreementActionCheck =
  | { ok: true; from: AgreementStatus; to: AgreementStatus }
  | {
      ok: false;
      code: 'agreement.transition_refused' | 'agreement.not_your_decision';
      message: string;
      to: AgreementStatus;
    }
  | { ok: false; code: 'reason_required'; message: string; to: AgreementStatus };

export function checkAgreementAction(request: AgreementActionRequest): AgreementActionCheck {
  const rule = RULES[request.action];
  const { from, by } = request;
  if (!rule.from.includes(from)) {
    return {
      ok: false,
      code: 'agreement.transition_refused',
      to: rule.to,
      message:
        from === rule.to
          ? `the agreement is already ${from}`
          : `a ${from} agreement cannot be ${pastTense(request.action)} (it must be ${rule.from.join(' or ')})`,
    };
  }
  if (!rule.by.includes(by)) {
    return {
      ok: false,
      code: 'agreement.not_your_decision',
      to: rule.to,
      message: refusalFor(request.action),
    };
  }
  if (
    request.action === 'reinstate' &&
    by !== 'network' &&
    request.suspendedBy != null &&
    request.suspendedBy !== by
  ) {
    return {
      ok: false,
      code: 'agreement.not_your_decision',
      to: rule.to,
      message: 'the suspension was made by the other club: only it (or the network) can lift it',
    };
  }
  if (rule.needsReason && (request.reason ?? '').trim() === '') {
    return {
      ok: false,
      code: 'reason_required',
      to: rule.to,
      message: `a reason is required to ${request.action}`,
    };
  }
  return { ok: true, from, to: rule.to };
}

/** May this side change the terms of an agreement in this status? */
export function checkTermsEdit(
  status: AgreementStatus,
  by: AgreementSide,
):
  | { ok: true }
  | { ok: false; code: 'agreement.transition_refused' | 'agreement.not_your_decision'; message: string } {
  if (!EDITABLE_STATUSES.includes(status)) {
    return {
      ok: false,
      code: 'agreement.transition_refused',
      message: `the terms of a ${status} agreement cannot change (only while DRAFT or PENDING)`,
    };
  }
  if (by !== 'proposer' && by !== 'network') {
    return {
      ok: false,
      code: 'agreement.not_your_decision',
      message: 'only the proposing club changes the terms; the partner approves or rejects them',
    };
  }
  return { ok: true };
}

/** The ledger's name for the fact an action makes: agreement.approved, agreement.expired, ... */
export function agreementFact(action: AgreementAction | 'propose'): string {
  return `agreement.${action === 'propose' ? 'proposed' : pastTense(action)}`;
}

/** The status an action leads to (whether or not it is allowed from here). */
export function targetOf(action: AgreementAction): AgreementStatus {
  return RULES[action].to;
}

function pastTense(action: AgreementAction): string {
  const forms: Record<AgreementAction, string> = {
    submit: 'submitted',
    approve: 'approved',
    reject: 'rejected',
    activate: 'activated',
    suspend: 'suspended',
    reinstate: 'reinstated',
    expire: 'expired',
    cancel: 'cancelled',
    terminate: 'terminated',
  };
  return forms[action];
}

function refusalFor(action: AgreementAction): string {
  switch (action) {
    case 'submit':
      return 'only the proposing club submits its proposal';
    case 'approve':
    case 'reject':
      return `only the partner club's admin may ${action} an agreement proposed to it`;
    case 'activate':
    case 'expire':
      return 'agreements start and end by their dates, not by hand';
    case 'cancel':
      return 'only the proposing club cancels its proposal; the partner rejects it';
    default:
      return `a party to the agreement may ${action} it`;
  }
}
