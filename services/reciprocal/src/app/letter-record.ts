import type { Tx } from '@clubland/db';
import type { LetterStatus } from '../domain/letter-lifecycle.ts';
import { letterStatusChangedEvent } from '../events/builders.ts';
import { createLetterQueries, type LetterChangeRow, type LetterRow } from '../store/letter-queries.ts';
import type { UseCaseContext } from './deps.ts';
import { recordLedgerEntry } from './ledger-port.ts';

/** The ledger's name for each move (entity `letter`). */
const FACTS: Record<LetterStatus, string> = {
  PENDING: 'letter.issued',
  APPROVED: 'letter.approved',
  DECLINED: 'letter.declined',
  USED: 'letter.used',
  REVOKED: 'letter.revoked',
  EXPIRED: 'letter.expired',
};

/**
 * What every write of a letter leaves behind, inside the transaction that made it: the history
 * row, the ledger entry (a fact between two clubs) and `letter.status_changed` in the outbox. The
 * letter row itself is already written. `actingClubId`: the club the change was made for.
 */
export async function recordLetterChange(
  tx: Tx,
  context: Pick<UseCaseContext, 'clock' | 'newId' | 'correlationId'>,
  letter: LetterRow,
  move: { from: LetterStatus | null; reason: string | null; changedBy: string | null; actingClubId: string },
): Promise<{ change: LetterChangeRow; ledgerTxId: string }> {
  const change: LetterChangeRow = {
    id: context.newId(),
    letterId: letter.id,
    homeClubId: letter.homeClubId,
    hostClubId: letter.hostClubId,
    fromStatus: move.from,
    toStatus: letter.status,
    reason: move.reason,
    changedBy: move.changedBy,
    changedAt: letter.updatedAt,
  };
  await createLetterQueries(tx).addChange(change);
  const ledgerTxId = await recordLedgerEntry(
    tx,
    {
      id: context.newId(),
      entityKind: 'letter',
      entityId: letter.id,
      fact: FACTS[letter.status],
      clubId: move.actingClubId,
      counterpartyClubId: move.actingClubId === letter.homeClubId ? letter.hostClubId : letter.homeClubId,
      // Ids, dates and the decision only: the ledger is shared and kept forever, no personal data.
      payload: {
        letterId: letter.id,
        homeClubId: letter.homeClubId,
        hostClubId: letter.hostClubId,
        memberId: letter.memberId,
        agreementId: letter.agreementId,
        arrivesOn: letter.arrivesOn,
        departsOn: letter.departsOn,
        guestCount: letter.guestCount,
        from: move.from,
        to: letter.status,
        replacesId: letter.replacesId,
        changedBy: move.changedBy,
        at: letter.updatedAt.toISOString(),
      },
      at: letter.updatedAt,
    },
    [letterStatusChangedEvent(letter, change, move.actingClubId, context)],
  );
  return { change, ledgerTxId };
}
