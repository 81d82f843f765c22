import type { EventEnvelope } from '@clubland/bus';
import { LEDGER_ENTITY_KINDS, ledgerEntryStatusChanged } from '@clubland/contract/events/ledger';
import type { StatusChange } from '../ledger/ledger-port.ts';

/** Every event the ledger service emits is built here, from the contract's definition. */

/** An entry moved on; the submitting club is the event's tenant. */
export function entryStatusChanged(change: StatusChange, newId: () => string): EventEnvelope {
  const { entry } = change;
  return ledgerEntryStatusChanged.build(
    {
      tenantId: entry.clubId,
      correlationId: null,
      data: {
        entryId: entry.id,
        entityKind: entityKindOf(entry.entityKind),
        entityId: entry.entityId,
        clubId: entry.clubId,
        counterpartyClubId: entry.counterpartyClubId,
        status: change.status,
        blockNumber: change.blockNumber,
        error: change.error,
        at: change.at.toISOString(),
      },
    },
    { newId, clock: () => change.at },
  );
}

function entityKindOf(kind: string): (typeof LEDGER_ENTITY_KINDS)[number] {
  const known = LEDGER_ENTITY_KINDS.find((k) => k === kind);
  if (!known) throw new Error(`unknown ledger entity kind ${kind}`);
  return known;
}
