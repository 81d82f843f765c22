import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { Db, Tx } from '@clubland/db';
import {
  auditPath,
  type BlockHeader,
  blockHash,
  leafData,
  leafHash,
  merkleRoot,
  type ProofDocument,
  type SignedEntry,
  sha256Hex,
  signedMessage,
} from '@clubland/ledger-verify';
import { common } from '@hyperledger/fabric-protos';
import type { ClubKeyring } from './club-keys.ts';
import { change, insertFailures, submitEntries } from './embedded-ledger.ts';
import type { EntrySigner } from './entry-signer.ts';
import { connectFabric, type FabricConnection } from './fabric-connection.ts';
import type { FabricSettings } from './fabric-settings.ts';
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

/**
 * The ledger port on a Hyperledger Fabric channel (LEDGER=fabric), through a peer's Gateway
 * (@hyperledger/fabric-gateway) and the chaincode in chaincode/.
 *
 * As in the embedded ledger, submit() takes entries into ledger.pending (SUBMITTED) in the caller's
 * database, with their events; sealBlock() then takes the oldest waiting entries, signs each with its
 * club's Ed25519 key (the same keyring: keys are registered on the channel before first use), and
 * submits them as ONE Fabric transaction (submitBatch), endorsed by both organisations. The payloads
 * travel in the proposal's transient data into the organisations' private data collection; the
 * channel keeps each entry's signed form (payload hash included), the batch's RFC 6962 Merkle root
 * and the club keys. Once Fabric reports the transaction valid in block N, the entries leave pending
 * and become CONFIRMED with block N, in one local transaction with their events. A transaction Fabric
 * does not commit (endorsement refused, MVCC conflict, timeout) leaves its entries pending for the
 * next round; the chaincode skips an entry already on the channel, so nothing is recorded twice.
 *
 * A Fabric proof (proof()): the entry, its club's signature and public key (as registered on the
 * channel), its leaf index and RFC 6962 audit path in its batch, and a header whose merkleRoot is the
 * batch's root as recorded on the channel, whose number is the Fabric block holding the batch's
 * transaction and whose previousHash is that Fabric block's previous_hash; `hash` is blockHash() of
 * that header (ledger-verify's format: it is not Fabric's block hash). packages/ledger-verify checks
 * the signature and the inclusion under the root offline; that the root is on the channel is checked
 * against the channel itself (any peer: the chaincode's getEntry/getBatch, or qscc
 * GetTransactionByID with `fabric.txId`), which is what `fabric` names.
 */

export interface FabricLedgerOptions {
  db: Db;
  keys: ClubKeyring;
  signer: EntrySigner;
  clock: () => Date;
  statusChanged: StatusChangesWritten;
  /** Entries per Fabric transaction at most. */
  maxBlockEntries: number;
  fabric: FabricSettings;
  /** An open connection to use instead of opening one from `fabric` (tests, the benchmark). */
  connection?: FabricConnection;
}

export interface FabricProofDocument extends ProofDocument {
  /** Where the batch's root is recorded: a Fabric transaction on a channel, in a block. */
  fabric: {
    channel: string;
    chaincode: string;
    txId: string;
    blockNumber: number;
    /** The Fabric block header's fields (hex), as qscc returns the block. */
    blockHeader: { number: number; previousHash: string; dataHash: string };
  };
}

export interface FabricLedger extends Ledger {
  readonly kind: 'fabric';
  /**
   * Submits the oldest waiting entries (up to maxBlockEntries, not already in flight in this
   * process) as one Fabric transaction, when at least `minEntries` wait; resolves once Fabric has
   * committed it, with how many entries it took (0: none).
   */
  sealBlock(minEntries?: number): Promise<number>;
  close(): Promise<void>;
}

/** An entry as the chaincode's getEntry returns it (chaincode/src/ledger-contract.ts). */
interface ChainEntry {
  entry: SignedEntry;
  signature: string;
  batch: string;
  leafIndex: number;
  batchRecord: Omit<ChainBatch, 'entries'>;
  publicKey: string | null;
}

/** A batch as the chaincode stores it (StoredBatch). */
interface ChainBatch {
  txId: string;
  merkleRoot: string;
  entryCount: number;
  sealedAt: string;
  entries: { entry: SignedEntry; signature: string }[];
}

type Outcome =
  | { txId: string; outcome: 'recorded'; batch: string; leafIndex: number }
  | { txId: string; outcome: 'duplicate'; batch: string }
  | { txId: string; outcome: 'refused'; reason: string };

const decoder = new TextDecoder();

export function createFabricLedger(options: FabricLedgerOptions): FabricLedger {
  const { db, keys } = options;
  const fabric = options.connection ?? connectFabric(options.fabric);
  const { channel, chaincode } = options.fabric;
  /** Club key ids known to be registered on the channel. */
  const registered = new Set<string>();
  /** Entries being submitted by this process, and the chaincode's id buckets they write. */
  const inFlight = new Set<string>();
  const busyBuckets = new Map<string, number>();
  let selecting: Promise<void> = Promise.resolve();
  /** Fabric block headers by Fabric transaction id (immutable once committed). */
  const blocks = new Map<string, { number: number; previousHash: string; dataHash: string }>();

  async function evaluate(name: string, ...args: string[]): Promise<string> {
    return decoder.decode(await fabric.contract.evaluateTransaction(name, ...args));
  }

  function submit(entries: readonly LedgerEntry[]): Promise<StatusChange[]> {
    return submitEntries(db, entries, options.clock(), 'ledger.fabric_commits', options.statusChanged);
  }

  async function sealBlock(minEntries = 1): Promise<number> {
    // Not an entry of a bucket (chaincode: ids~<bucket>) that a transaction in flight writes: two
    // transactions writing one key in the same block, the second is invalid (MVCC_READ_CONFLICT).
    // The entries of such a bucket wait for that transaction to commit.
    // One selection at a time in this process: each takes what the previous ones left.
    const selection = selecting.then(async () => {
      const { rows } = await db.transaction((tx) =>
        tx.query<LedgerEntry>(
          `SELECT p.id, p.entity_kind AS "entityKind", p.entity_id AS "entityId", p.fact, p.club_id AS "clubId",
                  p.counterparty_club_id AS "counterpartyClubId", p.payload, p.at
             FROM ledger.pending p
            WHERE NOT (p.id = ANY($2::uuid[]))
              AND NOT (left(p.id::text, 8) || substr(p.id::text, 10, 2) = ANY($3::text[]))
            ORDER BY p.received_at, p.id LIMIT $1`,
          [options.maxBlockEntries, [...inFlight], [...busyBuckets.keys()]],
        ),
      );
      if (rows.length < minEntries || rows.length === 0) return null;
      const buckets = new Set(rows.map((row) => bucketOf(row.id)));
      for (const row of rows) inFlight.add(row.id);
      for (const bucket of buckets) busyBuckets.set(bucket, (busyBuckets.get(bucket) ?? 0) + 1);
      return { rows, buckets };
    });
    selecting = selection.then(
      () => undefined,
      () => undefined,
    );
    const taken = await selection;
    if (!taken) return 0;
    const { rows, buckets } = taken;
    try {
      await record(rows);
      return rows.length;
    } finally {
      for (const row of rows) inFlight.delete(row.id);
      for (const bucket of buckets) {
        const left = (busyBuckets.get(bucket) ?? 1) - 1;
        if (left > 0) busyBuckets.set(bucket, left);
        else busyBuckets.delete(bucket);
      }
    }
  }

  /** Signs `rows`, submits them as one Fabric transaction, and notes the outcome locally. */
  async function record(rows: readonly LedgerEntry[]): Promise<void> {
    const signing = await db.transaction(async (tx) => {
      const out: { entry: SignedEntry; message: Buffer; key: KeyObject; publicKey: string }[] = [];
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
        out.push({ entry, message: signedMessage(entry), key: key.privateKey, publicKey: key.publicKey });
      }
      return out;
    });
    await registerKeys(
      signing.map(({ entry, publicKey }) => ({ clubId: entry.clubId, keyId: entry.keyId, publicKey })),
    );
    const signatures = await options.signer.sign(
      signing.map(({ message }) => message),
      signing.map(({ key }) => key),
    );
    const batch = signing.map(({ entry }, i) => ({
      entry,
      signature: (signatures[i] as Buffer).toString('base64'),
    }));
    const payloads = Object.fromEntries(rows.map((row) => [row.id, row.payload]));
    const submitted = await fabric.contract.submitAsync('submitBatch', {
      arguments: [JSON.stringify(batch)],
      transientData: { payloads: JSON.stringify(payloads) },
    });
    const outcomes = JSON.parse(decoder.decode(submitted.getResult())) as Outcome[];
    const status = await submitted.getStatus();
    if (!status.successful)
      throw new Error(
        `Fabric transaction ${status.transactionId} was not committed (validation code ${status.code}); its entries wait for the next round`,
      );
    const blockOf = new Map<string, number>([[submitted.getTransactionId(), Number(status.blockNumber)]]);
    for (const outcome of outcomes)
      if (outcome.outcome === 'duplicate' && !blockOf.has(outcome.batch))
        blockOf.set(outcome.batch, (await fabricBlock(outcome.batch)).number);
    const byId = new Map(rows.map((row) => [row.id, row]));
    const confirmedAt = options.clock();
    await db.transaction(async (tx) => {
      const { rows: gone } = await tx.query<{ id: string }>(
        'DELETE FROM ledger.pending WHERE id = ANY($1::uuid[]) RETURNING id::text AS id',
        [rows.map((row) => row.id)],
      );
      const mine = new Set(gone.map((row) => row.id));
      const confirmed = outcomes.filter((o) => o.outcome !== 'refused' && mine.has(o.txId)) as Exclude<
        Outcome,
        { outcome: 'refused' }
      >[];
      const refused = outcomes.filter((o) => o.outcome === 'refused' && mine.has(o.txId)) as Extract<
        Outcome,
        { outcome: 'refused' }
      >[];
      const changes: StatusChange[] = [];
      if (confirmed.length > 0) {
        await tx.query(
          `INSERT INTO ledger.fabric_commits (id, entity_kind, entity_id, fabric_tx_id, block_number, confirmed_at)
           SELECT r.id, r.kind, r.entity, r.tx, r.block, $2
             FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, kind text, entity text, tx text, block bigint)
           ON CONFLICT (id) DO NOTHING`,
          [
            JSON.stringify(
              confirmed.map((o) => ({
                id: o.txId,
                kind: byId.get(o.txId)?.entityKind,
                entity: byId.get(o.txId)?.entityId,
                tx: o.batch,
                block: blockOf.get(o.batch),
              })),
            ),
            confirmedAt,
          ],
        );
        for (const o of confirmed)
          changes.push(
            change(
              byId.get(o.txId) as LedgerEntry,
              'CONFIRMED',
              blockOf.get(o.batch) ?? null,
              null,
              confirmedAt,
            ),
          );
      }
      if (refused.length > 0) {
        await insertFailures(
          tx,
          refused.map((o) => ({ entry: byId.get(o.txId) as LedgerEntry, reason: o.reason })),
          confirmedAt,
        );
        for (const o of refused)
          changes.push(change(byId.get(o.txId) as LedgerEntry, 'FAILED', null, o.reason, confirmedAt));
      }
      if (changes.length > 0) await options.statusChanged(tx, changes);
    });
  }

  async function registerKeys(all: readonly { clubId: string; keyId: string; publicKey: string }[]) {
    const missing = [
      ...new Map(all.filter((k) => !registered.has(k.keyId)).map((k) => [k.keyId, k])).values(),
    ];
    if (missing.length === 0) return;
    await fabric.contract.submitTransaction('registerClubKeys', JSON.stringify(missing));
    for (const key of missing) registered.add(key.keyId);
  }

  /** The Fabric block holding a transaction, by qscc. */
  async function fabricBlock(txId: string) {
    const known = blocks.get(txId);
    if (known) return known;
    const bytes = await fabric.qscc.evaluateTransaction('GetBlockByTxID', channel, txId);
    const header = common.Block.deserializeBinary(bytes).getHeader();
    if (!header) throw new Error(`Fabric block of ${txId} has no header`);
    const found = {
      number: Number(header.getNumber()),
      previousHash: Buffer.from(header.getPreviousHash_asU8()).toString('hex'),
      dataHash: Buffer.from(header.getDataHash_asU8()).toString('hex'),
    };
    blocks.set(txId, found);
    return found;
  }

  async function chainEntry(txId: string): Promise<ChainEntry | null> {
    const text = await evaluate('getEntry', txId);
    return text ? (JSON.parse(text) as ChainEntry) : null;
  }

  async function local(txId: string) {
    const { rows } = await db.transaction((tx) =>
      tx.query<{ status: EntryStatus['status']; blockNumber: string | null; error: string | null }>(
        `SELECT 'CONFIRMED' AS status, block_number AS "blockNumber", NULL AS error FROM ledger.fabric_commits WHERE id = $1
         UNION ALL SELECT 'FAILED', NULL, reason FROM ledger.failures WHERE id = $1
         UNION ALL SELECT 'SUBMITTED', NULL, NULL FROM ledger.pending WHERE id = $1
         LIMIT 1`,
        [txId],
      ),
    );
    return rows[0];
  }

  async function status(txId: string): Promise<EntryStatus | null> {
    const row = await local(txId);
    if (row)
      return {
        txId,
        status: row.status,
        blockNumber: row.blockNumber === null ? null : Number(row.blockNumber),
        error: row.error,
      };
    // Not seen by this service: on the channel all the same (another service, a lost commit note)?
    const onChain = await chainEntry(txId);
    if (!onChain) return null;
    return { txId, status: 'CONFIRMED', blockNumber: (await fabricBlock(onChain.batch)).number, error: null };
  }

  function asReader<T>(reader: LedgerReader, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return reader.kind === 'club' ? db.withTenant(reader.clubId, fn) : db.transaction(fn);
  }

  /** A waiting or refused entry, as the reader may see it (pending carries the parties policy). */
  async function localRecord(where: string, args: unknown[], reader: LedgerReader) {
    return asReader(reader, async (tx) => {
      const { rows } = await tx.query<RecordRow>(
        `${LOCAL_RECORD_SQL} WHERE ${where} ORDER BY x.id DESC LIMIT 1`,
        args,
      );
      return rows[0] ? recordOf(rows[0]) : null;
    });
  }

  async function chainRecord(txId: string, reader: LedgerReader): Promise<LedgerRecord | null> {
    const found = await chainEntry(txId);
    if (!found) return null;
    const { entry } = found;
    const party =
      reader.kind === 'network' ||
      reader.clubId === entry.clubId ||
      reader.clubId === entry.counterpartyClubId;
    const [block, payload] = await Promise.all([
      fabricBlock(found.batch),
      party ? evaluate('getPayload', txId) : Promise.resolve(''),
    ]);
    return {
      txId: entry.txId,
      status: 'CONFIRMED',
      blockNumber: block.number,
      error: null,
      entityKind: entry.entityKind,
      entityId: entry.entityId,
      fact: entry.fact,
      clubId: entry.clubId,
      counterpartyClubId: entry.counterpartyClubId,
      payloadHash: entry.payloadHash,
      payload: payload || null,
      at: entry.at,
      confirmedAt: found.batchRecord.sealedAt,
    };
  }

  async function get(txId: string, reader: LedgerReader): Promise<LedgerRecord | null> {
    const row = await local(txId);
    if (row?.status === 'SUBMITTED' || row?.status === 'FAILED')
      return localRecord('x.id = $1', [txId], reader);
    return chainRecord(txId, reader);
  }

  async function latestFor(entityKind: string, entityId: string, reader: LedgerReader) {
    const [waiting, onChain] = await Promise.all([
      localRecord('x.entity_kind = $1 AND x.entity_id = $2', [entityKind, entityId], reader),
      db
        .transaction((tx) =>
          tx.query<{ id: string }>(
            `SELECT id::text AS id FROM ledger.fabric_commits WHERE entity_kind = $1 AND entity_id = $2
              ORDER BY id DESC LIMIT 1`,
            [entityKind, entityId],
          ),
        )
        .then(({ rows }) => rows[0]?.id ?? ''),
    ]);
    if (waiting && (!onChain || waiting.txId > onChain)) return waiting;
    return onChain ? chainRecord(onChain, reader) : waiting;
  }

  async function proof(txId: string): Promise<FabricProofDocument | null> {
    const found = await chainEntry(txId);
    if (!found?.publicKey) return null;
    const batchText = await evaluate('getBatch', found.batch);
    if (!batchText) return null;
    const batch = JSON.parse(batchText) as ChainBatch & {
      entries: ({ entry: SignedEntry; signature: string } | null)[];
    };
    const leaves = batch.entries.map((item) => {
      if (!item) throw new Error(`batch ${found.batch} names an entry the channel does not hold`);
      return leafHash(leafData(item.entry, item.signature));
    });
    const block = await fabricBlock(found.batch);
    const header: BlockHeader = {
      number: block.number,
      previousHash: block.previousHash,
      merkleRoot: batch.merkleRoot,
      entryCount: batch.entryCount,
      sealedAt: batch.sealedAt,
    };
    return {
      version: 1,
      entry: found.entry,
      signature: found.signature,
      publicKey: found.publicKey,
      block: { ...header, hash: blockHash(header) },
      leafIndex: found.leafIndex,
      auditPath: auditPath(found.leafIndex, leaves).map((hash) => hash.toString('hex')),
      fabric: { channel, chaincode, txId: found.batch, blockNumber: block.number, blockHeader: block },
    };
  }

  /**
   * Walks every batch on the channel: each entry's signature by its registered club key, its
   * payload's hash (read from the collection: this organisation is a member), the batch's Merkle
   * root and count. Fabric itself keeps the blocks' hash chain (every peer checks it on commit); what
   * this checks is that what the chaincode recorded is whole. `blocks` counts batches.
   */
  async function verifyChain(): Promise<ChainVerdict> {
    let after = '';
    let batches = 0;
    let entryTotal = 0;
    const keyCache = new Map<string, KeyObject>();
    for (;;) {
      const page = JSON.parse(await evaluate('exportBatches', after, '20')) as (Omit<
        ChainBatch,
        'entries'
      > & {
        key: string;
        entries: {
          entry: SignedEntry;
          signature: string;
          publicKey: string | null;
          payload: string | null;
        }[];
      })[];
      if (page.length === 0) return { ok: true, blocks: batches, entries: entryTotal };
      for (const batch of page) {
        const fail = async (reason: string, entryId: string | null = null): Promise<ChainVerdict> => ({
          ok: false,
          blockNumber: (await fabricBlock(batch.txId)).number,
          entryId,
          reason,
        });
        const leaves: Buffer[] = [];
        for (const item of batch.entries) {
          const id = item.entry.txId;
          if (!item.publicKey) return fail('entry signed by an unknown key', id);
          let key = keyCache.get(item.publicKey);
          if (!key) {
            key = createPublicKey({
              key: Buffer.from(item.publicKey, 'base64'),
              format: 'der',
              type: 'spki',
            });
            keyCache.set(item.publicKey, key);
          }
          const message = signedMessage(item.entry);
          if (!verify(null, message, key, Buffer.from(item.signature, 'base64')))
            return fail('entry signature does not verify', id);
          if (item.payload === null || sha256Hex(item.payload) !== item.entry.payloadHash)
            return fail('entry payload does not match its hash', id);
          leaves.push(leafHash(leafData(message, item.signature)));
        }
        if (leaves.length !== batch.entryCount) return fail('batch entry count differs from its entries');
        if (merkleRoot(leaves).toString('hex') !== batch.merkleRoot)
          return fail('batch Merkle root differs from its entries');
        batches += 1;
        entryTotal += leaves.length;
        after = batch.key;
      }
    }
  }

  return {
    kind: 'fabric',
    submit,
    sealBlock,
    status,
    get,
    latestFor,
    proof,
    verifyChain,
    async close() {
      if (!options.connection) fabric.close();
    },
  };
}

/** The chaincode's id bucket of an entry (chaincode/src/ledger-contract.ts bucketOf). */
function bucketOf(txId: string): string {
  return txId.slice(0, 8) + txId.slice(9, 11);
}

/** Waiting and refused entries (the confirmed ones are on the channel). */
const LOCAL_RECORD_SQL = `SELECT x.* FROM (
  SELECT f.id::text AS id, 'FAILED' AS status, f.reason AS error, f.entity_kind, f.entity_id, f.fact,
         f.club_id::text AS "clubId", f.counterparty_club_id::text AS "counterpartyClubId", NULL AS payload,
         to_char(f.failed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
    FROM ledger.failures f
  UNION ALL
  SELECT q.id::text, 'SUBMITTED', NULL, q.entity_kind, q.entity_id, q.fact, q.club_id::text,
         q.counterparty_club_id::text, q.payload, q.at
    FROM ledger.pending q
) x`;

interface RecordRow {
  id: string;
  status: LedgerRecord['status'];
  error: string | null;
  entity_kind: string;
  entity_id: string;
  fact: string;
  clubId: string;
  counterpartyClubId: string | null;
  payload: string | null;
  at: string;
}

function recordOf(row: RecordRow): LedgerRecord {
  return {
    txId: row.id,
    status: row.status,
    blockNumber: null,
    error: row.error,
    entityKind: row.entity_kind,
    entityId: row.entity_id,
    fact: row.fact,
    clubId: row.clubId,
    counterpartyClubId: row.counterpartyClubId,
    payloadHash: null,
    payload: row.payload,
    at: row.at,
    confirmedAt: null,
  };
}
