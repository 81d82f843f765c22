import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import {
  leafData,
  leafHash,
  merkleRoot,
  type SignedEntry,
  sha256Hex,
  signedMessage,
} from '@clubland/ledger-verify';
import canonicalize from 'canonicalize';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectFabric, type FabricConnection, fabricSettingsFromEnv } from '../src/index.ts';
import { setupLedgerService, visitEntry } from './setup.ts';

/**
 * The chaincode's own rules, on the real Fabric network (skipped without one, saying so): the channel
 * trusts no client, so a batch sent straight through the Gateway, around the adapter, is checked
 * entry by entry (signature by a key registered for that club, kind, payload hash) and only the
 * entries that pass are recorded, under a Merkle root of their own.
 */

const settings = fabricSettingsFromEnv();
// CI starts a network and sets CLUBLAND_REQUIRE_FABRIC: there, a missing network is a failure.
if (!settings && process.env.CLUBLAND_REQUIRE_FABRIC)
  throw new Error('CLUBLAND_REQUIRE_FABRIC is set but there are no FABRIC_* settings nor fabric.env');
const skip = settings ? null : 'no Fabric network: FABRIC_PEER_ENDPOINT is unset and there is no fabric.env';
if (skip) console.warn(`Fabric chaincode tests: skipped, ${skip}`);

const decoder = new TextDecoder();

describe.skipIf(skip)('the ledger chaincode on the Fabric network', () => {
  let fabric: FabricConnection;
  const club = randomUUID();
  const other = randomUUID();
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const keyId = randomUUID();
  const spki = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');

  beforeAll(async () => {
    fabric = await connectFabric(settings!);
    await fabric.contract.submitTransaction(
      'registerClubKeys',
      JSON.stringify([{ clubId: club, keyId, publicKey: spki }]),
    );
  }, 30_000);
  afterAll(() => fabric?.close());

  function signed(more: Partial<SignedEntry> = {}, payload = canonicalize({ fee: 2500, n: randomUUID() })!) {
    const entry: SignedEntry = {
      txId: uuidv7(),
      entityKind: 'visit',
      entityId: randomUUID(),
      fact: 'visit.checked_in',
      clubId: club,
      counterpartyClubId: other,
      payloadHash: sha256Hex(payload),
      at: new Date().toISOString(),
      keyId,
      ...more,
    };
    return { entry, payload, signature: sign(null, signedMessage(entry), privateKey).toString('base64') };
  }

  async function submitBatch(items: ReturnType<typeof signed>[]) {
    const result = await fabric.contract.submit('submitBatch', {
      arguments: [JSON.stringify(items.map(({ entry, signature }) => ({ entry, signature })))],
      transientData: {
        payloads: JSON.stringify(
          Object.fromEntries(items.map(({ entry, payload }) => [entry.txId, payload])),
        ),
      },
    });
    return JSON.parse(decoder.decode(result)) as {
      txId: string;
      outcome: string;
      reason?: string;
      batch?: string;
    }[];
  }

  it('records the valid entries of a batch and refuses the others, each with its reason', async () => {
    const good = [signed(), signed()];
    const forged = signed();
    forged.entry = { ...forged.entry, fact: 'visit.cancelled' };
    const strangerKey = signed({ keyId: randomUUID() });
    const wrongKind = signed({ entityKind: 'spaceship', fact: 'spaceship.landed' });
    const wrongHash = signed({}, '{"a":1}');
    wrongHash.payload = '{"a":2}';
    const notCanonical = signed({ payloadHash: sha256Hex('{ "b": 1, "a": 2 }') }, '{ "b": 1, "a": 2 }');
    const outcomes = await submitBatch([
      good[0]!,
      forged,
      strangerKey,
      wrongKind,
      wrongHash,
      notCanonical,
      good[1]!,
    ]);
    expect(outcomes.map(({ outcome, reason }) => reason ?? outcome)).toEqual([
      'recorded',
      'signature does not verify with the club key',
      'entry signed by a key not registered on the channel',
      'unknown entity kind',
      'payload does not match its hash',
      'payload is not canonical JSON (RFC 8785)',
      'recorded',
    ]);
    for (const refused of [forged, strangerKey, wrongKind])
      expect(decoder.decode(await fabric.contract.evaluateTransaction('getEntry', refused.entry.txId))).toBe(
        '',
      );
    // The batch's root covers its recorded entries only, in order.
    const batch = JSON.parse(
      decoder.decode(await fabric.contract.evaluateTransaction('getBatch', outcomes[0]!.batch!)),
    ) as { merkleRoot: string; entryCount: number; entries: { entry: SignedEntry }[] };
    expect(batch.entries.map(({ entry }) => entry.txId)).toEqual(good.map(({ entry }) => entry.txId));
    const leaves = good.map(({ entry, signature }) => leafHash(leafData(entry, signature)));
    expect(batch).toMatchObject({ entryCount: 2, merkleRoot: merkleRoot(leaves).toString('hex') });
    expect(decoder.decode(await fabric.contract.evaluateTransaction('getPayload', good[1]!.entry.txId))).toBe(
      good[1]!.payload,
    );
  }, 30_000);

  it('skips an entry already on the channel, naming the batch that holds it', async () => {
    const item = signed();
    const [first] = await submitBatch([item]);
    const [again] = await submitBatch([item]);
    expect(first).toMatchObject({ outcome: 'recorded' });
    expect(again).toEqual({ txId: item.entry.txId, outcome: 'duplicate', batch: first!.batch });
  }, 30_000);

  it("refuses a key for another club's entries and a key id registered with other bytes", async () => {
    const [stolen] = await submitBatch([signed({ clubId: other, counterpartyClubId: club })]);
    expect(stolen).toMatchObject({ outcome: 'refused', reason: "entry signed by another club's key" });
    const otherKey = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
    await expect(
      fabric.contract.submitTransaction(
        'registerClubKeys',
        JSON.stringify([{ clubId: club, keyId, publicKey: otherKey.toString('base64') }]),
      ),
    ).rejects.toThrow();
  }, 30_000);

  it('turns what the channel refuses into FAILED through the adapter, for good', async () => {
    const t = await setupLedgerService({ ledger: 'fabric', fabric: settings!, fabricConnection: fabric });
    try {
      // The service's own check passes it (canonical payload, UTC instant); the channel's rules do not.
      const entry = visitEntry(club, other, { fact: 'agreement.approved' });
      expect(await t.service.submit([entry])).toMatchObject([{ status: 'SUBMITTED' }]);
      await t.service.flush();
      expect(await t.ledger.status(entry.id)).toEqual({
        txId: entry.id,
        status: 'FAILED',
        blockNumber: null,
        error: 'fact is not one of its entity kind',
      });
      expect(await t.service.submit([entry])).toEqual([]);
    } finally {
      await t.close();
    }
  }, 120_000);
});
