import { createPublicKey, type KeyObject } from 'node:crypto';
import { leafData, leafHash, merkleRoot, type SignedEntry, signedMessage } from '@clubland/ledger-verify';
import { type Context, Contract } from 'fabric-contract-api';
import { type ClubKey, entryRefusal, keyRefusal, signatureRefusal } from './rules.ts';

/**
 * Clubland's ledger on a Fabric channel. A transaction carries a batch of signed entries (agreements,
 * visits, letters, settlements), validated together: each entry's rules, its club's Ed25519
 * signature by a key registered on the channel; the valid ones are recorded with the RFC 6962 Merkle
 * root of the batch, an entry already on the channel is skipped (idempotent by entry id). Payloads
 * travel in the proposal's transient data and go to the private data collection of the two
 * organisations (clubPayloads): the channel holds only their hashes (the entry's payloadHash, and
 * Fabric's own hash of the private write).
 *
 * Every state read or write is a round trip between the chaincode and the peer (about a millisecond
 * here, for each of the two endorsing peers), so a batch is stored in a handful of keys, not a few
 * per entry (4,000 round trips a batch measured 97 entries/s):
 *   `key~<keyId>`         a club key;
 *   `batch~<fabric tx>`   the batch: its root, its instant, its entries and their signatures;
 *   `ids~<bucket>`        which batch holds each entry id of a bucket (the UUIDv7's first 40 bits, a
 *                         256 ms slice of time: a batch touches a few buckets), for idempotency and
 *                         lookup by entry id;
 *   private `payloads~<fabric tx>`  the batch's payloads by entry id.
 */

export const PAYLOADS = 'clubPayloads';

/** One entry of a batch, as the adapter sends it (its payload in the transient map, by txId). */
export interface BatchEntry {
  entry: SignedEntry;
  signature: string;
}

export interface StoredBatch {
  txId: string;
  merkleRoot: string;
  entryCount: number;
  /** The transaction's timestamp (the client's, as Fabric records it), ISO-8601. */
  sealedAt: string;
  /** The recorded entries, in leaf order. */
  entries: BatchEntry[];
}

/** Each entry's fate in a batch: recorded now, on the channel already (with its batch), or refused. */
export type EntryOutcome =
  | { txId: string; outcome: 'recorded'; batch: string; leafIndex: number }
  | { txId: string; outcome: 'duplicate'; batch: string }
  | { txId: string; outcome: 'refused'; reason: string };

/** Club keys read from committed state, by key id (see submitBatch). */
const committedKeys = new Map<string, { key: ClubKey | null; publicKey?: KeyObject }>();

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class LedgerContract extends Contract {
  constructor() {
    super('clubland');
  }

  /** Registers club public keys (JSON ClubKey[]); a key registered already with the same bytes is kept. */
  async registerClubKeys(ctx: Context, keysJson: string): Promise<string> {
    const keys = JSON.parse(keysJson) as ClubKey[];
    if (!Array.isArray(keys)) throw new Error('expected an array of club keys');
    let registered = 0;
    for (const key of keys) {
      const reason = keyRefusal(key);
      if (reason) throw new Error(`club key ${String(key?.keyId)}: ${reason}`);
      const existing = await readJson<ClubKey>(ctx, `key~${key.keyId}`);
      if (existing) {
        if (existing.clubId !== key.clubId || existing.publicKey !== key.publicKey)
          throw new Error(`club key ${key.keyId} is registered already with other bytes`);
        continue;
      }
      await ctx.stub.putState(
        `key~${key.keyId}`,
        json({ clubId: key.clubId, keyId: key.keyId, publicKey: key.publicKey }),
      );
      registered += 1;
    }
    return JSON.stringify({ registered });
  }

  /**
   * Records a batch: `entriesJson` is BatchEntry[], the transient map's `payloads` a JSON object of
   * payloads by txId. Returns EntryOutcome[] in the batch's order.
   */
  async submitBatch(ctx: Context, entriesJson: string): Promise<string> {
    const batch = JSON.parse(entriesJson) as BatchEntry[];
    if (!Array.isArray(batch) || batch.length === 0) throw new Error('expected a non-empty array of entries');
    const transient = ctx.stub.getTransient().get('payloads');
    if (!transient) throw new Error('the payloads travel in the transient map, under "payloads"');
    const payloads = JSON.parse(decoder.decode(transient)) as Record<string, string>;
    const txId = ctx.stub.getTxID();
    const keys = new Map<string, { key: ClubKey | null; publicKey?: KeyObject }>();
    const buckets = new Map<string, Record<string, string>>();
    const touched = new Set<string>();
    const outcomes: EntryOutcome[] = [];
    const recorded: { item: BatchEntry; leaf: Buffer }[] = [];
    const kept: Record<string, string> = {};
    for (const item of batch) {
      const entry = item?.entry;
      const id = String(entry?.txId);
      const refused = (reason: string) => outcomes.push({ txId: id, outcome: 'refused', reason });
      const reason = entryRefusal(entry, payloads[id]);
      if (reason) {
        refused(reason);
        continue;
      }
      const bucket = bucketOf(id);
      let ids = buckets.get(bucket);
      if (!ids) {
        ids = (await readJson<Record<string, string>>(ctx, `ids~${bucket}`)) ?? {};
        buckets.set(bucket, ids);
      }
      const holder = ids[id];
      if (holder === txId) {
        refused('entry twice in one batch');
        continue;
      }
      if (holder) {
        outcomes.push({ txId: id, outcome: 'duplicate', batch: holder });
        continue;
      }
      let key = keys.get(entry.keyId) ?? committedKeys.get(entry.keyId);
      if (!key) {
        const found = await readJson<ClubKey>(ctx, `key~${entry.keyId}`);
        key = {
          key: found,
          publicKey: found
            ? createPublicKey({ key: Buffer.from(found.publicKey, 'base64'), format: 'der', type: 'spki' })
            : undefined,
        };
        keys.set(entry.keyId, key);
        // getState reads committed state, and a registered key never changes nor goes: it may be
        // kept across transactions (no round trip to the peer for it again).
        if (found && committedKeys.size < 100_000) committedKeys.set(entry.keyId, key);
      }
      const bad = signatureRefusal(entry, item.signature, key.key, key.publicKey);
      if (bad) {
        refused(bad);
        continue;
      }
      ids[id] = txId;
      touched.add(bucket);
      kept[id] = payloads[id] as string;
      outcomes.push({ txId: id, outcome: 'recorded', batch: txId, leafIndex: recorded.length });
      recorded.push({
        item: { entry, signature: item.signature },
        leaf: leafHash(leafData(signedMessage(entry), item.signature)),
      });
    }
    if (recorded.length > 0) {
      const stored: StoredBatch = {
        txId,
        merkleRoot: merkleRoot(recorded.map(({ leaf }) => leaf)).toString('hex'),
        entryCount: recorded.length,
        sealedAt: timestampOf(ctx),
        entries: recorded.map(({ item }) => item),
      };
      await ctx.stub.putState(`batch~${txId}`, json(stored));
      for (const bucket of touched) await ctx.stub.putState(`ids~${bucket}`, json(buckets.get(bucket)));
      await ctx.stub.putPrivateData(PAYLOADS, `payloads~${txId}`, json(kept));
    }
    return JSON.stringify(outcomes);
  }

  /**
   * An entry as the channel holds it: the entry, its signature, its batch (without the other
   * entries), its leaf index and its club key; "" when there is none.
   */
  async getEntry(ctx: Context, txId: string): Promise<string> {
    const found = await locate(ctx, txId);
    if (!found) return '';
    const { batch, leafIndex } = found;
    const item = batch.entries[leafIndex] as BatchEntry;
    const key = await readJson<ClubKey>(ctx, `key~${item.entry.keyId}`);
    const { entries: _, ...batchRecord } = batch;
    return JSON.stringify({
      entry: item.entry,
      signature: item.signature,
      batch: batch.txId,
      leafIndex,
      batchRecord,
      publicKey: key?.publicKey ?? null,
    });
  }

  /** The payload, from the collection (its members' peers only); "" when there is none. */
  async getPayload(ctx: Context, txId: string): Promise<string> {
    const bucket = await readJson<Record<string, string>>(ctx, `ids~${bucketOf(txId)}`);
    const holder = bucket?.[txId];
    if (!holder) return '';
    const bytes = await ctx.stub.getPrivateData(PAYLOADS, `payloads~${holder}`);
    if (!bytes || bytes.length === 0) return '';
    return (JSON.parse(decoder.decode(bytes)) as Record<string, string>)[txId] ?? '';
  }

  /** A batch with its entries and signatures, to rebuild its Merkle root; "" when there is none. */
  async getBatch(ctx: Context, batchTxId: string): Promise<string> {
    const batch = await readJson<StoredBatch>(ctx, `batch~${batchTxId}`);
    return batch ? JSON.stringify(batch) : '';
  }

  /**
   * One page of batches with their entries, keys and payloads, for verifyChain: keys after
   * `startAfter` (from the first batch when empty), at most `limit`.
   */
  async exportBatches(ctx: Context, startAfter: string, limitText: string): Promise<string> {
    const limit = Math.max(1, Math.min(100, Number(limitText) || 20));
    const iterator = await ctx.stub.getStateByRange(
      startAfter ? `${startAfter}\u0000` : 'batch~',
      'batch~\uffff',
    );
    const page = [];
    const keys = new Map<string, string | null>();
    try {
      for (
        let next = await iterator.next();
        !next.done && page.length < limit;
        next = await iterator.next()
      ) {
        const batch = JSON.parse(decoder.decode(next.value.value)) as StoredBatch;
        for (const { entry } of batch.entries)
          if (!keys.has(entry.keyId))
            keys.set(entry.keyId, (await readJson<ClubKey>(ctx, `key~${entry.keyId}`))?.publicKey ?? null);
        const bytes = await ctx.stub.getPrivateData(PAYLOADS, `payloads~${batch.txId}`);
        const payloads =
          bytes && bytes.length > 0 ? (JSON.parse(decoder.decode(bytes)) as Record<string, string>) : {};
        page.push({
          key: next.value.key,
          ...batch,
          entries: batch.entries.map((item) => ({
            ...item,
            publicKey: keys.get(item.entry.keyId) ?? null,
            payload: payloads[item.entry.txId] ?? null,
          })),
        });
      }
    } finally {
      await iterator.close();
    }
    return JSON.stringify(page);
  }

  /** A transaction that writes nothing: up.sh's readiness check. */
  async ping(ctx: Context): Promise<string> {
    return ctx.stub.getTxID();
  }
}

async function readJson<T>(ctx: Context, key: string): Promise<T | null> {
  const bytes = await ctx.stub.getState(key);
  return bytes && bytes.length > 0 ? (JSON.parse(decoder.decode(bytes)) as T) : null;
}

/** The batch holding an entry, and the entry's leaf index in it. */
async function locate(ctx: Context, txId: string): Promise<{ batch: StoredBatch; leafIndex: number } | null> {
  const bucket = await readJson<Record<string, string>>(ctx, `ids~${bucketOf(txId)}`);
  const holder = bucket?.[txId];
  if (!holder) return null;
  const batch = await readJson<StoredBatch>(ctx, `batch~${holder}`);
  if (!batch) return null;
  const leafIndex = batch.entries.findIndex((item) => item.entry.txId === txId);
  return leafIndex < 0 ? null : { batch, leafIndex };
}

/** A UUIDv7's first 40 bits: its millisecond timestamp's top bits, a 256 ms slice. */
function bucketOf(txId: string): string {
  return txId.slice(0, 8) + txId.slice(9, 11);
}

function json(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

function timestampOf(ctx: Context): string {
  const { seconds, nanos } = ctx.stub.getTxTimestamp();
  return new Date(Number(seconds) * 1000 + Math.floor(nanos / 1e6)).toISOString();
}
