import { checkAgreementAction } from '../domain/agreement-lifecycle.ts';
import { dayOf } from '../domain/agreement-terms.ts';
import { createAgreementQueries } from '../store/agreement-queries.ts';
import type { ReciprocalDeps, UseCaseContext } from './deps.ts';
import { type AgreementChange, recordAgreementChange } from './record-agreement-change.ts';

/** Rows one run takes at most; the next run takes the rest. */
const BATCH = 500;

export interface ScheduleRun {
  activated: string[];
  expired: string[];
}

/**
 * The agreements' clock, run by the service on an interval (src/index.ts): an APPROVED agreement
 * whose start date has come becomes ACTIVE; one APPROVED, ACTIVE or SUSPENDED whose end date has
 * passed becomes EXPIRED. Each is recorded, ledgered and evented like any transition, by the
 * system (changed_by null). A network transaction, since the job acts for no club and must see
 * every pair. Days are UTC days of the clock: an agreement in force "until 31 December" ends when
 * 1 January starts in UTC, not in either club's time zone.
 */
export async function runAgreementSchedule(
  deps: ReciprocalDeps,
  context: Pick<UseCaseContext, 'clock' | 'newId' | 'correlationId'>,
): Promise<ScheduleRun> {
  const today = dayOf(context.clock());
  const done: ScheduleRun = { activated: [], expired: [] };
  await deps.db.transaction(async (tx) => {
    const due = await createAgreementQueries(tx).findDue(today, BATCH);
    for (const agreement of due) {
      const expires = agreement.endsOn !== null && agreement.endsOn < today;
      const action = expires ? 'expire' : 'activate';
      const check = checkAgreementAction({ action, from: agreement.status, by: 'system', reason: null });
      if (!check.ok) continue;
      const change: AgreementChange = {
        action,
        from: check.from,
        to: check.to,
        reason: expires ? `ended on ${agreement.endsOn}` : null,
        changedBy: null,
        changedByClubId: null,
      };
      await recordAgreementChange(tx, context, agreement, change);
      (expires ? done.expired : done.activated).push(agreement.id);
    }
  });
  if (done.activated.length + done.expired.length > 0) deps.eventsWritten();
  return done;
}
