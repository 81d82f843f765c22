import { createProposalQueries } from '../store/proposal-queries.ts';
import { applyProposalAction } from './change-proposal-status.ts';
import type { GovernanceDeps, UseCaseContext } from './deps.ts';

/** Rows one run takes at most; the next run takes the rest. */
const BATCH = 200;

export interface ProposalScheduleRun {
  closed: string[];
  expired: string[];
}

/**
 * The proposals' clock, run by the service on an interval (src/index.ts): a VOTING_OPEN proposal
 * whose voting end time has passed is closed and decided by its tally; a SUBMITTED one never opened
 * by then expires. Each is recorded, evented and (a decision) ledgered like any transition, by the
 * system (changed_by null), in a network transaction of its own (the job acts for no club; one
 * proposal's failure does not undo the others'). A proposal whose voting lock another transaction
 * holds (another instance's run, a close or a vote under way) is left to the next run, and one
 * that moved on meanwhile is skipped: the voting lock comes before the row, as on every path.
 */
export async function runProposalSchedule(
  deps: GovernanceDeps,
  context: Pick<UseCaseContext, 'clock' | 'newId' | 'correlationId'>,
): Promise<ProposalScheduleRun> {
  const done: ProposalScheduleRun = { closed: [], expired: [] };
  const due = await deps.db.readAtOnce(null, (tx) =>
    createProposalQueries(tx).findDueIds(context.clock(), BATCH),
  );
  for (const id of due) {
    const action = await deps.db.transaction(async (tx) => {
      const proposals = createProposalQueries(tx);
      if (!(await proposals.tryLockVoting(id))) return null;
      const proposal = await proposals.findById(id, { lock: true });
      if (!proposal || proposal.votingEndsAt > context.clock()) return null;
      const action =
        proposal.status === 'VOTING_OPEN' ? 'close' : proposal.status === 'SUBMITTED' ? 'expire' : null;
      if (action)
        await applyProposalAction(tx, context, id, { action, side: 'system', changedBy: null, reason: null });
      return action;
    });
    if (action === 'close') done.closed.push(id);
    if (action === 'expire') done.expired.push(id);
  }
  if (done.closed.length + done.expired.length > 0) deps.eventsWritten();
  return done;
}
