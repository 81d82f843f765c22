import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';

/**
 * The bytes of the ledger, defined once for the ledger that writes them and the verifier that
 * checks them. Hashes are lower-case hex; signatures and keys base64.
 */

/** What a club signs: everything about the entry but its payload, which is represented by its hash. */
export interface SignedEntry {
  txId: string;
  entityKind: string;
  entityId: string;
  fact: string;
  clubId: string;
  counterpartyClubId: string | null;
  /** SHA-256 (hex) of the payload's canonical JSON: the payload itself stays with the two clubs. */
  payloadHash: string;
  /** ISO-8601 instant of the fact. */
  at: string;
  /** The club key that signed (its public key verifies `signature`). */
  keyId: string;
}

/** A block's header: what the chain links and what a proof is checked against. */
export interface BlockHeader {
  number: number;
  /** The previous block's hash; 64 zeros for block 0. */
  previousHash: string;
  /** RFC 6962 Merkle root (hex) of the block's entries' leaves, in their order. */
  merkleRoot: string;
  entryCount: number;
  /** ISO-8601 instant the block was sealed. */
  sealedAt: string;
}

export const GENESIS_PREVIOUS_HASH = '0'.repeat(64);

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The message a club's Ed25519 key signs. */
export function signedMessage(entry: SignedEntry): Buffer {
  return Buffer.from(
    canonicalJson({
      v: 1,
      txId: entry.txId,
      entityKind: entry.entityKind,
      entityId: entry.entityId,
      fact: entry.fact,
      clubId: entry.clubId,
      counterpartyClubId: entry.counterpartyClubId,
      payloadHash: entry.payloadHash,
      at: entry.at,
      keyId: entry.keyId,
    }),
  );
}

/**
 * The leaf's data (before RFC 6962's 0x00-prefixed hash): the signed entry and its signature. Pass
 * the entry's signedMessage when you hold it already (you signed or verified it), to skip
 * serialising it again.
 */
export function leafData(entry: SignedEntry | Buffer, signature: string): Buffer {
  const message = Buffer.isBuffer(entry) ? entry : signedMessage(entry);
  return Buffer.concat([message, Buffer.from(`\n${signature}`)]);
}

/** The block's hash, which the next block names as its previous. */
export function blockHash(header: BlockHeader): string {
  return sha256Hex(
    canonicalJson({
      v: 1,
      number: header.number,
      previousHash: header.previousHash,
      merkleRoot: header.merkleRoot,
      entryCount: header.entryCount,
      sealedAt: header.sealedAt,
    }),
  );
}
