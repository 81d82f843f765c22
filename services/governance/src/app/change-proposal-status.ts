import { addToOutbox, type EventEnvelope } from '@clubland/bus';
import type { Tx } from '@clubland/db';
import { ClubError, invalidInput, notFound } from '@clubland/errors';
import { checkProposalAction, type ProposalAction, type ProposalSide } from '../domain/proposal-lifecycle.ts';
import { decide, type TallyCounts } from '../domain/tally.ts';
import { outcomeLedgerEntry, proposalStatusChangedEvent } from '../events/builders.ts';
import {
  createProposalQueries,
  type ProposalChangeRow,
  type ProposalRow,
  type ProposalView,
} from '../store/proposal-queries.ts';
import { GOVERNANCE_SCHEMA, type GovernanceDeps, type UseCaseContext } from './deps.ts';
import { proposingClubOf } from './manage-proposals.ts';
import { requirePrincipal, sideOf } from './proposal-access.ts';

type ChangeContext = Pick<UseCaseContext, 'clock' | 'newId' | 'correlationId'>;

/**
 * Moves a proposal on, as `side` asks, in `tx` (the proposing club's or the network's): takes the
 * proposal's voting lock and then its row (the one order every path takes them in: votes, closes,
 * the schedule), so the status it checks is the one it replaces and no vote commits beside the
 * tally; checks the lifecycle, counts the vote when closing, records the change, and adds its event
 * (and, for a decision, its ledger entry) to the outbox in the same transaction.
 */
export async function applyProposalAction(
  tx: Tx,
  context: ChangeContext,
  proposalId: string,
  request: { action: ProposalAction; side: ProposalSide; changedBy: string | null; reason: string | null },
): Promise<ProposalView> {
  const proposals = createProposalQueries(tx);
  await proposals.lockVoting(proposalId);
  const current = await proposals.viewById(proposalId, { lock: true });
  if (!current) throw notFound('proposal', proposalId);
  const now = context.clock();
  const tally: TallyCounts = current.tally;
  const verdict =
    request.action === 'close'
      ? decide(
          {
            method: current.votingMethod,
            approvalThreshold: current.approvalThreshold,
            quorumRequired: current.quorumRequired,
          },
          tally,
        )
      : null;
  const check = checkProposalAction({
    action: request.action,
    from: current.status,
    by: request.side,
    reason: request.reason,
    now,
    votingEndsAt: current.votingEndsAt,
    ...(verdict ? { outcome: verdict.outcome } : {}),
  });
  if (!check.ok) {
    if (check.code === 'reason_required') throw invalidInput('reason', check.message);
    throw new ClubError(check.code, check.message);
  }
  const reason = request.reason?.trim() || null;
  const next: ProposalRow = { ...current, status: check.to, updatedAt: now };
  if (request.action === 'withdraw') next.statusReason = reason;
  if (request.action === 'close') {
    next.closedAt = now;
    next.resolutionNotes = verdict!.summary;
  }
  if (request.action === 'expire')
    next.resolutionNotes = 'expired: never opened to the vote before its voting end time';
  const change: ProposalChangeRow = {
    id: context.newId(),
    proposalId,
    clubId: current.clubId,
    fromStatus: current.status,
    toStatus: check.to,
    reason: reason ?? (request.action === 'close' ? verdict!.summary : null),
    changedBy: request.changedBy,
    changedAt: now,
  };
  const events: EventEnvelope[] = [proposalStatusChangedEvent(next, change, tally, context)];
  if (request.action === 'close') events.push(outcomeLedgerEntry(next, tally, context));
  const { tally: _counted, ...row } = next as ProposalView;
  await Promise.all([
    proposals.update(row),
    proposals.insertChange(change),
    addToOutbox(tx, GOVERNANCE_SCHEMA, events),
  ]);
  return { ...next, tally };
}

/**
 * A caller's transition of a proposal: the proposing club's officers act in that club's
 * transaction, the network administrator in the network's.
 */
export async function changeProposalStatus(
  deps: GovernanceDeps,
  context: UseCaseContext,
  id: string,
  action: Exclude<ProposalAction, 'expire'>,
  reason: string | null,
): Promise<ProposalView> {
  const principal = requirePrincipal(context.principal);
  const clubId = await proposingClubOf(deps, principal, id);
  const side = sideOf(principal, clubId, action === 'submit' ? 'proposer' : 'network');
  if (side === null)
    throw new ClubError(
      'request.forbidden',
      action === 'open'
        ? 'only the network administrator opens a proposal to the vote'
        : 'only the proposing club or the network may do that',
      { permission: action === 'open' ? 'network:manage' : 'governance:propose' },
    );
  const run = (tx: Tx) =>
    applyProposalAction(tx, context, id, { action, side, changedBy: principal.userId, reason });
  const view = side === 'network' ? await deps.db.transaction(run) : await deps.db.withTenant(clubId, run);
  deps.eventsWritten();
  return view;
}
