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
 * system (changed_by null). A network transaction: the job acts for no club. Rows are taken with
 * SKIP LOCKED, so instances running it at once share the work rather than repeat it.
 */
export async function runProposalSchedule(
  deps: GovernanceDeps,
  context: Pick<UseCaseContext, 'clock' | 'newId' | 'correlationId'>,
): Promise<ProposalScheduleRun> {
  const done: ProposalScheduleRun = { closed: [], expired: [] };
  await deps.db.transaction(async (tx) => {
    const due = await createProposalQueries(tx).findDue(context.clock(), BATCH);
    for (const proposal of due) {
      const action = proposal.status === 'VOTING_OPEN' ? 'close' : 'expire';
      await applyProposalAction(tx, context, proposal.id, {
        action,
        side: 'system',
        changedBy: null,
        reason: null,
      });
      (action === 'close' ? done.closed : done.expired).push(proposal.id);
    }
  });
  if (done.closed.length + done.expired.length > 0) deps.eventsWritten();
  return done;
}
