import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgreementQueries } from '../../reciprocal/src/store/agreement-queries.ts';
import { createVisitQueries } from '../../reciprocal/src/store/visit-queries.ts';
import { DEFAULT_TERMS } from '../../reciprocal/test/terms.ts';
import { type GatewayHarness, type GraphqlBody, setupGateway } from './setup.ts';

/**
 * Issue 30, item 6 through GraphQL (our own operations, not the mobile client's): a period opened
 * and closed by the network admin, the statement between two clubs read by each of their admins, a
 * dispute and its adjustment, the CSV, the network's netting; a third club's admin sees none of it.
 */

const PASSWORD = 'Correct-Horse-Battery-9';
const CREATE_CLUB = 'mutation($input: CreateClubInput!) { createClub(input: $input) { id } }';
const REGISTER = 'mutation($input: RegisterInput!) { register(input: $input) { user { id } } }';
const GRANT =
  'mutation($userId: ID!, $role: String!, $clubId: ID) { grantRole(userId: $userId, role: $role, clubId: $clubId) { id } }';
const LOGIN = 'mutation($input: LoginInput!) { login(input: $input) { token } }';
const STATEMENT = `query($clubId: ID!, $partnerClubId: ID!, $period: String!) {
  settlementStatement(clubId: $clubId, partnerClubId: $partnerClubId, period: $period) {
    id period clubId partnerClubId status issuedAt disputableUntil linesHash visitCount
    lines { id lineNo kind visitId agreementId visitDate payerClubId payeeClubId amount currency adjustsLineId note }
    disputes { id statementId lineId raisedByClubId reason status raisedAt resolvedAt adjustmentLineId }
    totals { currency owedByClub owedToClub net }
  }
}`;

describe('settlement through the gateway', () => {
  let harness: GatewayHarness;
  let clubA: string;
  let clubB: string;
  let clubC: string;
  let adminA: (query: string, variables?: Record<string, unknown>) => Promise<{ body: GraphqlBody }>;
  let adminB: typeof adminA;
  let adminC: typeof adminA;
  let serial = 0;

  beforeAll(async () => {
    harness = await setupGateway();
    clubA = await createClub();
    clubB = await createClub();
    clubC = await createClub();
    adminA = harness.as(await clubAdmin(clubA));
    adminB = harness.as(await clubAdmin(clubB));
    adminC = harness.as(await clubAdmin(clubC));
    const agreementId = uuidv7();
    const now = new Date();
    await harness.db.withTenant(clubA, (tx) =>
      createAgreementQueries(tx).insert({
        id: agreementId,
        proposerClubId: clubA,
        partnerClubId: clubB,
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
    // A's members at B: 2500 and 1200; B's at A: 800 (pence, the home club's share).
    for (const [home, host, share] of [
      [clubA, clubB, 2500],
      [clubA, clubB, 1200],
      [clubB, clubA, 800],
    ] as const) {
      const at = new Date('2026-03-10T12:00:00Z');
      await harness.db.withTenant(host, (tx) =>
        createVisitQueries(tx).insert({
          id: uuidv7(),
          homeClubId: home,
          hostClubId: host,
          memberId: uuidv7(),
          memberUserId: null,
          agreementId,
          letterId: null,
          status: 'CHECKED_OUT',
          guestCount: 0,
          purpose: null,
          identifiedBy: 'CARD',
          visitDate: '2026-03-10',
          nights: 0,
          checkedInAt: at,
          checkedOutAt: at,
          facilitiesUsed: [],
          costs: {
            guestFee: share,
            facilityFees: 0,
            foodBeverage: 0,
            other: 0,
            total: share,
            currency: 'GBP',
            homeClubShare: share,
            memberShare: 0,
          },
          notes: null,
          statusReason: null,
          createdBy: uuidv7(),
          createdAt: at,
          updatedAt: at,
        }),
      );
    }
  }, 60_000);
  afterAll(async () => {
    await harness?.close();
  });

  async function createClub(): Promise<string> {
    serial += 1;
    const input = { name: `Settling Club ${serial}`, slug: `settling-${serial}` };
    return (await ok(harness.asNetworkAdmin(CREATE_CLUB, { input }))).createClub.id;
  }

  async function clubAdmin(clubId: string): Promise<string> {
    serial += 1;
    const email = `treasurer-${serial}@example.org`;
    const registered = await ok(
      harness.post(REGISTER, {
        input: { email, password: PASSWORD, clubId, firstName: 'Ada', lastName: 'Lovelace' },
      }),
    );
    await ok(
      harness.asNetworkAdmin(GRANT, { userId: registered.register.user.id, role: 'CLUB_ADMIN', clubId }),
    );
    return (await ok(harness.post(LOGIN, { input: { email, password: PASSWORD } }))).login.token;
  }

  it('walks a period: preview, close, statement for both clubs, dispute and adjustment, CSV, netting', async () => {
    const opened = await ok(
      harness.asNetworkAdmin(
        'mutation { openSettlementPeriod(period: "2026-03") { period status startsOn endsOn } }',
      ),
    );
    expect(opened.openSettlementPeriod).toEqual({
      period: '2026-03',
      status: 'OPEN',
      startsOn: '2026-03-01',
      endsOn: '2026-03-31',
    });
    const preview = (await ok(adminA(STATEMENT, { clubId: clubA, partnerClubId: clubB, period: '2026-03' })))
      .settlementStatement;
    expect(preview).toMatchObject({ id: null, status: 'PREVIEW', visitCount: 3 });

    const closed = await ok(
      harness.asNetworkAdmin('mutation { closeSettlementPeriod(period: "2026-03") { status closedAt } }'),
    );
    expect(closed.closeSettlementPeriod.status).toBe('CLOSED');

    const statement = (
      await ok(adminA(STATEMENT, { clubId: clubA, partnerClubId: clubB, period: '2026-03' }))
    ).settlementStatement;
    expect(statement).toMatchObject({ status: 'ISSUED', linesHash: preview.linesHash, visitCount: 3 });
    expect(statement.totals).toEqual([{ currency: 'GBP', owedByClub: 3700, owedToClub: 800, net: -2900 }]);
    const seenByB = (await ok(adminB(STATEMENT, { clubId: clubB, partnerClubId: clubA, period: '2026-03' })))
      .settlementStatement;
    expect(seenByB.id).toBe(statement.id);
    expect(seenByB.totals).toEqual([{ currency: 'GBP', owedByClub: 800, owedToClub: 3700, net: 2900 }]);

    const listed = await ok(
      adminA(
        'query($clubId: ID!) { settlementStatements(clubId: $clubId, period: "2026-03") { id partnerClubId } }',
        {
          clubId: clubA,
        },
      ),
    );
    expect(listed.settlementStatements).toEqual([{ id: statement.id, partnerClubId: clubB }]);
    const verified = await ok(
      adminB(
        'query($clubId: ID!, $id: ID!) { verifySettlementStatement(clubId: $clubId, statementId: $id) { matches } }',
        { clubId: clubB, id: statement.id },
      ),
    );
    expect(verified.verifySettlementStatement.matches).toBe(true);

    const disputed = statement.lines.find((line: { amount: number }) => line.amount === 2500);
    const dispute = (
      await ok(
        adminA(
          'mutation($clubId: ID!, $lineId: ID!) { disputeStatementLine(clubId: $clubId, lineId: $lineId, reason: "no guest that day") { id status } }',
          { clubId: clubA, lineId: disputed.id },
        ),
      )
    ).disputeStatementLine;
    expect(dispute.status).toBe('OPEN');
    const RESOLVE = `mutation($clubId: ID!, $disputeId: ID!, $adjustment: Float!) {
      resolveDispute(clubId: $clubId, disputeId: $disputeId, adjustment: $adjustment, note: "guest fee, not the member's") {
        dispute { status adjustmentLineId } adjustment { id kind amount adjustsLineId }
      }
    }`;
    const ownResolution = await adminA(RESOLVE, { clubId: clubA, disputeId: dispute.id, adjustment: -1000 });
    expect(ownResolution.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const resolved = (await ok(adminB(RESOLVE, { clubId: clubB, disputeId: dispute.id, adjustment: -1000 })))
      .resolveDispute;
    expect(resolved.adjustment).toMatchObject({
      kind: 'ADJUSTMENT',
      amount: -1000,
      adjustsLineId: disputed.id,
    });
    expect(resolved.dispute).toEqual({ status: 'RESOLVED', adjustmentLineId: resolved.adjustment.id });

    const csv = (
      await ok(
        adminA('query($clubId: ID!, $id: ID!) { statementCsv(clubId: $clubId, statementId: $id) }', {
          clubId: clubA,
          id: statement.id,
        }),
      )
    ).statementCsv as string;
    const records = csv.split('\r\n');
    expect(records[0]).toMatch(/^period,statement_id,line_no,kind,/);
    expect(records).toHaveLength(1 + 4 + 1); // header, 3 visits and 1 adjustment, and the final CRLF
    expect(records[4]).toContain(',ADJUSTMENT,');

    const network = await ok(
      harness.asNetworkAdmin(`{ networkSettlement(period: "2026-03") {
        period positions { clubId currency net } transfers { fromClubId toClubId amount currency }
      } }`),
    );
    // A owes 3700 − 1000 (adjusted) to B, B owes 800 to A: A pays B 1900.
    expect(network.networkSettlement.transfers).toEqual([
      { fromClubId: clubA, toClubId: clubB, amount: 1900, currency: 'GBP' },
    ]);
  });

  it('refuses netting and periods to club admins, and shows a third club nothing of A–B', async () => {
    const netting = await adminA('{ networkSettlement(period: "2026-03") { period } }');
    expect(netting.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const opening = await adminA('mutation { openSettlementPeriod(period: "2026-04") { period } }');
    expect(opening.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const statement = (
      await ok(adminA(STATEMENT, { clubId: clubA, partnerClubId: clubB, period: '2026-03' }))
    ).settlementStatement;
    const asTheirs = await adminC(STATEMENT, { clubId: clubA, partnerClubId: clubB, period: '2026-03' });
    expect(asTheirs.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const csv = await adminC(
      'query($clubId: ID!, $id: ID!) { statementCsv(clubId: $clubId, statementId: $id) }',
      {
        clubId: clubC,
        id: statement.id,
      },
    );
    expect(csv.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const dispute = await adminC(
      'mutation($clubId: ID!, $lineId: ID!) { disputeStatementLine(clubId: $clubId, lineId: $lineId, reason: "ours?") { id } }',
      { clubId: clubC, lineId: statement.lines[0].id },
    );
    expect(dispute.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // C's own statement with A is an empty preview: nothing of A–B leaks into it.
    const own = (await ok(adminC(STATEMENT, { clubId: clubC, partnerClubId: clubA, period: '2026-03' })))
      .settlementStatement;
    expect(own).toMatchObject({ status: 'PREVIEW', visitCount: 0, lines: [], totals: [] });
  });
});

// biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary response shapes
async function ok(response: Promise<{ body: GraphqlBody }>): Promise<Record<string, any>> {
  const { body } = await response;
  expect(body.errors).toBeUndefined();
  return body.data!;
}
