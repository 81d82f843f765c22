import type { Bus, Subscription } from '@clubland/bus';
import { ledgerEntryStatusChanged } from '@clubland/contract/events/ledger';
import type { Db } from '@clubland/db';

/**
 * Keeps reciprocal.ledger_entries' status in step with the ledger service's
 * `ledger.entry_status_changed` events, so a visit's blockchainTxId and visitBlockchainStatus show
 * the truth. Idempotent without a processed-events marker: a status only moves forward
 * (PENDING → SUBMITTED → CONFIRMED or FAILED), so a redelivered or late event changes nothing.
 * A network transaction: the consumer acts for the ledger, not for one club of the pair.
 */
export function consumeLedgerStatus(db: Db, bus: Bus): Promise<Subscription> {
  return bus.subscribe({
    consumer: 'reciprocal-ledger-status',
    types: [ledgerEntryStatusChanged.type],
    handler: async (envelope) => {
      if (!ledgerEntryStatusChanged.is(envelope)) return;
      const { data } = ledgerEntryStatusChanged.parse(envelope);
      await db.transaction((tx) =>
        tx.query(
          `UPDATE reciprocal.ledger_entries
              SET status = $2, block_number = coalesce($3, block_number),
                  confirmed_at = CASE WHEN $2 = 'CONFIRMED' THEN $4::timestamptz ELSE confirmed_at END,
                  error = $5
            WHERE id = $1 AND ${RANK('status')} < ${RANK('$2')}`,
          [data.entryId, data.status, data.blockNumber, data.at, data.error ?? null],
        ),
      );
    },
  });
}

const RANK = (value: string) => `(CASE ${value} WHEN 'PENDING' THEN 0 WHEN 'SUBMITTED' THEN 1 ELSE 2 END)`;
