import type { Tx } from '@clubland/db';
import type { AgreementStatus } from '../domain/agreement.ts';
import { type AgreementAction, agreementFact } from '../domain/agreement-lifecycle.ts';
import { agreementStatusChangedEvent } from '../events/builders.ts';
import {
  type AgreementChangeRow,
  type AgreementRow,
  createAgreementQueries,
} from '../store/agreement-queries.ts';
import type { UseCaseContext } from './deps.ts';
import { recordLedgerEntry } from './ledger-port.ts';

export interface AgreementChange {
  action: AgreementAction | 'propose';
  from: AgreementStatus | null;
  to: AgreementStatus;
  reason: string | null;
  /** Null: the system (the scheduled job). */
  changedBy: string | null;
  /** Null: the network or the system. */
  changedByClubId: string | null;
}

/**
 * Everything one transition writes, in the caller's transaction: the agreement's new status, its
 * history row, a PENDING ledger entry (the cross-club fact, with the terms when they are agreed)
 * and the outbox event. The row must already be held (FOR UPDATE) or just inserted.
 */
export async function recordAgreementChange(
  tx: Tx,
  context: Pick<UseCaseContext, 'clock' | 'newId' | 'correlationId'>,
  agreement: AgreementRow,
  change: AgreementChange,
): Promise<AgreementRow> {
  const agreements = createAgreementQueries(tx);
  const now = context.clock();
  const updated =
    change.from === null
      ? agreement
      : await agreements.update(agreement.id, {
          status: change.to,
          // Reinstatement and activation clear the last suspension's reason; the history keeps it.
          statusReason: change.to === 'ACTIVE' ? null : (change.reason ?? agreement.statusReason),
          updatedAt: now,
        });
  if (!updated) throw new Error(`agreement ${agreement.id} vanished while held`);
  const row: AgreementChangeRow = {
    id: context.newId(),
    agreementId: agreement.id,
    proposerClubId: agreement.proposerClubId,
    partnerClubId: agreement.partnerClubId,
    fromStatus: change.from,
    toStatus: change.to,
    reason: change.reason,
    changedBy: change.changedBy,
    changedByClubId: change.changedByClubId,
    changedAt: now,
  };
  await agreements.addChange(row);
  const submitter = change.changedByClubId ?? agreement.proposerClubId;
  await recordLedgerEntry(
    tx,
    {
      id: context.newId(),
      entityKind: 'agreement',
      entityId: agreement.id,
      fact: agreementFact(change.action),
      clubId: submitter,
      counterpartyClubId:
        submitter === agreement.proposerClubId ? agreement.partnerClubId : agreement.proposerClubId,
      payload: {
        agreementId: agreement.id,
        proposerClubId: agreement.proposerClubId,
        partnerClubId: agreement.partnerClubId,
        agreementType: updated.agreementType,
        from: change.from,
        to: change.to,
        reason: change.reason,
        changedBy: change.changedBy,
        changedByClubId: change.changedByClubId,
        changedAt: now.toISOString(),
        startsOn: updated.startsOn,
        endsOn: updated.endsOn,
        // What was agreed travels with the facts that make or change an agreement.
        ...(change.to === 'PENDING' || change.to === 'APPROVED' || change.from === null
          ? { terms: updated.terms }
          : {}),
      },
      at: now,
    },
    [agreementStatusChangedEvent(updated, row, context)],
  );
  return updated;
}
