import type { Tx } from '@clubland/db';
import { ClubError, invalidInput, notFound } from '@clubland/errors';
import { checkVisitTransition, type VisitStatus } from '../domain/visit-lifecycle.ts';
import { visitTransitionEvent } from '../events/builders.ts';
import {
  createVisitQueries,
  type VisitChangeRow,
  type VisitRow,
  type VisitView,
} from '../store/visit-queries.ts';
import type { UseCaseContext } from './deps.ts';
import { recordLedgerEntry } from './ledger-port.ts';

/** What a transition writes on the row besides its status. */
export type TransitionPatch = Partial<Pick<VisitRow, 'checkedOutAt' | 'facilitiesUsed' | 'costs' | 'notes'>>;

/**
 * The visit, held FOR UPDATE inside the host's tenant transaction: two desks (or a desk and the
 * member) changing one visit at once serialise here, and the second sees the first's status.
 */
export async function lockVisit(tx: Tx, visitId: string): Promise<VisitRow> {
  const visit = await createVisitQueries(tx).findById(visitId, { forUpdate: true });
  if (!visit) throw notFound('visit', visitId);
  return visit;
}

/** Throws visit.transition_refused (CONFLICT) before anything is written when the lifecycle says no. */
export function requireTransition(visit: VisitRow, to: VisitStatus): void {
  const check = checkVisitTransition(visit.status, to);
  if (!check.ok) throw new ClubError(check.code, check.message, { from: visit.status, to });
}

/**
 * One transition's record, in the caller's transaction: the row, its history, its ledger entry
 * (PENDING until the ledger service takes it) and visit.status_changed to the outbox.
 */
export async function recordVisitTransition(
  tx: Tx,
  context: UseCaseContext,
  current: VisitRow,
  to: VisitStatus,
  reason: string | null,
  /** The agreement's currency, for the view returned. */
  currency: string,
  patch: TransitionPatch = {},
): Promise<VisitView> {
  const now = context.clock();
  const visits = createVisitQueries(tx);
  const visit = await visits.updateStatus(current.id, {
    ...patch,
    status: to,
    statusReason: reason,
    updatedAt: now,
  });
  if (!visit) throw notFound('visit', current.id);
  const change: VisitChangeRow = {
    id: context.newId(),
    visitId: visit.id,
    homeClubId: visit.homeClubId,
    hostClubId: visit.hostClubId,
    fromStatus: current.status,
    toStatus: to,
    reason,
    changedBy: context.principal?.userId ?? null,
    changedAt: now,
  };
  await visits.addChange(change);
  const ledgerTxId = await recordLedgerEntry(
    tx,
    {
      id: context.newId(),
      entityKind: 'visit',
      entityId: visit.id,
      fact: `visit.${to.toLowerCase()}`,
      clubId: visit.hostClubId,
      counterpartyClubId: visit.homeClubId,
      payload: {
        visitId: visit.id,
        hostClubId: visit.hostClubId,
        homeClubId: visit.homeClubId,
        memberId: visit.memberId,
        agreementId: visit.agreementId,
        from: current.status,
        to,
        visitDate: visit.visitDate,
        checkedInAt: visit.checkedInAt?.toISOString() ?? null,
        checkedOutAt: visit.checkedOutAt?.toISOString() ?? null,
        costs: visit.costs,
        at: now.toISOString(),
      },
      at: now,
    },
    [visitTransitionEvent(visit, change, context)],
  );
  return {
    ...visit,
    ledgerTxId,
    ledgerStatus: 'PENDING',
    ledgerRecordedAt: now,
    ledgerFact: `visit.${to.toLowerCase()}`,
    ledgerBlockNumber: null,
    ledgerConfirmedAt: null,
    ledgerError: null,
    currency,
  };
}

/** A reason or note as given: trimmed, null when empty, BAD_USER_INPUT past `max` characters. */
export function optionalText(value: string, field: string, max: number): string | null {
  const text = value.trim();
  if (text.length > max) throw invalidInput(field, `${field} must be at most ${max} characters`);
  return text === '' ? null : text;
}
