import { hash } from 'node:crypto';

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
  return hash('sha256', data, 'hex');
}

/**
 * The message a club's Ed25519 key signs: the canonical JSON (RFC 8785) of the entry with `v: 1`.
 * Written out with its keys in their canonical order rather than through canonicalJson, which sorts
 * them on every call: this runs once per entry signed and per proof verified. entry-format.test.ts
 * checks that both give the same bytes.
 */
export function signedMessage(entry: SignedEntry): Buffer {
  const j = JSON.stringify;
  return Buffer.from(
    `{"at":${j(entry.at)},"clubId":${j(entry.clubId)},"counterpartyClubId":${j(entry.counterpartyClubId)},` +
      `"entityId":${j(entry.entityId)},"entityKind":${j(entry.entityKind)},"fact":${j(entry.fact)},` +
      `"keyId":${j(entry.keyId)},"payloadHash":${j(entry.payloadHash)},"txId":${j(entry.txId)},"v":1}`,
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

/** The block's hash, which the next block names as its previous: of the header's canonical JSON, keys in order. */
export function blockHash(header: BlockHeader): string {
  const j = JSON.stringify;
  if (!Number.isSafeInteger(header.number) || !Number.isSafeInteger(header.entryCount))
    throw new TypeError('a block number and entry count are integers');
  return sha256Hex(
    `{"entryCount":${header.entryCount},"merkleRoot":${j(header.merkleRoot)},"number":${header.number},` +
      `"previousHash":${j(header.previousHash)},"sealedAt":${j(header.sealedAt)},"v":1}`,
  );
}
