import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATEMENT_CSV_HEADER } from '../src/domain/statement-csv.ts';
import type { VisitStatus } from '../src/domain/visit-lifecycle.ts';
import { createAgreementQueries } from '../src/store/agreement-queries.ts';
import { createVisitQueries } from '../src/store/visit-queries.ts';
import {
  callerOf,
  networkAdminCaller,
  principalWith,
  type ReciprocalServiceHarness,
  setupReciprocalService,
} from './setup.ts';
import { DEFAULT_TERMS } from './terms.ts';

/**
 * Issue 30, item 6: statements per pair of clubs and period from the checked-out visits,
 * reproducible (the stored hash equals a recomputation), disputes in their window resolved by an
 * adjustment line, netting across the network, CSV, and a third club that sees none of it.
 *
 * March 2026, amounts in pence (the home club's share of each visit):
 *   A's members at B: 1500, 2500, 0      B's at A: 1000      B's at C: 4000, 1000
 *   C's at A: 2000                       A's at C: 700 USD
 * Not settled: a visit of April, a cancelled one, one still checked in.
 */
describe('settlement', () => {
  let harness: ReciprocalServiceHarness;
  let now = new Date('2026-03-20T10:00:00Z');
  let clubA: string;
  let clubB: string;
  let clubC: string;
  const admin = (clubId: string) => callerOf(principalWith('CLUB_ADMIN', clubId));
  const network = networkAdminCaller();

  beforeAll(async () => {
    harness = await setupReciprocalService({ clock: () => now });
    clubA = await harness.seedClub('Alpha');
    clubB = await harness.seedClub('Bravo');
    clubC = await harness.seedClub('Charlie');
    const ab = await seedAgreement(clubA, clubB);
    const bc = await seedAgreement(clubB, clubC);
    const ca = await seedAgreement(clubC, clubA);
    await seedVisit(clubA, clubB, ab, '2026-03-02', 1500);
    await seedVisit(clubA, clubB, ab, '2026-03-09', 2500);
    await seedVisit(clubA, clubB, ab, '2026-03-09', 0);
    await seedVisit(clubB, clubA, ab, '2026-03-15', 1000);
    await seedVisit(clubB, clubC, bc, '2026-03-01', 4000);
    await seedVisit(clubB, clubC, bc, '2026-03-31', 1000);
    await seedVisit(clubC, clubA, ca, '2026-03-12', 2000);
    await seedVisit(clubA, clubC, ca, '2026-03-13', 700, 'USD');
    await seedVisit(clubA, clubB, ab, '2026-04-01', 9999);
    await seedVisit(clubA, clubB, ab, '2026-03-03', 9999, 'GBP', 'CANCELLED');
    await seedVisit(clubA, clubB, ab, '2026-03-04', 9999, 'GBP', 'CHECKED_IN');
  });
  afterAll(() => harness.close());

  async function seedAgreement(proposer: string, partner: string): Promise<string> {
    const id = uuidv7();
    await harness.db.withTenant(proposer, (tx) =>
      createAgreementQueries(tx).insert({
        id,
        proposerClubId: proposer,
        partnerClubId: partner,
        agreementType: 'BILATERAL',
        status: 'ACTIVE',
        startsOn: '2026-01-01',
        endsOn: null,
        terms: DEFAULT_TERMS,
        notes: null,
        statusReason: null,
        createdBy: uuidv7(),
        createdAt: now,
        updatedAt: now,
      }),
    );
    return id;
  }

  async function seedVisit(
    home: string,
    host: string,
    agreementId: string,
    visitDate: string,
    homeClubShare: number,
    currency = 'GBP',
    status: VisitStatus = 'CHECKED_OUT',
  ): Promise<string> {
    const id = uuidv7();
    const at = new Date(`${visitDate}T12:00:00Z`);
    await harness.db.withTenant(host, (tx) =>
      createVisitQueries(tx).insert({
        id,
        homeClubId: home,
        hostClubId: host,
        memberId: uuidv7(),
        memberUserId: null,
        agreementId,
        letterId: null,
        status,
        guestCount: 0,
        purpose: null,
        identifiedBy: 'NUMBER',
        visitDate,
        nights: 0,
        checkedInAt: at,
        checkedOutAt: status === 'CHECKED_OUT' ? at : null,
        facilitiesUsed: [],
        costs: {
          guestFee: homeClubShare,
          facilityFees: 0,
          foodBeverage: 500,
          other: 0,
          total: homeClubShare + 500,
          currency,
          homeClubShare,
          memberShare: 500,
        },
        notes: null,
        statusReason: null,
        createdBy: uuidv7(),
        createdAt: at,
        updatedAt: at,
      }),
    );
    return id;
  }

  const statementOf = async (clubId: string, partnerClubId: string) =>
    (
      await harness.settlement.getStatement({
        caller: admin(clubId),
        clubId,
        partnerClubId,
        period: '2026-03',
      })
    ).statement!;
  let previewHash = '';

  it('previews a statement from the visits while the period is open', async () => {
    await harness.settlement.openPeriod({ caller: network, period: '2026-03' });
    const preview = await statementOf(clubA, clubB);
    expect(preview.status).toBe('PREVIEW');
    expect(preview.id).toBe('');
    expect(
      preview.lines.map((line) => [line.lineNo, line.visitDate, line.payerClubId, Number(line.amount)]),
    ).toEqual([
      [1, '2026-03-02', clubA, 1500],
      [2, '2026-03-09', clubA, expect.any(Number)],
      [3, '2026-03-09', clubA, expect.any(Number)],
      [4, '2026-03-15', clubB, 1000],
    ]);
    expect(
      preview.totals.map((total) => [total.currency, total.owedByClub, total.owedToClub, total.net]),
    ).toEqual([['GBP', 4000n, 1000n, -3000n]]);
    previewHash = preview.linesHash;
  });

  it('lets only a network admin open and close periods', async () => {
    await expect(
      harness.settlement.openPeriod({ caller: admin(clubA), period: '2026-05' }),
    ).rejects.toMatchObject({
      code: 'request.forbidden',
    });
    await expect(
      harness.settlement.closePeriod({ caller: admin(clubA), period: '2026-03' }),
    ).rejects.toMatchObject({
      code: 'request.forbidden',
    });
    await expect(harness.settlement.openPeriod({ caller: network, period: '2026-03' })).rejects.toMatchObject(
      {
        code: 'settlement.period_exists',
      },
    );
    await expect(harness.settlement.openPeriod({ caller: network, period: '2026-13' })).rejects.toMatchObject(
      {
        code: 'request.invalid_input',
        details: { field: 'period' },
      },
    );
  });

  it('issues one statement per pair with visits when the period closes, the same lines as the preview', async () => {
    now = new Date('2026-04-02T09:00:00Z');
    const closed = await harness.settlement.closePeriod({ caller: network, period: '2026-03' });
    expect(closed.period?.status).toBe('CLOSED');
    expect(closed.statementsIssued).toBe(3);
    await expect(
      harness.settlement.closePeriod({ caller: network, period: '2026-03' }),
    ).rejects.toMatchObject({
      code: 'settlement.period_not_open',
    });

    const issued = await statementOf(clubA, clubB);
    expect(issued.status).toBe('ISSUED');
    expect(issued.linesHash).toBe(previewHash);
    expect(issued.visitCount).toBe(4);
    expect(issued.disputableUntil?.seconds).toBe(BigInt(Date.parse('2026-04-16T09:00:00Z') / 1000));
    // The other side of the same statement: the same lines, the totals mirrored.
    const seenByB = await statementOf(clubB, clubA);
    expect(seenByB.id).toBe(issued.id);
    expect(seenByB.totals.map((total) => [total.owedByClub, total.owedToClub, total.net])).toEqual([
      [1000n, 4000n, 3000n],
    ]);
    const withC = await statementOf(clubA, clubC);
    expect(withC.totals.map((total) => [total.currency, total.net])).toEqual([
      ['GBP', 2000n],
      ['USD', -700n],
    ]);

    const listed = await harness.settlement.listStatements({
      caller: admin(clubA),
      clubId: clubA,
      period: '2026-03',
    });
    expect(listed.statements.map((statement) => statement.partnerClubId).sort()).toEqual(
      [clubB, clubC].sort(),
    );
  });

  it('reproduces a statement from the recorded visits, and notices when they no longer say the same', async () => {
    const statement = await statementOf(clubA, clubB);
    const verify = () =>
      harness.settlement.verifyStatement({ caller: admin(clubB), clubId: clubB, statementId: statement.id });
    expect(await verify()).toMatchObject({
      matches: true,
      storedHash: statement.linesHash,
      recomputedHash: statement.linesHash,
    });

    const visitId = statement.lines[0]!.visitId;
    const setShare = (share: number) =>
      harness.db.withTenant(clubB, (tx) =>
        tx.query(
          `UPDATE reciprocal.visits SET costs = jsonb_set(costs, '{homeClubShare}', $2::jsonb) WHERE id = $1`,
          [visitId, String(share)],
        ),
      );
    await setShare(1499);
    expect((await verify()).matches).toBe(false);
    await setShare(1500);
    expect((await verify()).matches).toBe(true);
  });

  it('takes a dispute inside the window and resolves it with an adjustment line, never an edit', async () => {
    now = new Date('2026-04-15T09:00:00Z');
    const statement = await statementOf(clubA, clubB);
    const line = statement.lines[0]!;
    const { dispute } = await harness.settlement.disputeLine({
      caller: admin(clubA),
      clubId: clubA,
      lineId: line.id,
      reason: 'the guest fee was waived for this visit',
    });
    expect(dispute).toMatchObject({ status: 'OPEN', raisedByClubId: clubA, lineId: line.id });
    await expect(
      harness.settlement.disputeLine({
        caller: admin(clubB),
        clubId: clubB,
        lineId: line.id,
        reason: 'again',
      }),
    ).rejects.toMatchObject({ code: 'settlement.line_disputed' });

    const resolve = (clubId: string, adjustment: bigint) =>
      harness.settlement.resolveDispute({
        caller: admin(clubId),
        clubId,
        disputeId: dispute!.id,
        adjustment,
        note: 'agreed: "fee waived", in part\r\nper the phone call',
      });
    await expect(resolve(clubA, -500n)).rejects.toMatchObject({ code: 'settlement.own_dispute' });
    await expect(resolve(clubB, -1501n)).rejects.toMatchObject({ code: 'settlement.adjustment_refused' });
    const resolved = await resolve(clubB, -500n);
    expect(resolved.dispute).toMatchObject({ status: 'RESOLVED', adjustmentLineId: resolved.adjustment!.id });
    expect(resolved.adjustment).toMatchObject({
      kind: 'ADJUSTMENT',
      lineNo: 5,
      amount: -500n,
      adjustsLineId: line.id,
    });
    await expect(resolve(clubB, -100n)).rejects.toMatchObject({ code: 'settlement.dispute_resolved' });

    const after = await statementOf(clubA, clubB);
    expect(after.lines[0]).toMatchObject({ id: line.id, amount: 1500n });
    expect(after.lines).toHaveLength(5);
    expect(after.totals.map((total) => [total.owedByClub, total.net])).toEqual([[3500n, -2500n]]);
    expect(after.disputes.map((row) => row.status)).toEqual(['RESOLVED']);
    // Adjustments come after issue: the visit lines, and so the hash, are what they were.
    expect(after.linesHash).toBe(previewHash);
    const { rows } = await harness.db.withTenant(clubA, (tx) =>
      tx.query<{ fact: string }>(
        `SELECT fact FROM reciprocal.ledger_entries WHERE entity_kind = 'settlement' AND entity_id = $1 ORDER BY created_at`,
        [dispute!.id],
      ),
    );
    expect(rows.map((row) => row.fact)).toEqual(['settlement.line_disputed', 'settlement.dispute_resolved']);
  });

  it('refuses a dispute once the window has closed, writing nothing', async () => {
    now = new Date('2026-04-16T09:00:01Z');
    const statement = await statementOf(clubA, clubB);
    await expect(
      harness.settlement.disputeLine({
        caller: admin(clubB),
        clubId: clubB,
        lineId: statement.lines[3]!.id,
        reason: 'too late',
      }),
    ).rejects.toMatchObject({ code: 'settlement.dispute_window_closed' });
    expect((await statementOf(clubA, clubB)).disputes).toHaveLength(1);
  });

  it('nets the network: positions per club and currency, and who pays whom', async () => {
    await expect(
      harness.settlement.getNetworkSettlement({ caller: admin(clubA), period: '2026-03' }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
    const result = await harness.settlement.getNetworkSettlement({ caller: network, period: '2026-03' });
    const positions = Object.fromEntries(
      result.positions.map((position) => [`${position.clubId}/${position.currency}`, position.net]),
    );
    // A: −3500 (at B, after the adjustment) + 1000 (B at A) + 2000 (C at A); B: +3500 −1000 −5000; C: +5000 −2000.
    expect(positions).toEqual({
      [`${clubA}/GBP`]: -500n,
      [`${clubB}/GBP`]: -2500n,
      [`${clubC}/GBP`]: 3000n,
      [`${clubA}/USD`]: -700n,
      [`${clubC}/USD`]: 700n,
    });
    expect(
      result.transfers.map((transfer) => [
        transfer.fromClubId,
        transfer.toClubId,
        transfer.amount,
        transfer.currency,
      ]),
    ).toEqual([
      [clubB, clubC, 2500n, 'GBP'],
      [clubA, clubC, 500n, 'GBP'],
      [clubA, clubC, 700n, 'USD'],
    ]);
  });

  it('exports a statement as RFC 4180 CSV that parses back to its lines', async () => {
    const statement = await statementOf(clubA, clubB);
    const { csv } = await harness.settlement.exportStatementCsv({
      caller: admin(clubA),
      clubId: clubA,
      statementId: statement.id,
    });
    expect(csv.endsWith('\r\n')).toBe(true);
    const [header, ...records] = parseCsv(csv);
    expect(header).toEqual([...STATEMENT_CSV_HEADER]);
    expect(records).toHaveLength(statement.lines.length);
    const parsed = records.map((record) => Object.fromEntries(header!.map((name, i) => [name, record[i]])));
    expect(
      parsed.map((row) => [
        row.line_no,
        row.kind,
        row.visit_id,
        row.payer_club_id,
        row.amount_minor,
        row.currency,
      ]),
    ).toEqual(
      statement.lines.map((line) => [
        String(line.lineNo),
        line.kind,
        line.visitId,
        line.payerClubId,
        String(line.amount),
        line.currency,
      ]),
    );
    expect(parsed[4]).toMatchObject({
      adjusts_line_no: '1',
      note: 'agreed: "fee waived", in part\r\nper the phone call',
      statement_id: statement.id,
      period: '2026-03',
    });
  });

  it('closes an ended month on its own and opens the current one (the scheduled job)', async () => {
    await harness.settlement.openPeriod({ caller: network, period: '2026-04' });
    now = new Date('2026-04-30T23:00:00Z');
    expect(await harness.service.closeDueSettlementPeriods()).toEqual([]);
    now = new Date('2026-05-01T00:30:00Z');
    expect(await harness.service.closeDueSettlementPeriods()).toEqual(['2026-04']);
    const april = (
      await harness.settlement.getStatement({
        caller: admin(clubA),
        clubId: clubA,
        partnerClubId: clubB,
        period: '2026-04',
      })
    ).statement!;
    expect(april).toMatchObject({ status: 'ISSUED', visitCount: 1 });
    expect(april.lines[0]?.amount).toBe(9999n);
    await expect(harness.settlement.openPeriod({ caller: network, period: '2026-05' })).rejects.toMatchObject(
      {
        code: 'settlement.period_exists',
      },
    );
    expect(await harness.service.closeDueSettlementPeriods()).toEqual([]);
  });

  it('shows a third club none of the A–B statement, through the service and the database', async () => {
    const statement = await statementOf(clubA, clubB);
    const asC = admin(clubC);
    await expect(
      harness.settlement.exportStatementCsv({ caller: asC, clubId: clubC, statementId: statement.id }),
    ).rejects.toMatchObject({ code: 'entity.not_found' });
    await expect(
      harness.settlement.verifyStatement({ caller: asC, clubId: clubC, statementId: statement.id }),
    ).rejects.toMatchObject({ code: 'entity.not_found' });
    await expect(
      harness.settlement.disputeLine({
        caller: asC,
        clubId: clubC,
        lineId: statement.lines[1]!.id,
        reason: 'mine?',
      }),
    ).rejects.toMatchObject({ code: 'entity.not_found' });
    await expect(
      harness.settlement.getStatement({
        caller: asC,
        clubId: clubA,
        partnerClubId: clubB,
        period: '2026-03',
      }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });

    for (const table of ['settlement_statements', 'settlement_lines', 'settlement_disputes']) {
      const column = table === 'settlement_statements' ? 'id' : 'statement_id';
      const seen = await harness.db.withTenant(clubC, (tx) =>
        tx.query(`SELECT 1 FROM reciprocal.${table} WHERE ${column} = $1`, [statement.id]),
      );
      expect(seen.rowCount, table).toBe(0);
      const changed = await harness.db.withTenant(clubC, (tx) =>
        tx.query(`DELETE FROM reciprocal.${table} WHERE ${column} = $1`, [statement.id]),
      );
      expect(changed.rowCount, table).toBe(0);
    }
    // C's own statements are there: the policy hides A–B, not everything.
    const own = await harness.db.withTenant(clubC, (tx) =>
      tx.query('SELECT id FROM reciprocal.settlement_statements'),
    );
    expect(own.rowCount).toBe(2);
  });
});

/** RFC 4180, strictly: CRLF between records, quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else {
          if (i >= text.length) throw new Error('unterminated quoted field');
          field += text[i++];
        }
      }
    } else if (text[i] === ',') {
      record.push(field);
      field = '';
      i++;
    } else if (text.startsWith('\r\n', i)) {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
    } else {
      if (text[i] === '"' || text[i] === '\r' || text[i] === '\n')
        throw new Error(`bare ${JSON.stringify(text[i])} at ${i}`);
      field += text[i++];
    }
  }
  if (field !== '' || record.length > 0) throw new Error('the last record has no CRLF');
  return records;
}
