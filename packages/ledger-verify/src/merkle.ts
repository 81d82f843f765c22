import { createHash, hash } from 'node:crypto';

/**
 * Merkle trees as RFC 6962 (Certificate Transparency, section 2.1) defines them, so a block's root
 * and an entry's audit path are the standard ones: leaves hashed with a 0x00 prefix, interior
 * nodes with 0x01, a tree of n leaves split at the largest power of two below n.
 */

const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

// One-shot crypto.hash over one concatenated buffer: for inputs this small, a Hash object per node
// (createHash, update, update, digest) cost more than the SHA-256 itself.
export function leafHash(data: Uint8Array): Buffer {
  return hash('sha256', Buffer.concat([LEAF, data]), 'buffer');
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return hash('sha256', Buffer.concat([NODE, left, right]), 'buffer');
}

/** MTH(D[n]) over leaf hashes; the empty tree's root is SHA-256 of nothing. */
export function merkleRoot(leaves: readonly Uint8Array[]): Buffer {
  if (leaves.length === 0) return createHash('sha256').digest();
  // Bottom-up, pairing left to right and carrying an odd last node up unchanged: the same tree as
  // the recursive split at the largest power of two (RFC 6962 2.1), without the recursion.
  let level: Uint8Array[] = [...leaves];
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2)
      next.push(nodeHash(level[i] as Uint8Array, level[i + 1] as Uint8Array));
    if (level.length % 2 === 1) next.push(level[level.length - 1] as Uint8Array);
    level = next;
  }
  return Buffer.from(level[0] as Uint8Array);
}

/** PATH(m, D[n]): the sibling hashes from leaf `index` up to the root (RFC 6962 2.1.1). */
export function auditPath(index: number, leaves: readonly Uint8Array[]): Buffer[] {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length)
    throw new RangeError('leaf index out of range');
  const path: Buffer[] = [];
  let level: Uint8Array[] = [...leaves];
  let at = index;
  while (level.length > 1) {
    const sibling = at % 2 === 0 ? at + 1 : at - 1;
    if (sibling < level.length) path.push(Buffer.from(level[sibling] as Uint8Array));
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2)
      next.push(nodeHash(level[i] as Uint8Array, level[i + 1] as Uint8Array));
    if (level.length % 2 === 1) next.push(level[level.length - 1] as Uint8Array);
    level = next;
    at = Math.floor(at / 2);
  }
  return path;
}

/**
 * Whether `leaf` (a leaf hash) sits at `index` of a tree of `size` leaves whose root is `root`,
 * by the audit path: RFC 9162 2.1.3.2, the verification algorithm for RFC 6962 inclusion proofs.
 */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  path: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && Buffer.from(r).equals(Buffer.from(root));
}
