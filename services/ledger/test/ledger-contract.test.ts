import { randomUUID } from 'node:crypto';
import { ledgerEntryStatusChanged } from '@clubland/contract/events/ledger';
import { verifyLedgerProof } from '@clubland/ledger-verify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectFabric, type FabricConnection, fabricSettingsFromEnv } from '../src/index.ts';
import { eventually, setupLedgerService, visitEntry } from './setup.ts';

/**
 * The ledger port's contract, run against every ledger there is here: the embedded ledger (on PGlite,
 * or PostgreSQL when DATABASE_URL is set) and the Fabric adapter on a real Fabric network (when
 * FABRIC_* is set or deploy/fabric/up.sh's fabric.env exists; skipped, saying so, otherwise).
 * The embedded ledger's own tests (tamper evidence, append-only SQL) stay in ledger.test.ts.
 */

const fabricSettings = fabricSettingsFromEnv();
// CI starts a network and sets CLUBLAND_REQUIRE_FABRIC: there, a missing network is a failure.
if (!fabricSettings && process.env.CLUBLAND_REQUIRE_FABRIC)
  throw new Error('CLUBLAND_REQUIRE_FABRIC is set but there are no FABRIC_* settings nor fabric.env');
const targets = [
  { kind: 'embedded' as const, skip: null },
  {
    kind: 'fabric' as const,
    skip: fabricSettings
      ? null
      : 'no Fabric network: FABRIC_PEER_ENDPOINT is unset and there is no fabric.env (run npm run fabric:up)',
  },
];
for (const target of targets)
  if (target.skip) console.warn(`ledger contract suite on ${target.kind}: skipped, ${target.skip}`);

describe.each(targets)('the ledger contract on $kind', ({ kind, skip }) => {
  let t: Awaited<ReturnType<typeof setupLedgerService>>;
  let connection: FabricConnection | undefined;
  const clubA = randomUUID();
  const clubB = randomUUID();
  const clubC = randomUUID();

  beforeAll(async () => {
    if (skip) return;
    if (kind === 'fabric' && fabricSettings) {
      connection = await connectFabric(fabricSettings);
      t = await setupLedgerService({
        ledger: 'fabric',
        fabric: fabricSettings,
        fabricConnection: connection,
      });
    } else {
      t = await setupLedgerService();
    }
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    connection?.close();
  });

  async function confirmed(count: number, club = clubA, counterparty: string | null = clubB) {
    const entries = Array.from({ length: count }, () => visitEntry(club, counterparty));
    await t.service.submit(entries);
    await t.service.flush();
    return entries;
  }

  it.skipIf(skip)(
    'moves an entry SUBMITTED then CONFIRMED with its block, each step an event, and takes it once',
    async () => {
      const entry = visitEntry(clubA, clubB);
      const [submitted] = await t.service.submit([entry]);
      expect(submitted).toMatchObject({ status: 'SUBMITTED', blockNumber: null, error: null });
      expect(await t.ledger.status(entry.id)).toMatchObject({ status: 'SUBMITTED', blockNumber: null });
      expect(await t.service.submit([entry])).toEqual([]);
      await t.service.flush();
      const status = await t.ledger.status(entry.id);
      expect(status).toMatchObject({ txId: entry.id, status: 'CONFIRMED', error: null });
      expect(status?.blockNumber).toBeGreaterThanOrEqual(0);
      // Resubmitted once on the ledger: skipped, no event, the same block.
      expect(await t.service.submit([entry, entry])).toEqual([]);
      await t.service.flush();
      expect(await t.ledger.status(entry.id)).toEqual(status);
      const steps = await eventually(async () => {
        const mine = t.statuses
          .filter((event) => ledgerEntryStatusChanged.parse(event).data.entryId === entry.id)
          .map((event) => ledgerEntryStatusChanged.parse(event).data);
        return mine.length >= 2 && mine;
      });
      expect(steps.map((step) => [step.status, step.blockNumber])).toEqual([
        ['SUBMITTED', null],
        ['CONFIRMED', status?.blockNumber],
      ]);
    },
    30_000,
  );

  it.skipIf(skip)('refuses an entry whose payload is not canonical JSON, for good (FAILED)', async () => {
    const entry = visitEntry(clubA, clubB, { payload: '{ "b": 1, "a": 2 }' });
    const [change] = await t.service.submit([entry]);
    expect(change).toMatchObject({ status: 'FAILED' });
    expect(await t.ledger.status(entry.id)).toMatchObject({ status: 'FAILED', blockNumber: null });
    expect(await t.service.submit([entry])).toEqual([]);
    expect(await t.ledger.status('0193c8a1-0000-7000-8000-00000000dead')).toBeNull();
  });

  it.skipIf(skip)(
    'gives proofs that verify offline with the header, the proof and the club key alone',
    async () => {
      const entries = await confirmed(7);
      for (const entry of entries) {
        const proof = await t.ledger.proof(entry.id);
        expect(proof).not.toBeNull();
        expect(JSON.stringify(proof)).not.toContain('Ada Lovelace');
        expect(proof?.block.number).toBe((await t.ledger.status(entry.id))?.blockNumber);
        expect(verifyLedgerProof(proof!, { payload: entry.payload })).toEqual({ ok: true });
        const forged = { ...proof!, entry: { ...proof!.entry, fact: 'visit.cancelled' } };
        expect(verifyLedgerProof(forged).ok).toBe(false);
        expect(verifyLedgerProof(proof!, { payload: entry.payload.replace('2500', '25') }).ok).toBe(false);
        const moved = { ...proof!, leafIndex: (proof!.leafIndex + 1) % proof!.block.entryCount };
        expect(verifyLedgerProof(moved).ok).toBe(false);
      }
      expect(await t.ledger.proof(visitEntry(clubA, clubB).id)).toBeNull();
    },
    30_000,
  );

  it.skipIf(skip)(
    'keeps old keys after a rotation: entries signed before and after both verify',
    async () => {
      const [before] = await confirmed(1, clubC, clubA);
      const oldProof = await t.ledger.proof(before!.id);
      const rotated = await t.service.keys.rotate(clubC);
      const [after] = await confirmed(1, clubC, clubA);
      const newProof = await t.ledger.proof(after!.id);
      expect(newProof?.entry.keyId).toBe(rotated.id);
      expect(oldProof?.entry.keyId).not.toBe(rotated.id);
      expect(verifyLedgerProof(oldProof!, { publicKey: oldProof!.publicKey }).ok).toBe(true);
      expect(verifyLedgerProof(newProof!, { publicKey: rotated.publicKey }).ok).toBe(true);
      expect(verifyLedgerProof(oldProof!, { publicKey: rotated.publicKey }).ok).toBe(false);
      expect((await t.ledger.verifyChain()).ok).toBe(true);
    },
    60_000,
  );

  it.skipIf(skip)(
    'shows an A-B payload to A, B and the network only; C sees the entry and verifies its proof',
    async () => {
      const [entry] = await confirmed(1, clubA, clubB);
      const asA = await t.ledger.get(entry!.id, { kind: 'club', clubId: clubA });
      const asB = await t.ledger.get(entry!.id, { kind: 'club', clubId: clubB });
      const asNetwork = await t.ledger.get(entry!.id, { kind: 'network' });
      const asC = await t.ledger.get(entry!.id, { kind: 'club', clubId: clubC });
      expect(asA?.payload).toBe(entry!.payload);
      expect(asB?.payload).toBe(entry!.payload);
      expect(asNetwork?.payload).toBe(entry!.payload);
      expect(asC).toMatchObject({ txId: entry!.id, status: 'CONFIRMED', payload: null });
      expect(asC?.payloadHash).toBe(asA?.payloadHash);
      expect(asA).toMatchObject({ entityKind: 'visit', entityId: entry!.entityId, fact: entry!.fact });
      expect(asA?.confirmedAt).not.toBeNull();
      const latest = await t.ledger.latestFor('visit', entry!.entityId, { kind: 'club', clubId: clubC });
      expect(latest).toMatchObject({ txId: entry!.id, payload: null });
      const proof = await t.ledger.proof(entry!.id);
      expect(verifyLedgerProof(proof!).ok).toBe(true);
    },
    30_000,
  );

  it.skipIf(skip)('hides a waiting entry from a third club as well', async () => {
    const entry = visitEntry(clubA, clubB);
    await t.service.submit([entry]);
    expect(await t.ledger.get(entry.id, { kind: 'club', clubId: clubC })).toBeNull();
    expect((await t.ledger.get(entry.id, { kind: 'club', clubId: clubB }))?.status).toBe('SUBMITTED');
    await t.service.flush();
    expect((await t.ledger.get(entry.id, { kind: 'club', clubId: clubB }))?.status).toBe('CONFIRMED');
  });

  it.skipIf(skip)(
    'takes many entries from concurrent submitters, each once, every one confirmed',
    async () => {
      const entries = Array.from({ length: 300 }, (_, i) =>
        visitEntry(i % 2 ? clubA : clubB, i % 2 ? clubB : clubA),
      );
      const batches = Array.from({ length: 6 }, (_, i) => entries.slice(i * 50, i * 50 + 50));
      const changes = (
        await Promise.all(batches.map((batch) => t.service.submit([...batch, ...batch])))
      ).flat();
      expect(changes).toHaveLength(entries.length);
      await t.service.flush();
      const statuses = await Promise.all(entries.map((entry) => t.ledger.status(entry.id)));
      expect(statuses.every((status) => status?.status === 'CONFIRMED')).toBe(true);
      expect((await t.ledger.verifyChain()).ok).toBe(true);
    },
    60_000,
  );
});
