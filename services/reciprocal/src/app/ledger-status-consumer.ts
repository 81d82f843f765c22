import { type Bus, createBatcher, type EventData, type Subscription } from '@clubland/bus';
import { ledgerEntryStatusChanged } from '@clubland/contract/events/ledger';
import type { Db } from '@clubland/db';

type StatusChange = EventData<typeof ledgerEntryStatusChanged>;

const RANK: Record<StatusChange['status'], number> = { PENDING: 0, SUBMITTED: 1, CONFIRMED: 2, FAILED: 2 };

/**
 * Keeps reciprocal.ledger_entries' status in step with the ledger service's
 * `ledger.entry_status_changed` events, so a visit's blockchainTxId and visitBlockchainStatus show
 * the truth. Idempotent without a processed-events marker: a status only moves forward
 * (PENDING → SUBMITTED → CONFIRMED or FAILED), so a redelivered or late event changes nothing.
 * Every entry sends two such events (taken, then sealed in a block) and a busy desk makes hundreds
 * a second: the events that arrive together are applied in one statement and one transaction.
 * A network transaction: the consumer acts for the ledger, not for one club of the pair.
 */
export function consumeLedgerStatus(db: Db, bus: Bus): Promise<Subscription> {
  const apply = createBatcher<StatusChange>({
    flush: (changes) => {
      const latest = furthestPerEntry(changes);
      const ids = latest.map((change) => change.entryId);
      return db.transaction((tx) =>
        Promise.all([
          // The rows locked in id order first (one round trip with the update): two batches in
          // flight at once never hold each other's rows crosswise (a deadlock, and both redelivered).
          tx.query(
            'SELECT 1 FROM reciprocal.ledger_entries WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE',
            [ids],
          ),
          tx.query(
            `UPDATE reciprocal.ledger_entries AS e
                SET status = c.status, block_number = coalesce(c.block_number, e.block_number),
                    confirmed_at = CASE WHEN c.status = 'CONFIRMED' THEN c.at ELSE e.confirmed_at END,
                    error = c.error
               FROM unnest($1::uuid[], $2::text[], $3::int8[], $4::timestamptz[], $5::text[])
                      AS c (id, status, block_number, at, error)
              WHERE e.id = c.id AND ${rankSql('e.status')} < ${rankSql('c.status')}`,
            [
              ids,
              latest.map((change) => change.status),
              latest.map((change) => change.blockNumber),
              latest.map((change) => change.at),
              latest.map((change) => change.error ?? null),
            ],
          ),
        ]),
      );
    },
  });
  return bus.subscribe({
    consumer: 'reciprocal-ledger-status',
    types: [ledgerEntryStatusChanged.type],
    // Handlers in flight, hence the largest batch; their order does not matter (see above).
    concurrency: 64,
    handler: async (envelope) => {
      if (!ledgerEntryStatusChanged.is(envelope)) return;
      await apply(ledgerEntryStatusChanged.parse(envelope).data);
    },
  });
}

/** One change per entry, its furthest step: an UPDATE … FROM applies one source row per target row. */
function furthestPerEntry(changes: readonly StatusChange[]): StatusChange[] {
  const furthest = new Map<string, StatusChange>();
  for (const change of changes) {
    const held = furthest.get(change.entryId);
    if (!held || RANK[change.status] > RANK[held.status]) furthest.set(change.entryId, change);
  }
  return [...furthest.values()];
}

/** RANK in SQL: the guard that an entry's status only moves forward. */
const rankSql = (value: string) =>
  `(CASE ${value} ${Object.entries(RANK)
    .map(([status, rank]) => `WHEN '${status}' THEN ${rank}`)
    .join(' ')} END)`;
