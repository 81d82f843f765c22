import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type As, data, errorOf, mobileOperation, reciprocalFixtures } from './reciprocal-fixtures.ts';
import { type GatewayHarness, setupGateway } from './setup.ts';

/**
 * Issue 30, items 1 and 2 through the API: the mobile client's six reciprocal operations, exactly
 * as the app sends them (contract/mobile-client/operations/reciprocal), with realistic variables,
 * over the gateway to the reciprocal service; and a third club's admin, who sees none of an A–B
 * agreement (list, by id, history) and can change none of it.
 */
const operation = (name: string) => mobileOperation(`reciprocal/${name}`);

const HISTORY = `query($id: ID!) { agreementHistory(id: $id) { fromStatus toStatus reason changedByClubId } }`;
const BY_CLUB = `query($clubId: ID!) { agreementsByClub(clubId: $clubId) { id } }`;
const PARTNER = `query($id: ID!) { reciprocalAgreement(id: $id) { partnerClub { id name } initiatingClub { id } } }`;

describe('the mobile client’s reciprocal operations through the gateway', () => {
  let harness: GatewayHarness;
  const clubs: Record<'a' | 'b' | 'c' | 'd', string> = { a: '', b: '', c: '', d: '' };
  const admins: Record<'a' | 'b' | 'c' | 'd', As> = {} as Record<'a' | 'b' | 'c' | 'd', As>;
  let agreementAB = '';

  const today = new Date();
  const nextYear = new Date(today.getTime() + 365 * 86_400_000);
  const createInput = (partnerClubId: string) => ({
    partnerClubId,
    agreementType: 'BILATERAL',
    effectiveDate: today.toISOString(),
    expirationDate: nextYear.toISOString(),
    terms: {
      maxVisitsPerMonth: 4,
      reciprocalFee: 25.5,
      blackoutDates: ['2026-12-24/2026-12-26', '2027-01-01'],
      specialConditions: 'Jacket and tie in the dining room after 6pm',
    },
    notes: 'Proposed at the spring secretaries’ meeting',
  });

  beforeAll(async () => {
    harness = await setupGateway();
    const fixtures = reciprocalFixtures(harness);
    for (const [key, name] of [
      ['a', 'Athenaeum'],
      ['b', 'Brooks’s'],
      ['c', 'Carlton'],
      ['d', 'Drones'],
    ] as const) {
      clubs[key] = await fixtures.club(name);
      admins[key] = (await fixtures.account(clubs[key], { role: 'CLUB_ADMIN' })).as;
    }
  });
  afterAll(() => harness?.close());

  it('create_reciprocal_agreement: A proposes to B, sent for B’s decision', async () => {
    const { createReciprocalAgreement: created } = await data(
      admins.a(operation('create_reciprocal_agreement'), { input: createInput(clubs.b) }),
    );
    agreementAB = created.id;
    expect(created).toEqual({
      id: expect.any(String),
      clubId: clubs.a,
      partnerClubId: clubs.b,
      status: 'PENDING',
      terms: { maxVisitsPerMonth: 4, reciprocalFee: 25.5 },
      effectiveDate: `${today.toISOString().slice(0, 10)}T00:00:00.000Z`,
    });
  });

  it('reciprocal_agreements: B finds it among its pending agreements, with the page described', async () => {
    const { reciprocalAgreements: page } = await data(
      admins.b(operation('reciprocal_agreements'), {
        pagination: { page: 1, pageSize: 20 },
        status: 'PENDING',
      }),
    );
    expect(page.nodes.map((node: { id: string }) => node.id)).toEqual([agreementAB]);
    expect(page.nodes[0]).toMatchObject({
      clubId: clubs.a,
      partnerClubId: clubs.b,
      agreementType: 'BILATERAL',
      agreementTerms: {
        maxVisitsPerMonth: 4,
        reciprocalFee: 25.5,
        blackoutDates: ['2026-12-24/2026-12-26', '2027-01-01'],
        specialConditions: 'Jacket and tie in the dining room after 6pm',
      },
      expirationDate: `${nextYear.toISOString().slice(0, 10)}T00:00:00.000Z`,
    });
    expect(page.pageInfo).toEqual({
      page: 1,
      pageSize: 20,
      total: 1,
      totalPages: 1,
      hasNextPage: false,
      hasPrevPage: false,
    });
  });

  it('approve_reciprocal_agreement: refused to the proposer, in force once B approves', async () => {
    expect(
      await errorOf(admins.a(operation('approve_reciprocal_agreement'), { id: agreementAB })),
    ).toMatchObject({
      code: 'FORBIDDEN',
    });
    const { approveReciprocalAgreement } = await data(
      admins.b(operation('approve_reciprocal_agreement'), { id: agreementAB }),
    );
    expect(approveReciprocalAgreement).toEqual({ id: agreementAB, status: 'ACTIVE' });
  });

  it('reciprocal_agreement: either party reads it by id, with the partner club through the loader', async () => {
    const { reciprocalAgreement } = await data(
      admins.a(operation('reciprocal_agreement'), { id: agreementAB }),
    );
    expect(reciprocalAgreement).toMatchObject({
      id: agreementAB,
      status: 'ACTIVE',
      startDate: reciprocalAgreement.effectiveDate,
      endDate: reciprocalAgreement.expirationDate,
      agreementTerms: { reciprocalFee: 25.5 },
    });
    expect(Date.parse(reciprocalAgreement.updatedAt)).toBeGreaterThanOrEqual(
      Date.parse(reciprocalAgreement.createdAt),
    );
    const { reciprocalAgreement: withClubs } = await data(admins.b(PARTNER, { id: agreementAB }));
    expect(withClubs).toEqual({
      partnerClub: { id: clubs.b, name: 'Brooks’s' },
      initiatingClub: { id: clubs.a },
    });
  });

  it('suspend_reciprocal_agreement: needs a reason, then suspends', async () => {
    expect(
      await errorOf(admins.b(operation('suspend_reciprocal_agreement'), { id: agreementAB, reason: null })),
    ).toEqual({ code: 'BAD_USER_INPUT', field: 'reason' });
    const { suspendReciprocalAgreement } = await data(
      admins.b(operation('suspend_reciprocal_agreement'), {
        id: agreementAB,
        reason: 'Guest fees for March not yet settled',
      }),
    );
    expect(suspendReciprocalAgreement).toEqual({ id: agreementAB, status: 'SUSPENDED' });
  });

  it('reject_reciprocal_agreement: D turns down A’s proposal, with or without a reason', async () => {
    const { createReciprocalAgreement: proposal } = await data(
      admins.a(operation('create_reciprocal_agreement'), { input: createInput(clubs.d) }),
    );
    const { rejectReciprocalAgreement } = await data(
      admins.d(operation('reject_reciprocal_agreement'), { id: proposal.id }),
    );
    expect(rejectReciprocalAgreement).toEqual({ id: proposal.id, status: 'REJECTED' });
    expect(
      await errorOf(admins.d(operation('reject_reciprocal_agreement'), { id: proposal.id, reason: 'again' })),
    ).toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses a second live agreement between A and B', async () => {
    expect(
      await errorOf(admins.b(operation('create_reciprocal_agreement'), { input: createInput(clubs.a) })),
    ).toMatchObject({ code: 'CONFLICT' });
  });

  it('keeps the history, with who decided', async () => {
    const { agreementHistory } = await data(admins.a(HISTORY, { id: agreementAB }));
    expect(agreementHistory).toEqual([
      { fromStatus: null, toStatus: 'DRAFT', reason: null, changedByClubId: clubs.a },
      { fromStatus: 'DRAFT', toStatus: 'PENDING', reason: null, changedByClubId: clubs.a },
      { fromStatus: 'PENDING', toStatus: 'APPROVED', reason: null, changedByClubId: clubs.b },
      { fromStatus: 'APPROVED', toStatus: 'ACTIVE', reason: null, changedByClubId: null },
      {
        fromStatus: 'ACTIVE',
        toStatus: 'SUSPENDED',
        reason: 'Guest fees for March not yet settled',
        changedByClubId: clubs.b,
      },
    ]);
  });

  describe('a third club’s admin (club C)', () => {
    it('does not find the A–B agreement in its list or by its id', async () => {
      const { reciprocalAgreements: page } = await data(
        admins.c(operation('reciprocal_agreements'), { pagination: { page: 1, pageSize: 100 } }),
      );
      expect(page.nodes.map((node: { id: string }) => node.id)).not.toContain(agreementAB);
      expect(page.pageInfo.total).toBe(0);
      const { reciprocalAgreement } = await data(
        admins.c(operation('reciprocal_agreement'), { id: agreementAB }),
      );
      expect(reciprocalAgreement).toBeNull();
      expect(await errorOf(admins.c(HISTORY, { id: agreementAB }))).toMatchObject({ code: 'NOT_FOUND' });
    });

    it(`cannot list A's or B's agreements by naming the club`, async () => {
      for (const clubId of [clubs.a, clubs.b]) {
        expect(await errorOf(admins.c(BY_CLUB, { clubId }))).toMatchObject({ code: 'FORBIDDEN' });
      }
    });

    it('changes nothing of it: NOT_FOUND acting for C, FORBIDDEN acting for A or B', async () => {
      const asC = await errorOf(
        admins.c(operation('suspend_reciprocal_agreement'), { id: agreementAB, reason: 'probing' }),
      );
      expect(asC).toMatchObject({ code: 'NOT_FOUND' });
      expect(
        await errorOf(admins.c(operation('approve_reciprocal_agreement'), { id: agreementAB })),
      ).toMatchObject({ code: 'NOT_FOUND' });
      expect(
        await errorOf(
          admins.c(
            `mutation($id: ID!, $clubId: ID) { reinstateReciprocalAgreement(id: $id, clubId: $clubId) { id } }`,
            {
              id: agreementAB,
              clubId: clubs.b,
            },
          ),
        ),
      ).toMatchObject({ code: 'FORBIDDEN' });
      const { agreementsByClub } = await data(admins.a(BY_CLUB, { clubId: clubs.a }));
      expect(agreementsByClub.map((row: { id: string }) => row.id)).toContain(agreementAB);
      const { reciprocalAgreement } = await data(
        admins.a(operation('reciprocal_agreement'), { id: agreementAB }),
      );
      expect(reciprocalAgreement.status).toBe('SUSPENDED');
    });
  });
});
