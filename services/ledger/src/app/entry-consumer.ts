import { type Bus, createBatcher, type Subscription } from '@clubland/bus';
import { ledgerEntryRequested } from '@clubland/contract/events/ledger';
import type { LedgerEntry } from '../ledger/ledger-port.ts';

/**
 * The ledger's durable consumer of `ledger.entry_requested`. Entries that arrive together (the
 * subscription runs many handlers at once) are submitted together, in one transaction; each
 * handler resolves when its entry is taken, or throws with the batch so the bus redelivers it.
 * Redeliveries are harmless: the ledger takes an entry id once (ledger-port.ts submit).
 */
export function consumeEntryRequests(options: {
  bus: Bus;
  submit: (entries: readonly LedgerEntry[]) => Promise<unknown>;
  /** Handlers in flight, hence the largest batch. */
  concurrency?: number;
}): Promise<Subscription> {
  const take = createBatcher({ flush: options.submit });
  return options.bus.subscribe({
    consumer: 'ledger-entries',
    types: [ledgerEntryRequested.type],
    concurrency: options.concurrency ?? 64,
    handler: async (envelope) => {
      if (!ledgerEntryRequested.is(envelope)) return;
      const { data } = ledgerEntryRequested.parse(envelope);
      const entry: LedgerEntry = {
        id: data.entryId,
        entityKind: data.entityKind,
        entityId: data.entityId,
        fact: data.fact,
        clubId: data.clubId,
        counterpartyClubId: data.counterpartyClubId,
        payload: data.payload,
        at: data.at,
      };
      await take(entry);
    },
  });
}
