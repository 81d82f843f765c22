import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';
import { type BlockHeader, blockHash, type SignedEntry, sha256Hex, signedMessage } from './entry-format.ts';

const entries: SignedEntry[] = [
  {
    txId: '0193c8a1-0000-7000-8000-000000000001',
    entityKind: 'visit',
    entityId: '0193c8a1-0000-7000-8000-000000000002',
    fact: 'visit.checked_in',
    clubId: '0193c8a1-0000-7000-8000-000000000003',
    counterpartyClubId: '0193c8a1-0000-7000-8000-000000000004',
    payloadHash: 'a'.repeat(64),
    at: '2026-12-07T09:00:00.000Z',
    keyId: '0193c8a1-0000-7000-8000-000000000005',
  },
  {
    txId: 't',
    entityKind: 'agreement',
    entityId: 'é "quoted" \\ \n\u2028 \u0001 😀',
    fact: 'agreement.approved',
    clubId: 'c',
    counterpartyClubId: null,
    payloadHash: '',
    at: 'now',
    keyId: 'k',
  },
];

describe('the ledger byte formats', () => {
  it.each(entries)('signs the canonical JSON of the entry, byte for byte', (entry) => {
    expect(signedMessage(entry).toString()).toBe(canonicalJson({ v: 1, ...entry }));
  });

  it('hashes the canonical JSON of the block header', () => {
    const header: BlockHeader = {
      number: 12,
      previousHash: 'b'.repeat(64),
      merkleRoot: 'c'.repeat(64),
      entryCount: 1000,
      sealedAt: '2026-12-07T09:00:01.000Z',
    };
    expect(blockHash(header)).toBe(sha256Hex(canonicalJson({ v: 1, ...header })));
  });
});
