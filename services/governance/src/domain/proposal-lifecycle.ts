import type { ProposalStatus } from './proposal.ts';

/**
 * The proposal lifecycle:
 *
 *   DRAFT ──submit──▶ SUBMITTED ──open──▶ VOTING_OPEN ──close──▶ APPROVED | REJECTED
 *     │                 │    └──expire──▶ EXPIRED        │
 *     └──(deleted)      └──withdraw──▶ WITHDRAWN ◀──withdraw──┘
 *
 * Who may act: the proposing club drafts, submits and withdraws (with a reason once it is public);
 * only the network opens a submitted proposal to the vote (approveProposalForVoting), and the
 * network may withdraw any; the vote is closed by the system at its end time, by the network at any
 * time, or by the proposing club once its end time has passed (before it, a proposer closing early
 * could close while it is winning). The system expires a proposal never opened whose voting end
 * time has passed. A DRAFT is deleted rather than withdrawn: nobody else has seen it. APPROVED,
 * REJECTED, WITHDRAWN and EXPIRED are final. Pure: the use case asks, then records.
 */
export type ProposalAction = 'submit' | 'open' | 'close' | 'withdraw' | 'expire';

/** On whose behalf a transition is asked. */
export type ProposalSide = 'proposer' | 'network' | 'system';

interface Rule {
  from: readonly ProposalStatus[];
  by: readonly ProposalSide[];
  needsReason: boolean;
}

const RULES: Readonly<Record<ProposalAction, Rule>> = {
  submit: { from: ['DRAFT'], by: ['proposer'], needsReason: false },
  open: { from: ['SUBMITTED'], by: ['network'], needsReason: false },
  close: { from: ['VOTING_OPEN'], by: ['proposer', 'network', 'system'], needsReason: false },
  withdraw: { from: ['SUBMITTED', 'VOTING_OPEN'], by: ['proposer', 'network'], needsReason: true },
  expire: { from: ['SUBMITTED'], by: ['system'], needsReason: false },
};

/** Where an action leads; `close` leads to the tally's outcome (tally.ts), passed in. */
const TARGET: Readonly<Record<Exclude<ProposalAction, 'close'>, ProposalStatus>> = {
  submit: 'SUBMITTED',
  open: 'VOTING_OPEN',
  withdraw: 'WITHDRAWN',
  expire: 'EXPIRED',
};

/** The fields a proposer may still edit, and the only status in which it may be deleted. */
export const EDITABLE_STATUSES: readonly ProposalStatus[] = ['DRAFT'];

export interface ProposalActionRequest {
  action: ProposalAction;
  from: ProposalStatus;
  by: ProposalSide;
  reason: string | null;
  /** The instant of the request and the vote's end: the proposer closes only after the end. */
  now: Date;
  votingEndsAt: Date;
  /** For `close`: the outcome the tally decided. */
  outcome?: 'APPROVED' | 'REJECTED';
}

export type ProposalActionCheck =
  | { ok: true; from: ProposalStatus; to: ProposalStatus }
  | {
      ok: false;
      code: 'proposal.transition_refused' | 'request.forbidden' | 'reason_required';
      message: string;
    };

const PAST: Readonly<Record<ProposalAction, string>> = {
  submit: 'submitted',
  open: 'opened to the vote',
  close: 'closed',
  withdraw: 'withdrawn',
  expire: 'expired',
};

export function checkProposalAction(request: ProposalActionRequest): ProposalActionCheck {
  const rule = RULES[request.action];
  const { from, by } = request;
  if (!rule.from.includes(from)) {
    return {
      ok: false,
      code: 'proposal.transition_refused',
      message: `a ${from} proposal cannot be ${PAST[request.action]} (it must be ${rule.from.join(' or ')})`,
    };
  }
  if (!rule.by.includes(by)) {
    return { ok: false, code: 'request.forbidden', message: refusalFor(request.action) };
  }
  if (request.action === 'close' && by === 'proposer' && request.now < request.votingEndsAt) {
    return {
      ok: false,
      code: 'request.forbidden',
      message: `the vote runs until ${request.votingEndsAt.toISOString()}: only the network may close it early`,
    };
  }
  if (rule.needsReason && (request.reason ?? '').trim() === '') {
    return { ok: false, code: 'reason_required', message: `a reason is required to ${request.action}` };
  }
  if (request.action === 'close') {
    if (!request.outcome) throw new Error('closing a proposal needs the outcome of its tally');
    return { ok: true, from, to: request.outcome };
  }
  return { ok: true, from, to: TARGET[request.action] };
}

function refusalFor(action: ProposalAction): string {
  switch (action) {
    case 'submit':
      return 'only the proposing club submits its proposal';
    case 'open':
      return 'only the network administrator opens a proposal to the vote';
    case 'expire':
      return 'a proposal expires on its own, when its voting end time passes unopened';
    default:
      return `only the proposing club or the network may ${action} a proposal`;
  }
}
