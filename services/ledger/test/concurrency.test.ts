import { randomUUID } from 'node:crypto';
import { ledgerEntryStatusChanged } from '@clubland/contract/events/ledger';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, requestOf, setupLedgerService, visitEntry } from './setup.ts';

const clubs = Array.from({ length: 6 }, () => randomUUID());
const pairOf = (i: number) => [clubs[i % clubs.length]!, clubs[(i + 1) % clubs.length]!] as const;

async function chainFacts(t: Awaited<ReturnType<typeof setupLedgerService>>) {
  const { rows } = await t.db.transaction((tx) =>
    tx.query<{ entries: string; distinct_ids: string; blocks: string; pending: string }>(
      `SELECT (SELECT count(*) FROM ledger.entries) AS entries,
              (SELECT count(DISTINCT id) FROM ledger.entries) AS distinct_ids,
              (SELECT count(*) FROM ledger.blocks) AS blocks,
              (SELECT count(*) FROM ledger.pending) AS pending`,
    ),
  );
  return rows[0]!;
}

describe('the ledger under concurrent producers', () => {
  const open: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const t of open) await t.close();
  });

  it('turns 10,000 requests from concurrent producers, redeliveries included, into one unbroken chain with each entry once', async () => {
    const t = await setupLedgerService({ maxBlockEntries: 500 });
    open.push(t);
    // A second instance shares the durable consumer and seals blocks too: the advisory lock orders them.
    const second = await t.another({ maxBlockEntries: 500 });
    const entries = Array.from({ length: 10_000 }, (_, i) => visitEntry(...pairOf(i)));
    const producers = 8;
    await Promise.all(
      Array.from({ length: producers }, async (_, p) => {
        const mine = entries.filter((_, i) => i % producers === p);
        for (let i = 0; i < mine.length; i += 50) {
          const batch = mine.slice(i, i + 50).map(requestOf);
          // Every tenth batch is published twice, as a relay retrying after a lost ack would.
          await t.bus.publish(i % 500 === 0 ? [...batch, ...batch] : batch);
        }
      }),
    );
    await eventually(async () => {
      await t.service.flush();
      return Number((await chainFacts(t)).entries) >= entries.length;
    }, 120_000);
    await second.stop();
    const facts = await chainFacts(t);
    expect(facts).toMatchObject({ entries: '10000', distinct_ids: '10000', pending: '0' });
    const verdict = await t.ledger.verifyChain();
    expect(verdict).toEqual({ ok: true, blocks: Number(facts.blocks), entries: 10_000 });
    // Every entry was announced CONFIRMED, with the block it is in.
    await eventually(async () => {
      const confirmed = new Set(
        t.statuses
          .map((event) => ledgerEntryStatusChanged.parse(event).data)
          .filter((data) => data.status === 'CONFIRMED')
          .map((data) => data.entryId),
      );
      return confirmed.size === entries.length;
    });
  }, 240_000);

  it('loses and doubles nothing when the consumer stops mid-batch and another instance takes over', async () => {
    const t = await setupLedgerService({ maxBlockEntries: 200 });
    open.push(t);
    const entries = Array.from({ length: 2000 }, (_, i) => visitEntry(...pairOf(i)));
    // The second half is published only once the first instance has stopped: on a quiet machine the
    // first one otherwise sealed all 2,000 before the stop, and nothing was left to take over.
    const publish = async (from: number, to: number) => {
      for (let i = from; i < to; i += 100) await t.bus.publish(entries.slice(i, i + 100).map(requestOf));
    };
    const publishing = publish(0, 1000);
    await eventually(async () => Number((await chainFacts(t)).entries) > 0);
    await t.service.stop();
    const atStop = await chainFacts(t);
    expect(Number(atStop.entries)).toBeLessThan(entries.length);
    await publishing;
    await publish(1000, 2000);
    const successor = await t.another({ maxBlockEntries: 200 });
    await eventually(async () => {
      await successor.flush();
      return Number((await chainFacts(t)).entries) >= entries.length;
    }, 60_000);
    await successor.stop();
    expect(await chainFacts(t)).toMatchObject({ entries: '2000', distinct_ids: '2000', pending: '0' });
    expect((await t.ledger.verifyChain()).ok).toBe(true);
  }, 120_000);
});
