import type { Tx } from '@clubland/db';
import type { ProofDocument } from '@clubland/ledger-verify';

/**
 * The ledger port: one contract, met by the embedded ledger (embedded-ledger.ts, in this service's
 * schema, the default) and by a Hyperledger Fabric network (a later adapter beside it). The service
 * around it (the consumer of ledger.entry_requested, the RPC) knows only this.
 */

export type LedgerEntryStatus = 'SUBMITTED' | 'CONFIRMED' | 'FAILED';

/** A cross-club fact to record, as ledger.entry_requested carries it. */
export interface LedgerEntry {
  /** The transaction id: the fact's entry id (a UUIDv7). */
  id: string;
  entityKind: string;
  entityId: string;
  fact: string;
  /** The submitting club: its key signs. */
  clubId: string;
  counterpartyClubId: string | null;
  /** Canonical JSON (RFC 8785) of the fact. */
  payload: string;
  /** ISO-8601 instant of the fact. */
  at: string;
}

/** An entry's step, as the port announces it (ledger.entry_status_changed). */
export interface StatusChange {
  entry: Pick<LedgerEntry, 'id' | 'entityKind' | 'entityId' | 'clubId' | 'counterpartyClubId'>;
  status: LedgerEntryStatus;
  blockNumber: number | null;
  error: string | null;
  at: Date;
}

export interface EntryStatus {
  txId: string;
  status: LedgerEntryStatus;
  blockNumber: number | null;
  error: string | null;
}

/** Who reads an entry: a club (its payload only when it is a party) or the network. */
export type LedgerReader = { kind: 'club'; clubId: string } | { kind: 'network' };

/** An entry as a reader sees it: the payload only for its parties and the network. */
export interface LedgerRecord extends EntryStatus {
  entityKind: string;
  entityId: string;
  fact: string;
  clubId: string;
  counterpartyClubId: string | null;
  payloadHash: string | null;
  /** null when the reader may not see it, or not yet on a block. */
  payload: string | null;
  at: string;
  confirmedAt: string | null;
}

/** verifyChain's answer: the first altered block (and entry, when one is to blame), or all sound. */
export type ChainVerdict =
  | { ok: true; blocks: number; entries: number }
  | { ok: false; blockNumber: number; entryId: string | null; reason: string };

export interface Ledger {
  readonly kind: 'embedded' | 'fabric';
  /**
   * Takes entries for the ledger: each becomes SUBMITTED (or FAILED, when it can never be recorded)
   * once; an id already taken, on a block or refused is skipped, so a redelivery never doubles one.
   * Returns the changes made.
   */
  submit(entries: readonly LedgerEntry[]): Promise<StatusChange[]>;
  status(txId: string): Promise<EntryStatus | null>;
  /** The newest entry about an entity, or one by id. */
  get(txId: string, reader: LedgerReader): Promise<LedgerRecord | null>;
  latestFor(entityKind: string, entityId: string, reader: LedgerReader): Promise<LedgerRecord | null>;
  /** The inclusion proof of a CONFIRMED entry, verifiable offline (packages/ledger-verify); null before. */
  proof(txId: string): Promise<ProofDocument | null>;
  verifyChain(): Promise<ChainVerdict>;
}

/** Called in the transaction that makes the changes, so their events commit with them. */
export type StatusChangesWritten = (tx: Tx, changes: readonly StatusChange[]) => Promise<void>;
