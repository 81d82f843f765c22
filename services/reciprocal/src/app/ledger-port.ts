import { addToOutbox, type EventEnvelope } from '@clubland/bus';
import { ledgerEntryRequested } from '@clubland/contract/events/ledger';
import type { Tx } from '@clubland/db';
import canonicalize from 'canonicalize';
import { RECIPROCAL_SCHEMA } from './deps.ts';

/**
 * The ledger port, as the reciprocal service uses it: every cross-club fact (an agreement's
 * transition, a letter's, a visit's) becomes an entry written in the same transaction as the fact
 * itself, with its canonical JSON (RFC 8785). Submission to the ledger is off the request path: the
 * same transaction adds a `ledger.entry_requested` event to the outbox (its envelope id is the
 * entry's id, so a redelivery is recognised as the same entry), the ledger service signs and seals
 * it, and its `ledger.entry_status_changed` events move the row here from PENDING to SUBMITTED and
 * CONFIRMED (ledger-status-consumer.ts), which is what blockchainTxId and visitBlockchainStatus show.
 */
export interface LedgerEntryInput {
  id: string;
  entityKind: 'agreement' | 'letter' | 'visit' | 'settlement';
  entityId: string;
  fact: string;
  clubId: string;
  counterpartyClubId: string | null;
  payload: Record<string, unknown>;
  at: Date;
}

export interface LedgerEntryRow {
  id: string;
  entityKind: string;
  entityId: string;
  fact: string;
  status: 'PENDING' | 'SUBMITTED' | 'CONFIRMED' | 'FAILED';
  createdAt: Date;
  /** The ledger block holding the entry once CONFIRMED (int8: a string); null before. */
  blockNumber: string | null;
  confirmedAt: Date | null;
  /** Why the ledger refused it (FAILED); null otherwise. */
  error: string | null;
}

/**
 * Writes the entry and adds its `ledger.entry_requested` to the outbox, with `events`, the fact's
 * own events (visit.status_changed, ...), in the same statement.
 */
export async function recordLedgerEntry(
  tx: Tx,
  entry: LedgerEntryInput,
  events: readonly EventEnvelope[] = [],
): Promise<string> {
  const payload = canonicalize(entry.payload) ?? '{}';
  const request = ledgerEntryRequested.build(
    {
      tenantId: entry.clubId,
      correlationId: null,
      data: {
        entryId: entry.id,
        entityKind: entry.entityKind,
        entityId: entry.entityId,
        fact: entry.fact,
        clubId: entry.clubId,
        counterpartyClubId: entry.counterpartyClubId,
        payload,
        at: entry.at.toISOString(),
      },
    },
    { newId: () => entry.id, clock: () => entry.at },
  );
  // The entry and the outbox's rows go out together (one round trip on PostgreSQL's pipeline).
  await Promise.all([
    tx.query(
      `INSERT INTO reciprocal.ledger_entries
         (id, entity_kind, entity_id, fact, club_id, counterparty_club_id, payload, status, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'PENDING', $8)`,
      [
        entry.id,
        entry.entityKind,
        entry.entityId,
        entry.fact,
        entry.clubId,
        entry.counterpartyClubId,
        payload,
        entry.at,
      ],
    ),
    addToOutbox(tx, RECIPROCAL_SCHEMA, [...events, request]),
  ]);
  return entry.id;
}

/** The newest entry about an entity, if any (the one its blockchainTxId names). */
export async function latestLedgerEntry(tx: Tx, entityId: string): Promise<LedgerEntryRow | null> {
  const { rows } = await tx.query<LedgerEntryRow>(
    `SELECT id, entity_kind AS "entityKind", entity_id AS "entityId", fact, status, created_at AS "createdAt",
            block_number AS "blockNumber", confirmed_at AS "confirmedAt", error
       FROM reciprocal.ledger_entries WHERE entity_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1`,
    [entityId],
  );
  return rows[0] ?? null;
}

/**
 * Many entries in a few statements (5,000 a statement): closing a settlement period writes one per
 * statement issued, ~20,000 for a network of 200 clubs, where a round trip each took seconds.
 */
export async function recordLedgerEntries(tx: Tx, entries: readonly LedgerEntryInput[]): Promise<void> {
  for (let start = 0; start < entries.length; start += 5000) {
    const batch = entries.slice(start, start + 5000);
    await tx.query(
      `INSERT INTO reciprocal.ledger_entries
         (id, entity_kind, entity_id, fact, club_id, counterparty_club_id, payload, status, created_at)
       SELECT id, kind, entity, fact, club, counterparty, payload, 'PENDING', at
         FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::uuid[], $6::uuid[], $7::text[],
                     $8::timestamptz[]) AS e(id, kind, entity, fact, club, counterparty, payload, at)`,
      [
        batch.map((entry) => entry.id),
        batch.map((entry) => entry.entityKind),
        batch.map((entry) => entry.entityId),
        batch.map((entry) => entry.fact),
        batch.map((entry) => entry.clubId),
        batch.map((entry) => entry.counterpartyClubId),
        batch.map((entry) => canonicalize(entry.payload) ?? '{}'),
        batch.map((entry) => entry.at.toISOString()),
      ],
    );
  }
}
