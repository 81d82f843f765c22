import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import {
  type BlockHeader,
  blockHash,
  leafData,
  type SignedEntry,
  sha256Hex,
  signedMessage,
} from './entry-format.ts';
import { leafHash, verifyInclusion } from './merkle.ts';

/** What GET /ledger/proofs/:txId and the ledgerProof query serve: an entry's existence, without its payload. */
export interface ProofDocument {
  version: 1;
  entry: SignedEntry;
  /** base64 Ed25519 signature of the entry (entry-format.ts signedMessage) by the club's key. */
  signature: string;
  /** The club's public key that signed (base64 SPKI DER); pass your own copy to trust it independently. */
  publicKey: string;
  block: BlockHeader & { hash: string };
  /** Position of the entry's leaf in its block. */
  leafIndex: number;
  /** RFC 6962 audit path, hex, from the leaf's sibling up. */
  auditPath: string[];
}

export interface VerifyOptions {
  /** The club's public key as you know it (base64 SPKI DER, or a KeyObject); default: the document's. */
  publicKey?: string | KeyObject;
  /** The payload, when you hold it (a party to the entry): its hash must match the entry's. */
  payload?: string;
  /** The block hash you trust (from the chain, or another copy of it): the header must hash to it. */
  blockHash?: string;
}

export type Verdict = { ok: true } | { ok: false; reason: string };

/**
 * Checks a proof document with nothing but node:crypto: the entry's signature by its club's key,
 * its leaf's inclusion under the block header's Merkle root, and the header's hash; optionally
 * the payload's hash and the block hash you trust.
 */
export function verifyLedgerProof(document: ProofDocument, options: VerifyOptions = {}): Verdict {
  try {
    const key =
      options.publicKey === undefined || typeof options.publicKey === 'string'
        ? importedKey(options.publicKey ?? document.publicKey)
        : options.publicKey;
    const { entry, block } = document;
    const message = signedMessage(entry);
    if (!verify(null, message, key, Buffer.from(document.signature, 'base64')))
      return { ok: false, reason: 'signature does not verify with the club key' };
    if (options.payload !== undefined && sha256Hex(options.payload) !== entry.payloadHash)
      return { ok: false, reason: 'payload does not match the entry hash' };
    const leaf = leafHash(leafData(message, document.signature));
    const path = document.auditPath.map((hex) => Buffer.from(hex, 'hex'));
    if (
      !verifyInclusion(leaf, document.leafIndex, block.entryCount, path, Buffer.from(block.merkleRoot, 'hex'))
    )
      return { ok: false, reason: 'entry is not included under the block Merkle root' };
    const hash = blockHash(block);
    if (hash !== block.hash) return { ok: false, reason: 'block header does not match its hash' };
    if (options.blockHash !== undefined && options.blockHash !== hash)
      return { ok: false, reason: 'block hash differs from the trusted one' };
    return { ok: true };
  } catch (error) {
    return {
      ok: false,
      reason: `unreadable proof: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/**
 * Public keys imported once: parsing SPKI DER into a KeyObject cost a fifth of a proof's
 * verification, and a verifier checks many proofs signed by the same few club keys. Bounded; the
 * oldest import goes first. Keyed by the key's own bytes, so a different key is never mistaken
 * for a cached one.
 */
const importedKeys = new Map<string, KeyObject>();
const IMPORTED_KEYS_MAX = 1024;

function importedKey(spkiBase64: string): KeyObject {
  const cached = importedKeys.get(spkiBase64);
  if (cached) return cached;
  const key = createPublicKey({ key: Buffer.from(spkiBase64, 'base64'), format: 'der', type: 'spki' });
  if (importedKeys.size >= IMPORTED_KEYS_MAX) importedKeys.delete(importedKeys.keys().next().value as string);
  importedKeys.set(spkiBase64, key);
  return key;
}
