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
 * State keys: `key~<keyId>` a club key, `entry~<txId>` an entry, `batch~<fabric tx id>` a batch,
 * `entity~<kind>~<entityId>~<txId>` (composite) an entity's entries.
 */

export const PAYLOADS = 'clubPayloads';

/** One entry of a batch, as the adapter sends it (its payload in the transient map, by txId). */
export interface BatchEntry {
  entry: SignedEntry;
  signature: string;
}

/** What the channel keeps about an entry (the payload stays in the collection). */
export interface StoredEntry {
  entry: SignedEntry;
  signature: string;
  /** The Fabric transaction id of its batch. */
  batch: string;
  leafIndex: number;
}

export interface StoredBatch {
  txId: string;
  merkleRoot: string;
  entryCount: number;
  entryIds: string[];
  /** The transaction's timestamp (the client's, as Fabric records it), ISO-8601. */
  sealedAt: string;
}

/** Each entry's fate in a batch: recorded now, on the channel already (with its batch), or refused. */
export type EntryOutcome =
  | { txId: string; outcome: 'recorded'; batch: string; leafIndex: number }
  | { txId: string; outcome: 'duplicate'; batch: string }
  | { txId: string; outcome: 'refused'; reason: string };

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
    const seen = new Set<string>();
    const outcomes: EntryOutcome[] = [];
    const recorded: { item: BatchEntry; leaf: Buffer; outcome: EntryOutcome & { outcome: 'recorded' } }[] =
      [];
    for (const item of batch) {
      const entry = item?.entry;
      const id = String(entry?.txId);
      const refused = (reason: string) => outcomes.push({ txId: id, outcome: 'refused', reason });
      if (seen.has(id)) {
        refused('entry twice in one batch');
        continue;
      }
      seen.add(id);
      const reason = entryRefusal(entry, payloads[id]);
      if (reason) {
        refused(reason);
        continue;
      }
      const existing = await readJson<StoredEntry>(ctx, `entry~${id}`);
      if (existing) {
        outcomes.push({ txId: id, outcome: 'duplicate', batch: existing.batch });
        continue;
      }
      let key = keys.get(entry.keyId);
      if (!key) {
        const found = await readJson<ClubKey>(ctx, `key~${entry.keyId}`);
        key = {
          key: found,
          publicKey: found
            ? createPublicKey({ key: Buffer.from(found.publicKey, 'base64'), format: 'der', type: 'spki' })
            : undefined,
        };
        keys.set(entry.keyId, key);
      }
      const bad = signatureRefusal(entry, item.signature, key.key, key.publicKey);
      if (bad) {
        refused(bad);
        continue;
      }
      const outcome = { txId: id, outcome: 'recorded' as const, batch: txId, leafIndex: recorded.length };
      recorded.push({ item, leaf: leafHash(leafData(signedMessage(entry), item.signature)), outcome });
      outcomes.push(outcome);
    }
    if (recorded.length > 0) {
      const stored: StoredBatch = {
        txId,
        merkleRoot: merkleRoot(recorded.map(({ leaf }) => leaf)).toString('hex'),
        entryCount: recorded.length,
        entryIds: recorded.map(({ outcome }) => outcome.txId),
        sealedAt: timestampOf(ctx),
      };
      await ctx.stub.putState(`batch~${txId}`, json(stored));
      for (const { item, outcome } of recorded) {
        const { entry, signature } = item;
        const record: StoredEntry = { entry, signature, batch: txId, leafIndex: outcome.leafIndex };
        await ctx.stub.putState(`entry~${entry.txId}`, json(record));
        await ctx.stub.putState(
          ctx.stub.createCompositeKey('entity', [entry.entityKind, entry.entityId, entry.txId]),
          Buffer.from([0]),
        );
        await ctx.stub.putPrivateData(PAYLOADS, entry.txId, encoder.encode(payloads[entry.txId]));
      }
    }
    return JSON.stringify(outcomes);
  }

  /** An entry as the channel holds it, with its batch and its club key; "" when there is none. */
  async getEntry(ctx: Context, txId: string): Promise<string> {
    const stored = await readJson<StoredEntry>(ctx, `entry~${txId}`);
    if (!stored) return '';
    const [batch, key] = await Promise.all([
      readJson<StoredBatch>(ctx, `batch~${stored.batch}`),
      readJson<ClubKey>(ctx, `key~${stored.entry.keyId}`),
    ]);
    return JSON.stringify({ ...stored, batchRecord: batch, publicKey: key?.publicKey ?? null });
  }

  /** The payload, from the collection (its members' peers only); "" when there is none. */
  async getPayload(ctx: Context, txId: string): Promise<string> {
    const bytes = await ctx.stub.getPrivateData(PAYLOADS, txId);
    return bytes && bytes.length > 0 ? decoder.decode(bytes) : '';
  }

  /** The entries of a batch with their leaves' data, to rebuild its Merkle root. */
  async getBatch(ctx: Context, batchTxId: string): Promise<string> {
    const batch = await readJson<StoredBatch>(ctx, `batch~${batchTxId}`);
    if (!batch) return '';
    const entries = [];
    for (const id of batch.entryIds) entries.push(await readJson<StoredEntry>(ctx, `entry~${id}`));
    return JSON.stringify({ ...batch, entries });
  }

  /** The newest entry's id (UUIDv7 order) about an entity; "" when there is none. */
  async latestFor(ctx: Context, entityKind: string, entityId: string): Promise<string> {
    const iterator = await ctx.stub.getStateByPartialCompositeKey('entity', [entityKind, entityId]);
    let latest = '';
    try {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        const { attributes } = ctx.stub.splitCompositeKey(next.value.key);
        const id = attributes[2] ?? '';
        if (id > latest) latest = id;
      }
    } finally {
      await iterator.close();
    }
    return latest;
  }

  /**
   * One page of batches with their entries and payloads, for verifyChain: `[start, "batch~\uffff")`,
   * at most `limit`; the next page starts after the last key.
   */
  async exportBatches(ctx: Context, startAfter: string, limitText: string): Promise<string> {
    const limit = Math.max(1, Math.min(100, Number(limitText) || 20));
    const iterator = await ctx.stub.getStateByRange(
      startAfter ? `${startAfter}\u0000` : 'batch~',
      'batch~\uffff',
    );
    const page = [];
    try {
      for (
        let next = await iterator.next();
        !next.done && page.length < limit;
        next = await iterator.next()
      ) {
        const batch = JSON.parse(decoder.decode(next.value.value)) as StoredBatch;
        const entries = [];
        for (const id of batch.entryIds) {
          const stored = await readJson<StoredEntry>(ctx, `entry~${id}`);
          const key = stored ? await readJson<ClubKey>(ctx, `key~${stored.entry.keyId}`) : null;
          const payload = await ctx.stub.getPrivateData(PAYLOADS, id);
          entries.push({
            ...stored,
            publicKey: key?.publicKey ?? null,
            payload: payload && payload.length > 0 ? decoder.decode(payload) : null,
          });
        }
        page.push({ key: next.value.key, ...batch, entries });
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

function json(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

function timestampOf(ctx: Context): string {
  const { seconds, nanos } = ctx.stub.getTxTimestamp();
  return new Date(Number(seconds) * 1000 + Math.floor(nanos / 1e6)).toISOString();
}
