import { ClubError, invalidInput, notFound } from '@clubland/errors';
import {
  type AgreementAction,
  type AgreementSide,
  checkAgreementAction,
} from '../domain/agreement-lifecycle.ts';
import { dayOf } from '../domain/agreement-terms.ts';
import { type AgreementRow, createAgreementQueries } from '../store/agreement-queries.ts';
import { actingFor, inScopeOf, sideOf } from './agreement-access.ts';
import type { ReciprocalDeps, UseCaseContext } from './deps.ts';
import { recordAgreementChange } from './record-agreement-change.ts';

/** What a person may do to an agreement; activation and expiry are the schedule's (agreement-schedule.ts). */
export type AgreementCommand = Exclude<AgreementAction, 'activate' | 'expire'>;

export interface AgreementCommandInput {
  /** The club acting; '' for the caller's home club (a network admin naming none acts for the network). */
  clubId: string;
  id: string;
  command: AgreementCommand;
  reason: string | null;
}

/**
 * Submit, approve, reject, suspend, reinstate, cancel or terminate an agreement, on behalf of one
 * of its clubs (or the network). The domain decides whether this side may do it from this status
 * (domain/agreement-lifecycle.ts); a refusal writes nothing. An approval whose start date has come
 * makes the agreement ACTIVE in the same transaction (two recorded transitions); a later start is
 * the schedule's. An agreement of another pair reads as missing: row-level security hides it.
 */
export async function changeAgreementStatus(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  input: AgreementCommandInput,
): Promise<AgreementRow> {
  const acting = actingFor(context.principal, input.clubId);
  const reason = input.reason?.trim() || null;
  if (reason && reason.length > 1000) throw invalidInput('reason', 'reason must be at most 1000 characters');
  const now = context.clock();

  const result = await inScopeOf(deps.db, acting, async (tx) => {
    const agreements = createAgreementQueries(tx);
    // FOR UPDATE: two decisions on one agreement (an approval racing a cancellation) serialise,
    // and the second is judged against the status the first left.
    const current = await agreements.findById(input.id, { forUpdate: true });
    if (!current) throw notFound('agreement', input.id);
    const side = sideOf(acting, current);
    const suspendedBy =
      input.command === 'reinstate'
        ? suspenderOf(await agreements.lastSuspension(current.id), current)
        : null;
    const check = checkAgreementAction({
      action: input.command,
      from: current.status,
      by: side,
      reason,
      suspendedBy,
    });
    if (!check.ok) {
      if (check.code === 'reason_required') throw invalidInput('reason', check.message);
      throw new ClubError(check.code, check.message, { from: current.status, to: check.to });
    }
    const who = { changedBy: acting.principal.userId, changedByClubId: acting.clubId };
    let row = await recordAgreementChange(tx, context, current, {
      ...who,
      action: input.command,
      from: check.from,
      to: check.to,
      reason,
    });
    if (
      row.status === 'APPROVED' &&
      row.startsOn <= dayOf(now) &&
      (row.endsOn === null || row.endsOn >= dayOf(now))
    ) {
      row = await recordAgreementChange(tx, context, row, {
        action: 'activate',
        from: 'APPROVED',
        to: 'ACTIVE',
        reason: null,
        changedBy: null,
        changedByClubId: null,
      });
    }
    return row;
  });
  deps.eventsWritten();
  return result;
}

function suspenderOf(
  suspension: { changedByClubId: string | null } | null,
  agreement: AgreementRow,
): AgreementSide | null {
  if (!suspension) return null;
  if (suspension.changedByClubId === null) return 'network';
  return suspension.changedByClubId === agreement.proposerClubId ? 'proposer' : 'partner';
}
