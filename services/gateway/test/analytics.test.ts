import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, data, errorOf, mobileOperation, reciprocalFixtures } from './reciprocal-fixtures.ts';
import { type GatewayHarness, setupGateway } from './setup.ts';

/**
 * The mobile client's analytics/analytics, exactly as the app sends it, through the gateway to the
 * real analytics service, after a real journey: a member of A, an agreement A and B make, a visit
 * of the member at B checked in and out by B's desk. The figures come from the events those steps
 * published, not from the other services' tables.
 */
const ANALYTICS = mobileOperation('analytics/analytics');

describe('analytics through GraphQL', () => {
  let harness: GatewayHarness;
  const clubs = { a: '', b: '' };
  let adminA: Account;
  let member: Account & { memberId: string };
  /**
   * "The last year" up to now, as a client that leaves the start to the server sends it: the club's
   * month and the eleven before it in the club's own time zone (a start computed in UTC would reach
   * into a thirteenth London month in the last hour of a summer month).
   */
  const variables = () => ({ endDate: new Date().toISOString() });

  beforeAll(async () => {
    harness = await setupGateway();
    const fixtures = reciprocalFixtures(harness);
    clubs.a = await fixtures.club('Reform', {
      location: 'London, United Kingdom',
      timezone: 'Europe/London',
    });
    // B keeps UTC: the agreement starts on today's UTC date, today at B too.
    clubs.b = await fixtures.club('Knickerbocker', { location: 'New York, USA' });
    adminA = await fixtures.account(clubs.a, { role: 'CLUB_ADMIN' });
    const adminB = await fixtures.account(clubs.b, { role: 'CLUB_ADMIN' });
    const staffB = await fixtures.account(clubs.b, { role: 'STAFF' });
    member = await fixtures.member(clubs.a, adminA.as, {
      memberNumber: 'REF-1836',
      firstName: 'Phileas',
      lastName: 'Fogg',
    });

    const { createReciprocalAgreement } = await data(
      adminA.as(mobileOperation('reciprocal/create_reciprocal_agreement'), {
        input: {
          partnerClubId: clubs.b,
          agreementType: 'BILATERAL',
          effectiveDate: new Date().toISOString(),
          terms: { requiresLetter: false, guestsPerVisit: 2, costSharing: { currency: 'GBP' } },
        },
      }),
    );
    await data(
      adminB.as(mobileOperation('reciprocal/approve_reciprocal_agreement'), {
        id: createReciprocalAgreement.id,
      }),
    );
    // The member service learns of the agreement from its event: the desk asks until it has.
    const record = () =>
      staffB.as(mobileOperation('bookings/record_visit'), {
        input: { memberId: member.memberId, visitingClubId: clubs.b, purpose: 'Whist', guestCount: 0 },
      });
    let recorded = await record();
    for (let tries = 0; recorded.body.errors && tries < 200; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      recorded = await record();
    }
    const { recordVisit } = await data(Promise.resolve(recorded));
    await data(staffB.as(mobileOperation('bookings/checkout_visit'), { input: { visitId: recordVisit.id } }));
  });
  afterAll(() => harness?.close());

  it("answers a club administrator with their club's figures", async () => {
    // The facts follow the events: asked until the check-out has been heard.
    const read = async () => (await data(adminA.as(ANALYTICS, variables()))).analytics;
    let analytics = await read();
    for (let tries = 0; analytics.visits.averageVisitDuration === null && tries < 300; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      analytics = await read();
    }
    expect(analytics.visits).toMatchObject({
      totalVisits: 1,
      topDestinations: [{ club: { name: 'Knickerbocker', location: 'New York, USA' }, count: 1 }],
    });
    expect(analytics.visits.averageVisitDuration).toBeGreaterThanOrEqual(0);
    expect(analytics.visits.monthlyVisits).toHaveLength(12);
    expect(analytics.visits.monthlyVisits.at(-1).count).toBe(1);
    expect(analytics.members).toEqual({
      totalMembers: 1,
      activeMembers: 1,
      newMembersThisMonth: 1,
      membershipDistribution: [{ type: 'REGULAR', count: 1 }],
    });
    expect(analytics.reciprocals).toMatchObject({
      totalAgreements: 1,
      activeAgreements: 1,
      pendingAgreements: 0,
    });
    expect(analytics.reciprocals.monthlyReciprocalUsage.at(-1).count).toBe(1);
  });

  it('answers the network administrator with the whole network', async () => {
    const { analytics } = await data(harness.asNetworkAdmin(ANALYTICS, variables()));
    expect(analytics.visits).toMatchObject({
      totalVisits: 1,
      topDestinations: [{ club: { name: 'Knickerbocker' }, count: 1 }],
    });
    expect(analytics.members.totalMembers).toBe(1);
    expect(analytics.reciprocals).toMatchObject({ totalAgreements: 1, activeAgreements: 1 });
  });

  it('refuses a member (FORBIDDEN) and a range that ends before it starts (BAD_USER_INPUT, endDate)', async () => {
    expect(await errorOf(member.as(ANALYTICS, variables()))).toMatchObject({ code: 'FORBIDDEN' });
    const endDate = new Date().toISOString();
    const startDate = new Date(Date.now() - 30 * 86_400_000).toISOString();
    expect(await errorOf(adminA.as(ANALYTICS, { startDate: endDate, endDate: startDate }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'endDate',
    });
    expect(await errorOf(harness.post(ANALYTICS, variables()))).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
