import { defineEvent } from '@clubland/bus';
import { z } from 'zod';

/**
 * Events between the services that write cross-club facts and the ledger service. A fact's service
 * asks for an entry in the fact's own transaction (`ledger.entry_requested`, its envelope id the
 * entry's id, so JetStream and the ledger's consumer both recognise a redelivery); the ledger
 * announces every step of the entry (`ledger.entry_status_changed`) to whoever keeps a copy of its
 * status (the reciprocal service's ledger_entries) and to the gateway's subscribers.
 */

export const LEDGER_ENTITY_KINDS = [
  'agreement',
  'letter',
  'visit',
  'settlement',
  'proposal',
  'vote',
] as const;
export const LEDGER_ENTRY_STATUSES = ['PENDING', 'SUBMITTED', 'CONFIRMED', 'FAILED'] as const;

/** A cross-club fact asks to go on the ledger. The envelope's id is `entryId`. */
export const ledgerEntryRequested = defineEvent(
  'ledger.entry_requested',
  1,
  z.object({
    entryId: z.uuid(),
    entityKind: z.enum(LEDGER_ENTITY_KINDS),
    entityId: z.uuid(),
    /** The fact: agreement.approved, visit.checked_in, ... */
    fact: z.string().min(1).max(100),
    /** The submitting club: its key signs the entry. */
    clubId: z.uuid(),
    counterpartyClubId: z.uuid().nullable(),
    /** Canonical JSON (RFC 8785) of the fact, exactly the bytes whose hash goes on the ledger. */
    payload: z.string().min(2),
    at: z.iso.datetime({ offset: true }),
  }),
);

/** An entry moved on: SUBMITTED (taken by the ledger), CONFIRMED (in a block) or FAILED. */
export const ledgerEntryStatusChanged = defineEvent(
  'ledger.entry_status_changed',
  1,
  z.object({
    entryId: z.uuid(),
    entityKind: z.enum(LEDGER_ENTITY_KINDS),
    entityId: z.uuid(),
    clubId: z.uuid(),
    counterpartyClubId: z.uuid().nullable(),
    status: z.enum(LEDGER_ENTRY_STATUSES),
    /** The block holding the entry once CONFIRMED; null before. */
    blockNumber: z.number().int().min(0).nullable(),
    /** Why it FAILED; null otherwise. */
    error: z.string().nullable().optional(),
    at: z.iso.datetime({ offset: true }),
  }),
);
