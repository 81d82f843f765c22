import { describe, expect, it } from 'vitest';
import { auditPath, leafHash, merkleRoot, verifyInclusion } from './merkle.ts';

// The Certificate Transparency reference implementation's test vectors (merkle_tree_test).
const INPUTS = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
];
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const leaves = INPUTS.map((hex) => leafHash(Buffer.from(hex, 'hex')));

describe('RFC 6962 Merkle trees', () => {
  it('gives the reference roots for 1 to 8 leaves, and SHA-256 of nothing for none', () => {
    ROOTS.forEach((root, i) => {
      expect(merkleRoot(leaves.slice(0, i + 1)).toString('hex')).toBe(root);
    });
    expect(merkleRoot([]).toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('proves every leaf of every tree up to 33 leaves, and no leaf at another index', () => {
    const many = Array.from({ length: 33 }, (_, i) => leafHash(Buffer.from([i])));
    for (let size = 1; size <= many.length; size++) {
      const tree = many.slice(0, size);
      const root = merkleRoot(tree);
      for (let index = 0; index < size; index++) {
        const path = auditPath(index, tree);
        expect(verifyInclusion(tree[index] as Buffer, index, size, path, root)).toBe(true);
        if (size > 1)
          expect(verifyInclusion(tree[index] as Buffer, (index + 1) % size, size, path, root)).toBe(false);
      }
    }
  });

  it('refuses a path with a flipped bit', () => {
    const root = merkleRoot(leaves);
    const path = auditPath(5, leaves);
    const sibling = path[1] as Buffer;
    sibling.writeUInt8((sibling.readUInt8(0) ^ 1) & 0xff, 0);
    expect(verifyInclusion(leaves[5] as Buffer, 5, leaves.length, path, root)).toBe(false);
  });
});
