import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, data, errorOf, mobileOperation, reciprocalFixtures } from './reciprocal-fixtures.ts';
import { type GatewayHarness, setupGateway } from './setup.ts';

/**
 * Issue 30's journey through the real gateway and services: a member of club A welcomed at club B
 * because A and B agreed to it, and club C seeing none of it, through the API and through the
 * database as the application role. Then the desk's and the member's own check-in (the mobile
 * client's bookings/record_visit and clubs/check_in) with their refusals.
 */

const ISSUE_LOI = `mutation($input: IssueLOIInput!) { issueLOI(input: $input) { id status } }`;
const APPROVE_LOI = `mutation($id: ID!) { approveLOI(id: $id) { id status } }`;
const LOI = `query($id: ID!) { loi(id: $id) { id status } }`;
const MY_MEMBERSHIP = `{ myMembership { id } }`;
const CARD = `mutation($memberId: ID!) { issueMembershipCard(memberId: $memberId) { token keyId } }`;
const VERIFY_VISITOR = `mutation($hostClubId: ID, $card: String, $guestCount: Int) {
  verifyVisitor(hostClubId: $hostClubId, card: $card, guestCount: $guestCount) {
    allowed reasons agreementId letterId
    visitor { memberId homeClubId homeClubName firstName lastName membershipType standing memberNumber }
  }
}`;
const CHECK_IN = `mutation($input: CheckInInput!) {
  checkIn(input: $input) { id status memberId clubId visitingClubId agreementId guestCount checkedInAt blockchainTxId }
}`;
const VISIT = `query($id: ID!) {
  visit(id: $id) { id status costs { guestFee other total currency homeClubShare memberShare paidBy } }
  visitBlockchainStatus(visitId: $id) { txId entityType entityId status }
}`;
const AGREEMENT = `query($id: ID!) { reciprocalAgreement(id: $id) { id status } }`;

/** Today at the host: every club here keeps UTC (the default timezone). */
const today = () => new Date().toISOString().slice(0, 10);
const ids = (connection: { nodes: { id: string }[] }) => connection.nodes.map((node) => node.id);

describe('the reciprocal journey through the gateway', () => {
  let harness: GatewayHarness;
  const clubs = { a: '', b: '', c: '' };
  let adminA: Account;
  let adminB: Account;
  let adminC: Account;
  let staffA: Account;
  let staffB: Account;
  let staffC: Account;
  let member: Account & { memberId: string; memberNumber: string };
  let fixtures: ReturnType<typeof reciprocalFixtures>;

  beforeAll(async () => {
    harness = await setupGateway();
    fixtures = reciprocalFixtures(harness);
    // London, Edinburgh (534 km north) and Paris: far enough apart for the agreement's 80 km.
    clubs.a = await fixtures.club('Athenaeum', { latitude: 51.5072, longitude: -0.1331, currency: 'GBP' });
    clubs.b = await fixtures.club('New Club', { latitude: 55.9521, longitude: -3.1965, currency: 'GBP' });
    clubs.c = await fixtures.club('Cercle de l’Union', {
      latitude: 48.8698,
      longitude: 2.3225,
      currency: 'EUR',
    });
    adminA = await fixtures.account(clubs.a, { role: 'CLUB_ADMIN' });
    adminB = await fixtures.account(clubs.b, { role: 'CLUB_ADMIN' });
    adminC = await fixtures.account(clubs.c, { role: 'CLUB_ADMIN' });
    staffA = await fixtures.account(clubs.a, { role: 'STAFF' });
    staffB = await fixtures.account(clubs.b, { role: 'STAFF' });
    staffC = await fixtures.account(clubs.c, { role: 'STAFF' });
    member = await fixtures.member(clubs.a, adminA.as, {
      memberNumber: 'ATH-1824',
      firstName: 'Michael',
      lastName: 'Faraday',
    });
  });
  afterAll(() => harness?.close());

  /** A's staff issue the member a letter for a trip to B from today; B's staff approve it. */
  async function approvedLetter(purpose: string, memberId = member.memberId): Promise<string> {
    const { issueLOI } = await data(
      staffA.as(ISSUE_LOI, {
        input: {
          memberId,
          homeClubId: clubs.a,
          visitingClubId: clubs.b,
          purpose,
          requestedDate: `${today()}T00:00:00Z`,
          durationDays: 2,
          guestCount: 1,
          delivery: 'EMAIL',
        },
      }),
    );
    expect(issueLOI.status).toBe('PENDING');
    const { approveLOI } = await data(staffB.as(APPROVE_LOI, { id: issueLOI.id }));
    expect(approveLOI).toEqual({ id: issueLOI.id, status: 'APPROVED' });
    return issueLOI.id;
  }

  /** The member's card, as the app gets it: their own record's id, then the card for it. */
  async function cardOfMember(): Promise<string> {
    const { myMembership } = await data(member.as(MY_MEMBERSHIP));
    expect(myMembership.id).toBe(member.memberId);
    const { issueMembershipCard } = await data(member.as(CARD, { memberId: myMembership.id }));
    expect(issueMembershipCard.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    return issueMembershipCard.token;
  }

  /** The member's visits at B so far (B's desk's view). */
  async function visitsAtB(): Promise<string[]> {
    const { visits } = await data(
      staffB.as(mobileOperation('bookings/visits'), { pagination: { page: 1, pageSize: 100 } }),
    );
    return ids(visits);
  }

  let agreementId = '';
  let letterId = '';
  let visitId = '';

  it('walks a member of A into B and out again, seen by both clubs and the member, and by nobody at C', async () => {
    // A's admin proposes, B's admin approves: in force today.
    const { createReciprocalAgreement: proposed } = await data(
      adminA.as(mobileOperation('reciprocal/create_reciprocal_agreement'), {
        input: {
          partnerClubId: clubs.b,
          agreementType: 'BILATERAL',
          effectiveDate: new Date().toISOString(),
          terms: {
            maxVisitsPerMonth: 4,
            reciprocalFee: 15,
            minDistanceKm: 80,
            guestsPerVisit: 2,
            requiresLetter: true,
            costSharing: { currency: 'GBP', guestFeeCovered: true, percentageCovered: 100 },
            specialConditions: 'Jacket and tie in the coffee room',
          },
          notes: 'Agreed at the secretaries’ dinner',
        },
      }),
    );
    agreementId = proposed.id;
    expect(proposed).toEqual({
      id: expect.any(String),
      clubId: clubs.a,
      partnerClubId: clubs.b,
      status: 'PENDING',
      terms: { maxVisitsPerMonth: 4, reciprocalFee: 15 },
      effectiveDate: `${today()}T00:00:00.000Z`,
    });
    const { approveReciprocalAgreement } = await data(
      adminB.as(mobileOperation('reciprocal/approve_reciprocal_agreement'), { id: agreementId }),
    );
    expect(approveReciprocalAgreement).toEqual({ id: agreementId, status: 'ACTIVE' });

    // A's staff issue the letter of introduction, B's staff approve it.
    letterId = await approvedLetter('Lecture at the Royal Society of Edinburgh');

    // The member shows their card; B's desk sees the projection and may let them in, under the
    // letter. The member service learns of the agreement from its event: asked until it has.
    const card = await cardOfMember();
    const verify = () =>
      data(staffB.as(VERIFY_VISITOR, { hostClubId: clubs.b, card, guestCount: 1 })).then(
        (answer) => answer.verifyVisitor,
      );
    let verification = await verify();
    for (let tries = 0; verification.visitor === null && tries < 100; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      verification = await verify();
    }
    expect(verification).toEqual({
      allowed: true,
      reasons: [],
      agreementId,
      letterId,
      visitor: {
        memberId: member.memberId,
        homeClubId: clubs.a,
        homeClubName: 'Athenaeum',
        firstName: 'Michael',
        lastName: 'Faraday',
        membershipType: 'REGULAR',
        standing: 'ACTIVE',
        memberNumber: 'ATH-1824',
      },
    });

    // Checked in by the card: the letter is used.
    const { checkIn } = await data(
      staffB.as(CHECK_IN, { input: { hostClubId: clubs.b, card, guestCount: 1, purpose: 'Lecture' } }),
    );
    visitId = checkIn.id;
    expect(checkIn).toMatchObject({
      status: 'CHECKED_IN',
      memberId: member.memberId,
      clubId: clubs.a,
      visitingClubId: clubs.b,
      agreementId,
      guestCount: 1,
    });
    expect(checkIn.blockchainTxId).toEqual(expect.any(String));
    for (const staff of [staffA, staffB]) {
      expect((await data(staff.as(LOI, { id: letterId }))).loi).toEqual({ id: letterId, status: 'USED' });
    }

    // Checked out with costs: the guest fee for the member and a guest (£15 × 2), which A covers,
    // and £42.50 at the bar, which the member paid.
    const { checkOutVisit } = await data(
      staffB.as(mobileOperation('bookings/checkout_visit'), {
        input: { visitId, facilitiesUsed: ['DINING'], services: ['BAR'], notes: 'Table 4', cost: 42.5 },
      }),
    );
    expect(checkOutVisit).toMatchObject({
      id: visitId,
      memberId: member.memberId,
      clubId: clubs.a,
      visitingClubId: clubs.b,
      status: 'CHECKED_OUT',
      services: ['DINING', 'BAR'],
      cost: 72.5,
      verified: true,
    });
    expect(checkOutVisit.checkOutTime).toEqual(expect.any(String));

    // Both clubs see it among their visits, the member in their history.
    for (const staff of [staffA, staffB]) {
      const { visits } = await data(
        staff.as(mobileOperation('bookings/visits'), { pagination: { page: 1, pageSize: 20 } }),
      );
      expect(visits.nodes).toEqual([
        expect.objectContaining({ id: visitId, status: 'CHECKED_OUT', cost: 72.5, clubId: clubs.a }),
      ]);
    }
    const { myVisits } = await data(
      member.as(mobileOperation('bookings/my_visits'), { pagination: { page: 1, pageSize: 20 } }),
    );
    expect(myVisits.nodes).toEqual([
      expect.objectContaining({ id: visitId, status: 'CHECKED_OUT', visitingClubId: clubs.b }),
    ]);

    // On the ledger port: the check-out's entry, pending until the ledger service takes it.
    const read = await data(member.as(VISIT, { id: visitId }));
    expect(read.visit.costs).toEqual({
      guestFee: 30,
      other: 42.5,
      total: 72.5,
      currency: 'GBP',
      homeClubShare: 30,
      memberShare: 42.5,
      paidBy: 'SHARED',
    });
    expect(read.visitBlockchainStatus).toEqual({
      txId: checkOutVisit.blockchainTxId,
      entityType: 'visit',
      entityId: visitId,
      status: expect.stringMatching(/^(PENDING|SUBMITTED|CONFIRMED)$/),
    });
    expect(checkOutVisit.blockchainTxId).not.toBe(checkIn.blockchainTxId);

    // In the settlement statement of A and B for this month (a preview, computed from the visits):
    // A owes B the guest fees it covers, in minor units.
    const STATEMENT = `query($clubId: ID!, $partnerClubId: ID!, $period: String!) {
      settlementStatement(clubId: $clubId, partnerClubId: $partnerClubId, period: $period) {
        status visitCount lines { kind visitId payerClubId payeeClubId amount currency }
      }
    }`;
    const period = new Date().toISOString().slice(0, 7);
    for (const [reader, clubId, partnerClubId] of [
      [adminA, clubs.a, clubs.b],
      [adminB, clubs.b, clubs.a],
    ] as const) {
      const { settlementStatement } = await data(reader.as(STATEMENT, { clubId, partnerClubId, period }));
      expect(settlementStatement.lines).toContainEqual({
        kind: 'VISIT',
        visitId,
        payerClubId: clubs.a,
        payeeClubId: clubs.b,
        amount: 3000,
        currency: 'GBP',
      });
    }
    expect(
      await errorOf(adminC.as(STATEMENT, { clubId: clubs.a, partnerClubId: clubs.b, period })),
    ).toMatchObject({ code: 'FORBIDDEN' });

    // Club C, through the API: none of it.
    for (const outsider of [adminC, staffC]) {
      const { visits } = await data(
        outsider.as(mobileOperation('bookings/visits'), { pagination: { page: 1, pageSize: 100 } }),
      );
      expect(visits).toMatchObject({ nodes: [], pageInfo: { total: 0 } });
      const seen = await data(
        outsider.as(
          `query($visit: ID!, $agreement: ID!, $letter: ID!) {
          visit(id: $visit) { id } visitBlockchainStatus(visitId: $visit) { txId }
          reciprocalAgreement(id: $agreement) { id } loi(id: $letter) { id }
        }`,
          { visit: visitId, agreement: agreementId, letter: letterId },
        ),
      );
      expect(seen).toEqual({
        visit: null,
        visitBlockchainStatus: null,
        reciprocalAgreement: null,
        loi: null,
      });
    }
    const { reciprocalAgreements } = await data(
      adminC.as(mobileOperation('reciprocal/reciprocal_agreements'), {
        pagination: { page: 1, pageSize: 100 },
      }),
    );
    expect(reciprocalAgreements.nodes).toEqual([]);

    // Club C, through the database as the application role: no row; A, the same way, sees them all.
    const rowsSeenBy = (clubId: string) =>
      harness.db.withTenant(clubId, async (tx) => {
        const count = async (sql: string, values: unknown[]) =>
          Number((await tx.query<{ n: string | number }>(sql, values)).rows[0]!.n);
        return {
          agreements: await count('SELECT count(*) AS n FROM reciprocal.agreements WHERE id = $1', [
            agreementId,
          ]),
          letters: await count('SELECT count(*) AS n FROM reciprocal.letters WHERE id = $1', [letterId]),
          visits: await count('SELECT count(*) AS n FROM reciprocal.visits WHERE id = $1', [visitId]),
          visitChanges: await count(
            'SELECT count(*) AS n FROM reciprocal.visit_changes WHERE visit_id = $1',
            [visitId],
          ),
          ledgerEntries: await count(
            'SELECT count(*) AS n FROM reciprocal.ledger_entries WHERE entity_id = ANY($1::uuid[])',
            [[agreementId, letterId, visitId]],
          ),
        };
      });
    expect(await rowsSeenBy(clubs.c)).toEqual({
      agreements: 0,
      letters: 0,
      visits: 0,
      visitChanges: 0,
      ledgerEntries: 0,
    });
    const seenByA = await rowsSeenBy(clubs.a);
    expect(seenByA).toMatchObject({ agreements: 1, letters: 1, visits: 1, visitChanges: 2 });
    // Proposed, approved, in force; issued, approved, used; checked in, checked out.
    expect(seenByA.ledgerEntries).toBeGreaterThanOrEqual(8);
  });

  describe('the desk records a visit by member id (bookings/record_visit)', () => {
    let recorded = '';

    it('checks the member in at B, answering the visit', async () => {
      const before = await visitsAtB();
      const letter = await approvedLetter('Dinner with the Astronomer Royal for Scotland');
      const { recordVisit } = await data(
        staffB.as(mobileOperation('bookings/record_visit'), {
          input: { memberId: member.memberId, visitingClubId: clubs.b, purpose: 'Dinner', guestCount: 1 },
        }),
      );
      recorded = recordVisit.id;
      expect(recordVisit).toEqual({
        id: expect.any(String),
        memberId: member.memberId,
        clubId: clubs.a,
        visitingClubId: clubs.b,
        status: 'CHECKED_IN',
        checkInTime: expect.any(String),
        services: [],
        cost: null,
        verified: true,
        createdAt: recordVisit.checkInTime,
      });
      expect(Math.abs(Date.parse(recordVisit.checkInTime) - Date.now())).toBeLessThan(60_000);
      expect((await data(staffB.as(LOI, { id: letter }))).loi.status).toBe('USED');
      expect(await visitsAtB()).toEqual([recorded, ...before]);
    });

    it('refuses recording the member again while checked in (CONFLICT), using no letter', async () => {
      const before = await visitsAtB();
      const letter = await approvedLetter('A second dinner');
      expect(
        await errorOf(
          staffB.as(mobileOperation('bookings/record_visit'), {
            input: { memberId: member.memberId, visitingClubId: clubs.b, homeClubId: clubs.a },
          }),
        ),
      ).toEqual({ code: 'CONFLICT' });
      expect((await data(staffB.as(LOI, { id: letter }))).loi.status).toBe('APPROVED');
      expect(await visitsAtB()).toEqual(before);
    });

    it('refuses a desk of another club (FORBIDDEN) and an unknown member (NOT_FOUND)', async () => {
      expect(
        await errorOf(
          staffC.as(mobileOperation('bookings/record_visit'), {
            input: { memberId: member.memberId, visitingClubId: clubs.b },
          }),
        ),
      ).toMatchObject({ code: 'FORBIDDEN' });
      expect(
        await errorOf(
          staffB.as(mobileOperation('bookings/record_visit'), {
            input: { memberId: '01900000-0000-7000-8000-00000000abcd', visitingClubId: clubs.b },
          }),
        ),
      ).toMatchObject({ code: 'NOT_FOUND' });
    });

    it('checks the recorded visit out', async () => {
      const { checkOutVisit } = await data(
        staffB.as(mobileOperation('bookings/checkout_visit'), { input: { visitId: recorded } }),
      );
      // The guest fee for the member and the guest, covered by A.
      expect(checkOutVisit).toMatchObject({ id: recorded, status: 'CHECKED_OUT', cost: 30 });
    });
  });

  describe('the member checks in at B from the app (clubs/check_in)', () => {
    const checkInToClub = () => member.as(mobileOperation('clubs/check_in'), { clubId: clubs.b });

    it('checks in under the approved letter, answering the visit at B', async () => {
      // The letter approved while the member was checked in above, unused by the refused attempt.
      const { checkInToClub: answer } = await data(checkInToClub());
      expect(answer).toEqual({
        success: true,
        message: 'Checked in',
        visit: {
          id: expect.any(String),
          checkedInAt: expect.any(String),
          club: { id: clubs.b, name: 'New Club' },
        },
      });
      const { myVisits } = await data(member.as(mobileOperation('bookings/my_visits'), {}));
      expect(myVisits.nodes[0]).toMatchObject({ id: answer.visit.id, status: 'CHECKED_IN' });
    });

    it('refuses checking in twice: with a letter CONFLICT, without one success false (LOI_REQUIRED)', async () => {
      const before = await visitsAtB();
      // The letter was used by the check-in: refused by the agreement's rules, an answer.
      const { checkInToClub: refused } = await data(checkInToClub());
      expect(refused).toEqual({
        success: false,
        message: expect.stringContaining('LOI_REQUIRED'),
        visit: null,
      });
      // With a new letter the rules pass, and the open visit refuses it: an error, nothing used.
      const letter = await approvedLetter('Back for the second lecture');
      expect(await errorOf(checkInToClub())).toEqual({ code: 'CONFLICT' });
      expect((await data(member.as(LOI, { id: letter }))).loi.status).toBe('APPROVED');
      expect(await visitsAtB()).toEqual(before);
    });

    it('refuses (FORBIDDEN) an account holding no role, its email unverified, though its record is ACTIVE', async () => {
      const unverified = await fixtures.member(clubs.a, adminA.as, {
        memberNumber: 'ATH-1831',
        firstName: 'Charles',
        lastName: 'Babbage',
        verified: false,
      });
      const letter = await approvedLetter('Analytical engine demonstration', unverified.memberId);
      const before = await visitsAtB();
      expect(
        await errorOf(unverified.as(mobileOperation('clubs/check_in'), { clubId: clubs.b })),
      ).toMatchObject({ code: 'FORBIDDEN' });
      expect(
        await errorOf(
          unverified.as('mutation($c: ID!) { generateVisitQRCode(hostClubId: $c) }', { c: clubs.b }),
        ),
      ).toMatchObject({ code: 'FORBIDDEN' });
      expect((await data(staffA.as(LOI, { id: letter }))).loi.status).toBe('APPROVED');
      expect(await visitsAtB()).toEqual(before);
    });

    it('answers NOT_FOUND to a caller of whom no club holds a member record', async () => {
      expect(await errorOf(staffC.as(mobileOperation('clubs/check_in'), { clubId: clubs.b }))).toMatchObject({
        code: 'NOT_FOUND',
      });
    });
  });

  it('keeps the agreement ACTIVE for both clubs throughout', async () => {
    for (const admin of [adminA, adminB]) {
      expect((await data(admin.as(AGREEMENT, { id: agreementId }))).reciprocalAgreement).toEqual({
        id: agreementId,
        status: 'ACTIVE',
      });
    }
  });
});
