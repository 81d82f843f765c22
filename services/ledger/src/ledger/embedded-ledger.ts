import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { Db, Tx } from '@clubland/db';
import {
  auditPath,
  type BlockHeader,
  blockHash,
  GENESIS_PREVIOUS_HASH,
  leafData,
  leafHash,
  merkleRoot,
  type ProofDocument,
  type SignedEntry,
  sha256Hex,
  signedMessage,
} from '@clubland/ledger-verify';
import canonicalize from 'canonicalize';
import type { ClubKeyring } from './club-keys.ts';
import type { EntrySigner } from './entry-signer.ts';
import type {
  ChainVerdict,
  EntryStatus,
  Ledger,
  LedgerEntry,
  LedgerReader,
  LedgerRecord,
  StatusChange,
  StatusChangesWritten,
} from './ledger-port.ts';

export interface EmbeddedLedgerOptions {
  db: Db;
  keys: ClubKeyring;
  /** Signs a block's entries (on worker threads, or inline). */
  signer: EntrySigner;
  clock: () => Date;
  /** Writes the changes' events in the transaction that makes them (the service's outbox). */
  statusChanged: StatusChangesWritten;
  /** Entries per block at most. */
  maxBlockEntries: number;
}

export interface EmbeddedLedger extends Ledger {
  readonly kind: 'embedded';
  /**
   * Seals the oldest pending entries (up to maxBlockEntries) into the next block, when at least
   * `minEntries` are waiting; returns how many it sealed (0: none). One block at a time across
   * every process: the chain's head is taken under a transaction-level advisory lock.
   */
  sealBlock(minEntries?: number): Promise<number>;
}

/**
 * The embedded ledger, in the ledger schema (PGlite or PostgreSQL). Submitting puts entries in
 * ledger.pending (SUBMITTED); sealing signs each with its club's key, builds the block's RFC 6962
 * tree, appends the block, its entries and their payloads, and drops them from pending, in one
 * transaction with their CONFIRMED events: a crash before the commit leaves them pending, after
 * it leaves them on the chain, never both.
 */
export function createEmbeddedLedger(options: EmbeddedLedgerOptions): EmbeddedLedger {
  const { db, keys } = options;

  function submit(entries: readonly LedgerEntry[]): Promise<StatusChange[]> {
    return submitEntries(db, entries, options.clock(), 'ledger.entries', options.statusChanged);
  }

  async function sealBlock(minEntries = 1): Promise<number> {
    return db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('clubland.ledger'), 0)`);
      const { rows: waiting } = await tx.query<PendingRow>(
        `SELECT p.id, p.entity_kind AS "entityKind", p.entity_id AS "entityId", p.fact, p.club_id AS "clubId",
                p.counterparty_club_id AS "counterpartyClubId", p.payload, p.at,
                EXISTS (SELECT 1 FROM ledger.entries e WHERE e.id = p.id) AS "isOnLedger"
           FROM ledger.pending p ORDER BY p.received_at, p.id LIMIT $1`,
        [options.maxBlockEntries],
      );
      if (waiting.length < minEntries) return 0;
      // A redelivery racing a seal can put an entry back in pending after its block committed:
      // it is dropped here, never sealed twice (entries.id would refuse it anyway).
      const fresh = waiting.filter((row) => !row.isOnLedger);
      const taken = tx.query('DELETE FROM ledger.pending WHERE id = ANY($1::uuid[])', [
        waiting.map((row) => row.id),
      ]);
      // Sent behind the block's statements without waiting for their answers (the connection
      // pipelines them): one round trip for the whole block rather than one per statement.
      await Promise.all([fresh.length > 0 ? appendBlock(tx, fresh) : undefined, taken]);
      return fresh.length;
    });
  }

  async function appendBlock(tx: Tx, rows: readonly PendingRow[]): Promise<void> {
    const { rows: heads } = await tx.query<{ number: string; hash: string }>(
      'SELECT number, hash FROM ledger.blocks ORDER BY number DESC LIMIT 1',
    );
    const head = heads[0];
    const entries: SignedEntry[] = [];
    const messages: Buffer[] = [];
    const signingKeys: KeyObject[] = [];
    for (const row of rows) {
      const key = await keys.current(tx, row.clubId);
      const entry: SignedEntry = {
        txId: row.id,
        entityKind: row.entityKind,
        entityId: row.entityId,
        fact: row.fact,
        clubId: row.clubId,
        counterpartyClubId: row.counterpartyClubId,
        payloadHash: sha256Hex(row.payload),
        at: row.at,
        keyId: key.id,
      };
      entries.push(entry);
      messages.push(signedMessage(entry));
      signingKeys.push(key.privateKey);
    }
    const signatures = await options.signer.sign(messages, signingKeys);
    const signed = entries.map((entry, i) => {
      const signature = (signatures[i] as Buffer).toString('base64');
      const leaf = leafHash(leafData(messages[i] as Buffer, signature));
      return { entry, signature, leaf, payload: (rows[i] as PendingRow).payload };
    });
    const sealedAt = options.clock();
    const header: BlockHeader = {
      number: head ? Number(head.number) + 1 : 0,
      previousHash: head?.hash ?? GENESIS_PREVIOUS_HASH,
      merkleRoot: merkleRoot(signed.map(({ leaf }) => leaf)).toString('hex'),
      entryCount: signed.length,
      sealedAt: sealedAt.toISOString(),
    };
    // In one round trip: the connection pipelines the four statements, which run in this order.
    await Promise.all([
      tx.query(
        `INSERT INTO ledger.blocks (number, previous_hash, merkle_root, entry_count, sealed_at, hash)
       VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          header.number,
          header.previousHash,
          header.merkleRoot,
          header.entryCount,
          header.sealedAt,
          blockHash(header),
        ],
      ),
      tx.query(
        `INSERT INTO ledger.entries (id, block_number, position, entity_kind, entity_id, fact, club_id,
              counterparty_club_id, payload_hash, at, key_id, signature)
       SELECT r.id, $2, r.position, r.entity_kind, r.entity_id, r.fact, r.club_id, r.counterparty_club_id,
              r.payload_hash, r.at, r.key_id, r.signature
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, position integer, entity_kind text, entity_id text,
              fact text, club_id text, counterparty_club_id text, payload_hash text, at text, key_id uuid, signature text)`,
        [
          JSON.stringify(
            signed.map(({ entry, signature }, position) => ({
              id: entry.txId,
              position,
              entity_kind: entry.entityKind,
              entity_id: entry.entityId,
              fact: entry.fact,
              club_id: entry.clubId,
              counterparty_club_id: entry.counterpartyClubId,
              payload_hash: entry.payloadHash,
              at: entry.at,
              key_id: entry.keyId,
              signature,
            })),
          ),
          header.number,
        ],
      ),
      tx.query(
        `INSERT INTO ledger.payloads (entry_id, club_id, counterparty_club_id, payload)
       SELECT r.id, r.club_id, r.counterparty_club_id, r.payload
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, club_id uuid, counterparty_club_id uuid, payload text)`,
        [
          JSON.stringify(
            signed.map(({ entry, payload }) => ({
              id: entry.txId,
              club_id: entry.clubId,
              counterparty_club_id: entry.counterpartyClubId,
              payload,
            })),
          ),
        ],
      ),
      options.statusChanged(
        tx,
        rows.map((row) => change(row, 'CONFIRMED', header.number, null, sealedAt)),
      ),
    ]);
  }

  async function status(txId: string): Promise<EntryStatus | null> {
    const { rows } = await db.readAtOnce(null, (tx) =>
      tx.query<{ status: EntryStatus['status']; blockNumber: string | null; error: string | null }>(
        `SELECT 'CONFIRMED' AS status, block_number AS "blockNumber", NULL AS error FROM ledger.entries WHERE id = $1
         UNION ALL SELECT 'FAILED', NULL, reason FROM ledger.failures WHERE id = $1
         UNION ALL SELECT 'SUBMITTED', NULL, NULL FROM ledger.pending WHERE id = $1
         LIMIT 1`,
        [txId],
      ),
    );
    const row = rows[0];
    return row
      ? {
          txId,
          status: row.status,
          blockNumber: row.blockNumber === null ? null : Number(row.blockNumber),
          error: row.error,
        }
      : null;
  }

  function asReader<T>(reader: LedgerReader, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return reader.kind === 'club' ? db.withTenant(reader.clubId, fn) : db.transaction(fn);
  }

  async function get(txId: string, reader: LedgerReader): Promise<LedgerRecord | null> {
    return asReader(reader, async (tx) => {
      const { rows } = await tx.query<RecordRow>(`${RECORD_SQL} WHERE x.id = $1 LIMIT 1`, [txId]);
      return rows[0] ? recordOf(rows[0]) : null;
    });
  }

  async function latestFor(entityKind: string, entityId: string, reader: LedgerReader) {
    return asReader(reader, async (tx) => {
      const { rows } = await tx.query<RecordRow>(
        `${RECORD_SQL} WHERE x.entity_kind = $1 AND x.entity_id = $2 ORDER BY x.id DESC LIMIT 1`,
        [entityKind, entityId],
      );
      return rows[0] ? recordOf(rows[0]) : null;
    });
  }

  async function proof(txId: string): Promise<ProofDocument | null> {
    return db.transaction(async (tx) => {
      const { rows: found } = await tx.query<{ block_number: string }>(
        'SELECT block_number FROM ledger.entries WHERE id = $1',
        [txId],
      );
      if (!found[0]) return null;
      const block = await readBlock(tx, Number(found[0].block_number));
      if (!block) return null;
      const { rows: entries } = await tx.query<EntryRow>(
        `${ENTRY_SQL} WHERE block_number = $1 ORDER BY position`,
        [block.header.number],
      );
      const leaves = entries.map((row) => leafHash(leafData(signedOf(row), row.signature)));
      const index = entries.findIndex((row) => row.id === txId);
      const row = entries[index];
      if (!row) return null;
      const publicKeys = await keys.publicKeys(tx, [row.keyId]);
      return {
        version: 1,
        entry: signedOf(row),
        signature: row.signature,
        publicKey: publicKeys.get(row.keyId) ?? '',
        block: { ...block.header, hash: block.hash },
        leafIndex: index,
        auditPath: auditPath(index, leaves).map((hash) => hash.toString('hex')),
      };
    });
  }

  async function verifyChain(): Promise<ChainVerdict> {
    return db.transaction(async (tx) => {
      let previous = GENESIS_PREVIOUS_HASH;
      let expected = 0;
      let entryTotal = 0;
      const keyCache = new Map<string, ReturnType<typeof createPublicKey>>();
      for (;;) {
        const { rows: blocks } = await tx.query<BlockRow>(
          `${BLOCK_SQL} WHERE number >= $1 ORDER BY number LIMIT ${VERIFY_PAGE}`,
          [expected],
        );
        if (blocks.length === 0) return { ok: true, blocks: expected, entries: entryTotal };
        const last = Number(blocks[blocks.length - 1]?.number);
        const { rows: entries } = await tx.query<EntryRow & { blockNumber: string; payload: string | null }>(
          `SELECT e.*, e.block_number AS "blockNumber", p.payload FROM (${ENTRY_SQL}) e
             LEFT JOIN ledger.payloads p ON p.entry_id = e.id::uuid
            WHERE e.block_number BETWEEN $1 AND $2 ORDER BY e.block_number, e.position`,
          [expected, last],
        );
        const missingKeys = [...new Set(entries.map((row) => row.keyId))].filter((id) => !keyCache.has(id));
        for (const [id, der] of await keys.publicKeys(tx, missingKeys))
          keyCache.set(id, createPublicKey({ key: Buffer.from(der, 'base64'), format: 'der', type: 'spki' }));
        const byBlock = new Map<number, typeof entries>();
        for (const row of entries) {
          const list = byBlock.get(Number(row.blockNumber)) ?? [];
          list.push(row);
          byBlock.set(Number(row.blockNumber), list);
        }
        for (const row of blocks) {
          const { header, hash } = blockOf(row);
          const fail = (reason: string, entryId: string | null = null): ChainVerdict => ({
            ok: false,
            blockNumber: header.number,
            entryId,
            reason,
          });
          if (header.number !== expected) return fail(`block ${expected} is missing`);
          const own = byBlock.get(header.number) ?? [];
          const leaves: Buffer[] = [];
          for (const [position, entry] of own.entries()) {
            if (entry.position !== position) return fail('entries out of order', entry.id);
            const signed = signedOf(entry);
            const key = keyCache.get(entry.keyId);
            if (!key) return fail('entry signed by an unknown key', entry.id);
            if (!verify(null, signedMessage(signed), key, Buffer.from(entry.signature, 'base64')))
              return fail('entry signature does not verify', entry.id);
            if (entry.payload === null || sha256Hex(entry.payload) !== entry.payloadHash)
              return fail('entry payload does not match its hash', entry.id);
            leaves.push(leafHash(leafData(signed, entry.signature)));
          }
          if (own.length !== header.entryCount) return fail('block entry count differs from its entries');
          if (merkleRoot(leaves).toString('hex') !== header.merkleRoot)
            return fail('block Merkle root differs from its entries');
          if (header.previousHash !== previous) return fail("block does not name the previous block's hash");
          if (blockHash(header) !== hash) return fail('block header differs from its hash');
          previous = hash;
          expected += 1;
          entryTotal += own.length;
        }
      }
    });
  }

  return { kind: 'embedded', submit, sealBlock, status, get, latestFor, proof, verifyChain };
}

const VERIFY_PAGE = 200;

/**
 * Takes entries for a ledger, in one transaction: each id once, even when a call carries it twice;
 * a well-formed entry into ledger.pending (unless already there, in `recorded` or refused), a
 * malformed one FAILED for good; the changes announced with them. Both adapters take entries this
 * way; they differ in the table that holds what is recorded: the embedded chain's entries, or the
 * entries committed to the Fabric channel.
 */
export function submitEntries(
  db: Db,
  entries: readonly LedgerEntry[],
  now: Date,
  recorded: RecordedTable,
  statusChanged: StatusChangesWritten,
): Promise<StatusChange[]> {
  if (entries.length === 0) return Promise.resolve([]);
  const good: LedgerEntry[] = [];
  const bad: { entry: LedgerEntry; reason: string }[] = [];
  for (const entry of new Map(entries.map((entry) => [entry.id, entry])).values()) {
    const reason = refusal(entry);
    if (reason) bad.push({ entry, reason });
    else good.push(entry);
  }
  return db.transaction(async (tx) => {
    const taken = good.length === 0 ? new Set<string>() : await insertPending(tx, good, now, recorded);
    const refused = bad.length === 0 ? new Set<string>() : await insertFailures(tx, bad, now);
    const changes: StatusChange[] = [
      ...good
        .filter((entry) => taken.has(entry.id))
        .map((entry) => change(entry, 'SUBMITTED', null, null, now)),
      ...bad
        .filter(({ entry }) => refused.has(entry.id))
        .map(({ entry, reason }) => change(entry, 'FAILED', null, reason, now)),
    ];
    if (changes.length > 0) await statusChanged(tx, changes);
    return changes;
  });
}

function refusal(entry: LedgerEntry): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(entry.payload);
  } catch {
    return 'payload is not JSON';
  }
  if (canonicalize(parsed) !== entry.payload) return 'payload is not canonical JSON (RFC 8785)';
  if (Number.isNaN(Date.parse(entry.at)) || new Date(entry.at).toISOString() !== entry.at)
    return 'instant is not an ISO-8601 UTC instant';
  return null;
}

export function change(
  entry: StatusChange['entry'],
  status: StatusChange['status'],
  blockNumber: number | null,
  error: string | null,
  at: Date,
): StatusChange {
  const { id, entityKind, entityId, clubId, counterpartyClubId } = entry;
  return { entry: { id, entityKind, entityId, clubId, counterpartyClubId }, status, blockNumber, error, at };
}

/** Where an adapter keeps what is recorded, by entry id: the embedded chain, or Fabric's commits. */
export type RecordedTable = 'ledger.entries' | 'ledger.fabric_commits';

/** Answers the ids it took: one already waiting, recorded or refused is skipped. */
async function insertPending(
  tx: Tx,
  entries: readonly LedgerEntry[],
  now: Date,
  recorded: RecordedTable,
): Promise<Set<string>> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO ledger.pending (id, entity_kind, entity_id, fact, club_id, counterparty_club_id, payload, at, received_at)
     SELECT r.id, r.entity_kind, r.entity_id, r.fact, r.club_id, r.counterparty_club_id, r.payload, r.at, $2
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, entity_kind text, entity_id text, fact text, club_id uuid,
            counterparty_club_id uuid, payload text, at text)
      WHERE NOT EXISTS (SELECT 1 FROM ${recorded} e WHERE e.id = r.id)
        AND NOT EXISTS (SELECT 1 FROM ledger.failures f WHERE f.id = r.id)
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [JSON.stringify(entries.map(rowOf)), now],
  );
  return new Set(rows.map((row) => row.id));
}

export async function insertFailures(
  tx: Tx,
  failures: readonly { entry: LedgerEntry; reason: string }[],
  now: Date,
): Promise<Set<string>> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO ledger.failures (id, entity_kind, entity_id, fact, club_id, counterparty_club_id, reason, failed_at)
     SELECT r.id, r.entity_kind, r.entity_id, r.fact, r.club_id, r.counterparty_club_id, r.reason, $2
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, entity_kind text, entity_id text, fact text, club_id uuid,
            counterparty_club_id uuid, reason text)
      WHERE NOT EXISTS (SELECT 1 FROM ledger.entries e WHERE e.id = r.id)
        AND NOT EXISTS (SELECT 1 FROM ledger.pending p WHERE p.id = r.id)
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [JSON.stringify(failures.map(({ entry, reason }) => ({ ...rowOf(entry), reason }))), now],
  );
  return new Set(rows.map((row) => row.id));
}

function rowOf(entry: LedgerEntry) {
  return {
    id: entry.id,
    entity_kind: entry.entityKind,
    entity_id: entry.entityId,
    fact: entry.fact,
    club_id: entry.clubId,
    counterparty_club_id: entry.counterpartyClubId,
    payload: entry.payload,
    at: entry.at,
  };
}

interface PendingRow extends LedgerEntry {
  isOnLedger: boolean;
}

const ENTRY_SQL = `SELECT id::text AS id, block_number, position, entity_kind AS "entityKind", entity_id AS "entityId", fact,
  club_id AS "clubId", counterparty_club_id AS "counterpartyClubId", payload_hash AS "payloadHash", at,
  key_id::text AS "keyId", signature FROM ledger.entries`;

interface EntryRow {
  id: string;
  position: number;
  entityKind: string;
  entityId: string;
  fact: string;
  clubId: string;
  counterpartyClubId: string | null;
  payloadHash: string;
  at: string;
  keyId: string;
  signature: string;
}

function signedOf(row: EntryRow): SignedEntry {
  return {
    txId: row.id,
    entityKind: row.entityKind,
    entityId: row.entityId,
    fact: row.fact,
    clubId: row.clubId,
    counterpartyClubId: row.counterpartyClubId,
    payloadHash: row.payloadHash,
    at: row.at,
    keyId: row.keyId,
  };
}

const BLOCK_SQL = `SELECT number, previous_hash AS "previousHash", merkle_root AS "merkleRoot",
  entry_count AS "entryCount", sealed_at AS "sealedAt", hash FROM ledger.blocks`;

interface BlockRow {
  number: string;
  previousHash: string;
  merkleRoot: string;
  entryCount: number;
  sealedAt: string;
  hash: string;
}

function blockOf(row: BlockRow): { header: BlockHeader; hash: string } {
  return {
    header: {
      number: Number(row.number),
      previousHash: row.previousHash,
      merkleRoot: row.merkleRoot,
      entryCount: row.entryCount,
      sealedAt: row.sealedAt,
    },
    hash: row.hash,
  };
}

async function readBlock(tx: Tx, number: number) {
  const { rows } = await tx.query<BlockRow>(`${BLOCK_SQL} WHERE number = $1`, [number]);
  return rows[0] ? blockOf(rows[0]) : null;
}

/**
 * An entry wherever it is (on a block, refused, waiting), with its payload when the reader's
 * transaction may see it: ledger.payloads and ledger.pending carry the parties policy, so a third
 * club's join finds nothing.
 */
const RECORD_SQL = `SELECT x.* FROM (
  SELECT e.id::text AS id, 'CONFIRMED' AS status, e.block_number AS "blockNumber", NULL AS error, e.entity_kind,
         e.entity_id, e.fact, e.club_id AS "clubId", e.counterparty_club_id AS "counterpartyClubId",
         e.payload_hash AS "payloadHash", p.payload, e.at, b.sealed_at AS "confirmedAt"
    FROM ledger.entries e JOIN ledger.blocks b ON b.number = e.block_number
    LEFT JOIN ledger.payloads p ON p.entry_id = e.id
  UNION ALL
  SELECT f.id::text, 'FAILED', NULL, f.reason, f.entity_kind, f.entity_id, f.fact, f.club_id::text,
         f.counterparty_club_id::text, NULL, NULL, to_char(f.failed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), NULL
    FROM ledger.failures f
  UNION ALL
  SELECT q.id::text, 'SUBMITTED', NULL, NULL, q.entity_kind, q.entity_id, q.fact, q.club_id::text,
         q.counterparty_club_id::text, NULL, q.payload, q.at, NULL
    FROM ledger.pending q
) x`;

interface RecordRow {
  id: string;
  status: LedgerRecord['status'];
  blockNumber: string | null;
  error: string | null;
  entity_kind: string;
  entity_id: string;
  fact: string | null;
  clubId: string;
  counterpartyClubId: string | null;
  payloadHash: string | null;
  payload: string | null;
  at: string;
  confirmedAt: string | null;
}

function recordOf(row: RecordRow): LedgerRecord {
  return {
    txId: row.id,
    status: row.status,
    blockNumber: row.blockNumber === null ? null : Number(row.blockNumber),
    error: row.error,
    entityKind: row.entity_kind,
    entityId: row.entity_id,
    fact: row.fact ?? '',
    clubId: row.clubId,
    counterpartyClubId: row.counterpartyClubId,
    payloadHash: row.payloadHash,
    payload: row.payload,
    at: row.at,
    confirmedAt: row.confirmedAt,
  };
}
