import { randomUUID } from 'node:crypto';
import { sqlStateOf } from '@clubland/db';
import { verifyLedgerProof } from '@clubland/ledger-verify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupLedgerService, visitEntry } from './setup.ts';

let t: Awaited<ReturnType<typeof setupLedgerService>>;
const clubA = randomUUID();
const clubB = randomUUID();
const clubC = randomUUID();

beforeAll(async () => {
  t = await setupLedgerService();
  // Two clubs' keys at least: the key_id tamper test swaps one for another.
  await confirmed(1, clubB, clubA);
});
afterAll(() => t.close());

async function confirmed(count: number, club = clubA, counterparty: string | null = clubB) {
  const entries = Array.from({ length: count }, () => visitEntry(club, counterparty));
  await t.service.submit(entries);
  await t.service.flush();
  return entries;
}

// Submission, statuses, proofs, key rotation and privacy through the port: ledger-contract.test.ts,
// run on every ledger. Here, what only the embedded ledger has: its tables.
describe('the embedded ledger', () => {
  it('holds an entry in one row of ledger.entries, whatever the resubmissions', async () => {
    const [entry] = await confirmed(1);
    const again = await t.service.submit([entry!, entry!]);
    expect(again).toEqual([]);
    const status = await t.ledger.status(entry!.id);
    expect(status).toMatchObject({ status: 'CONFIRMED', error: null });
    expect(status?.blockNumber).toBeGreaterThanOrEqual(0);
    const { rows } = await t.db.transaction((tx) =>
      tx.query<{ n: string }>('SELECT count(*) AS n FROM ledger.entries WHERE id = $1', [entry!.id]),
    );
    expect(rows[0]?.n).toBe('1');
  });

  it('stores private keys sealed, never in clear', async () => {
    const { rows } = await t.db.transaction((tx) =>
      tx.query<{ sealed: Uint8Array }>('SELECT private_key_sealed AS sealed FROM ledger.club_keys'),
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows)
      expect(Buffer.from(row.sealed).includes(Buffer.from('302e020100300506032b6570', 'hex'))).toBe(false);
  });
});

describe('tamper evidence', () => {
  const ENTRY_COLUMNS = [
    'entity_id',
    'fact',
    'club_id',
    'payload_hash',
    'at',
    'key_id',
    'signature',
    'position',
  ];
  const BLOCK_COLUMNS = ['previous_hash', 'merkle_root', 'entry_count', 'sealed_at', 'hash'];

  /** An owner who disables the trigger: the attacker verifyChain must catch. */
  async function alter(table: string, column: string, where: string, id: string) {
    return t.db.asOwner(async (tx) => {
      const { rows } = await tx.query<Record<string, unknown>>(
        `SELECT ${column} AS v FROM ledger.${table} WHERE ${where} = $1`,
        [id],
      );
      const original = rows[0]?.v;
      await tx.query(`ALTER TABLE ledger.${table} DISABLE TRIGGER USER`);
      const changed =
        typeof original === 'number' || column === 'position'
          ? `${column} + 1000`
          : column === 'key_id'
            ? `(SELECT id FROM ledger.club_keys WHERE id <> ${column} LIMIT 1)`
            : column === 'signature'
              ? `overlay(${column} placing (CASE WHEN substr(${column}, 3, 1) = 'A' THEN 'B' ELSE 'A' END) from 3 for 1)`
              : `overlay(${column}::text placing (CASE WHEN substr(${column}::text, 2, 1) = '0' THEN '1' ELSE '0' END) from 2 for 1)`;
      await tx.query(`UPDATE ledger.${table} SET ${column} = ${changed} WHERE ${where} = $1`, [id]);
      await tx.query(`ALTER TABLE ledger.${table} ENABLE TRIGGER USER`);
      return original;
    });
  }

  async function restore(table: string, column: string, where: string, id: string, original: unknown) {
    await t.db.asOwner(async (tx) => {
      await tx.query(`ALTER TABLE ledger.${table} DISABLE TRIGGER USER`);
      await tx.query(`UPDATE ledger.${table} SET ${column} = $2 WHERE ${where} = $1`, [id, original]);
      await tx.query(`ALTER TABLE ledger.${table} ENABLE TRIGGER USER`);
    });
  }

  it.each(ENTRY_COLUMNS)('names the block of an entry whose %s was altered', async (column) => {
    const entries = await confirmed(5);
    const victim = entries[2]!;
    const block = (await t.ledger.status(victim.id))!.blockNumber;
    expect((await t.ledger.verifyChain()).ok).toBe(true);
    const original = await alter('entries', column, 'id', victim.id);
    const verdict = await t.ledger.verifyChain();
    expect(verdict).toMatchObject({ ok: false, blockNumber: block });
    await restore('entries', column, 'id', victim.id, original);
    expect((await t.ledger.verifyChain()).ok).toBe(true);
  });

  it('names the block of an entry whose payload was altered', async () => {
    const [victim] = await confirmed(3);
    const block = (await t.ledger.status(victim!.id))!.blockNumber;
    const original = await alter('payloads', 'payload', 'entry_id', victim!.id);
    expect(await t.ledger.verifyChain()).toMatchObject({
      ok: false,
      blockNumber: block,
      entryId: victim!.id,
    });
    await restore('payloads', 'payload', 'entry_id', victim!.id, original);
  });

  it.each(BLOCK_COLUMNS)('names a block whose header %s was altered', async (column) => {
    const [victim] = await confirmed(2);
    const block = String((await t.ledger.status(victim!.id))!.blockNumber);
    const original = await alter('blocks', column, 'number', block);
    const verdict = await t.ledger.verifyChain();
    expect(verdict.ok).toBe(false);
    // Altering a block's own hash breaks the link from the next block when there is one; either
    // way the altered block is the first one named.
    expect(verdict).toMatchObject({ blockNumber: Number(block) });
    await restore('blocks', column, 'number', block, original);
    expect((await t.ledger.verifyChain()).ok).toBe(true);
  });
});

describe('append-only, by the database itself', () => {
  const STATEMENTS = [
    "UPDATE ledger.entries SET fact = 'x'",
    'DELETE FROM ledger.entries',
    "UPDATE ledger.blocks SET merkle_root = 'x'",
    'DELETE FROM ledger.blocks',
    "UPDATE ledger.payloads SET payload = '{}'",
    'DELETE FROM ledger.payloads',
    "UPDATE ledger.club_keys SET public_key = 'x'",
    'DELETE FROM ledger.club_keys',
    'TRUNCATE ledger.entries CASCADE',
  ];

  it.each(STATEMENTS)('refuses "%s" as the application role and as the owner', async (sql) => {
    await confirmed(1);
    await expect(t.db.transaction((tx) => tx.query(sql))).rejects.toSatisfy(
      (error) => sqlStateOf(error) === '42501',
    );
    await expect(t.db.asOwner((tx) => tx.query(sql))).rejects.toSatisfy(
      (error) => sqlStateOf(error) === '42501',
    );
    expect((await t.ledger.verifyChain()).ok).toBe(true);
  });

  // Checked per statement since 0003 (no row locks), still by the database.
  const DANGLING = [
    [
      'an entry naming a block that does not exist',
      `INSERT INTO ledger.entries (id, block_number, position, entity_kind, entity_id, fact, club_id,
         counterparty_club_id, payload_hash, at, key_id, signature)
       SELECT gen_random_uuid(), 999999, 0, entity_kind, entity_id, fact, club_id, counterparty_club_id,
              payload_hash, at, key_id, signature FROM ledger.entries LIMIT 1`,
    ],
    [
      'an entry naming a club key that does not exist',
      `INSERT INTO ledger.entries (id, block_number, position, entity_kind, entity_id, fact, club_id,
         counterparty_club_id, payload_hash, at, key_id, signature)
       SELECT gen_random_uuid(), block_number, 999999, entity_kind, entity_id, fact, club_id,
              counterparty_club_id, payload_hash, at, gen_random_uuid(), signature FROM ledger.entries LIMIT 1`,
    ],
    [
      'a payload naming an entry that does not exist',
      `INSERT INTO ledger.payloads (entry_id, club_id, counterparty_club_id, payload)
       SELECT gen_random_uuid(), club_id, counterparty_club_id, payload FROM ledger.payloads LIMIT 1`,
    ],
  ] as const;

  it.each(DANGLING)('refuses %s', async (_, sql) => {
    await confirmed(1);
    await expect(t.db.asOwner((tx) => tx.query(sql))).rejects.toSatisfy(
      (error) => sqlStateOf(error) === '23503',
    );
  });
});

describe('privacy between clubs, in the database', () => {
  it("keeps an A-B payload out of C's transaction by the parties policy, not by the code", async () => {
    const [entry] = await confirmed(1, clubA, clubB);
    const { rows } = await t.db.withTenant(clubC, (tx) =>
      tx.query('SELECT payload FROM ledger.payloads WHERE entry_id = $1', [entry!.id]),
    );
    expect(rows).toEqual([]);
    const { rows: own } = await t.db.withTenant(clubB, (tx) =>
      tx.query<{ payload: string }>('SELECT payload FROM ledger.payloads WHERE entry_id = $1', [entry!.id]),
    );
    expect(own[0]?.payload).toBe(entry!.payload);
    expect(verifyLedgerProof((await t.ledger.proof(entry!.id))!).ok).toBe(true);
  });
});
