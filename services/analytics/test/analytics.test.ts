import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyFacts, FACTS_CONSUMER, recountStaleDays } from '../src/app/follow-facts.ts';
import {
  type AnalyticsHarness,
  callerOf,
  eventually,
  facts,
  principalWith,
  setupAnalyticsService,
} from './setup.ts';

/**
 * The analytics service over its read model: events in (as the reciprocal and member services
 * publish them), a report out through its RPC, on the real database. Now is 15 June 2026 12:00 UTC.
 */
const NOW = new Date('2026-06-15T12:00:00Z');
const MARCH = new Date('2026-03-10T00:00:00Z');
const range = (start: string, end: string) => ({
  startDate: timestampFromDate(new Date(start)),
  endDate: timestampFromDate(new Date(end)),
});

describe('the analytics service', () => {
  let harness: AnalyticsHarness;
  // Sydney: the months are Sydney's. London and Paris: other clubs of the network.
  let sydney: string;
  let london: string;
  let paris: string;
  let quiet: string;
  const admin = (clubId: string) => callerOf(principalWith('CLUB_ADMIN', clubId));
  const network = callerOf(principalWith('NETWORK_ADMIN', null));
  const sydneyMember = uuidv7();
  const applicant = uuidv7();
  const leaver = uuidv7();
  const agreementId = uuidv7();

  beforeAll(async () => {
    harness = await setupAnalyticsService({ clock: () => NOW });
    sydney = await harness.seedClub('Sydney', 'Australia/Sydney');
    london = await harness.seedClub('London', 'Europe/London');
    paris = await harness.seedClub('Paris', 'Europe/Paris');
    quiet = await harness.seedClub('Quiet', 'UTC');
    await harness.publish([
      // Hosted at Sydney: 22:00 UTC on 28 February is 09:00 on 1 March in Sydney; 90 minutes.
      facts.visit({
        homeClubId: london,
        hostClubId: sydney,
        to: 'CHECKED_OUT',
        checkedInAt: '2026-02-28T22:00:00Z',
        checkedOutAt: '2026-02-28T23:30:00Z',
      }),
      // Sydney's members at London (twice, one still in) and at Paris (once, 30 minutes).
      facts.visit({
        homeClubId: sydney,
        hostClubId: london,
        to: 'CHECKED_IN',
        checkedInAt: '2026-04-10T10:00:00Z',
      }),
      facts.visit({
        homeClubId: sydney,
        hostClubId: london,
        to: 'CHECKED_OUT',
        checkedInAt: '2026-04-11T10:00:00Z',
        checkedOutAt: '2026-04-11T12:00:00Z',
      }),
      facts.visit({
        homeClubId: sydney,
        hostClubId: paris,
        to: 'CHECKED_OUT',
        checkedInAt: '2026-05-02T10:00:00Z',
        checkedOutAt: '2026-05-02T10:30:00Z',
      }),
      // A check-in cancelled: never counts.
      facts.visit({
        homeClubId: sydney,
        hostClubId: paris,
        to: 'CANCELLED',
        checkedInAt: '2026-05-03T10:00:00Z',
      }),
      // London's member at Paris: not Sydney's business.
      facts.visit({
        homeClubId: london,
        hostClubId: paris,
        to: 'CHECKED_IN',
        checkedInAt: '2026-05-05T10:00:00Z',
      }),
      // Sydney's members joined in March (local); one is still PENDING.
      facts.memberCreated(sydney, 'FULL', { memberId: sydneyMember, joinedAt: MARCH }),
      facts.memberCreated(sydney, 'FULL', { joinedAt: MARCH }),
      facts.memberCreated(sydney, 'COUNTRY', { status: 'PENDING', memberId: applicant, joinedAt: MARCH }),
      // London's this month (local June began at 23:00 UTC on 31 May).
      facts.memberCreated(london, 'FULL', { joinedAt: new Date('2026-05-31T23:30:00Z') }),
      facts.agreement(sydney, london, 'ACTIVE', agreementId, '2026-05-01T00:00:00Z'),
      facts.agreement(paris, sydney, 'PENDING'),
      facts.agreement(sydney, paris, 'DRAFT'),
    ]);
    await eventually(async () => {
      const { rows } = await harness.db.transaction((tx) =>
        tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM analytics.processed_events`),
      );
      expect(rows[0]!.n).toBe(13);
    });
  });
  afterAll(() => harness.close());

  it("shows a club administrator their club's visits, both ways, in the club's own months", async () => {
    const report = await harness.analytics.getAnalytics({
      caller: admin(sydney),
      ...range('2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z'),
    });
    expect(report.clubId).toBe(sydney);
    expect(report.timeZone).toBe('Australia/Sydney');
    const visits = report.visits!;
    // One hosted and three of its members' visits elsewhere; the cancelled one and London's at Paris not.
    expect(visits.totalVisits).toBe(4);
    // 1 Jan 00:00 UTC is 11:00 on 1 January in Sydney: January is the first month; 1 June 00:00 UTC
    // is 10:00 on 1 June there, so June's first ten hours end the range.
    expect(visits.monthlyVisits.map(({ month, count }) => [month, count])).toEqual([
      ['2026-01', 0],
      ['2026-02', 0],
      ['2026-03', 1],
      ['2026-04', 2],
      ['2026-05', 1],
      ['2026-06', 0],
    ]);
    expect(visits.topDestinations.map(({ clubId, count }) => [clubId, count])).toEqual([
      [london, 2],
      [paris, 1],
    ]);
    // Checked out: 90, 120 and 30 minutes.
    expect(visits.averageVisitMinutes).toBe(80);
    expect(report.reciprocals!.monthlyReciprocalUsage.map(({ count }) => count)).toEqual([0, 0, 0, 2, 1, 0]);
  });

  it("shows a club administrator their club's members and agreements as they stand", async () => {
    const report = await harness.analytics.getAnalytics({ caller: admin(sydney) });
    expect(report.members).toMatchObject({ totalMembers: 3, activeMembers: 2, newMembersThisMonth: 0 });
    expect(report.members!.membershipDistribution.map(({ type, count }) => [type, count])).toEqual([
      ['FULL', 2],
      ['COUNTRY', 1],
    ]);
    // The draft is Sydney's own unsent work: not counted.
    expect(report.reciprocals).toMatchObject({
      totalAgreements: 2,
      activeAgreements: 1,
      pendingAgreements: 1,
    });
    // No range: the twelve local months up to now, July 2025 to June 2026.
    expect(report.visits!.monthlyVisits).toHaveLength(12);
    expect(report.visits!.monthlyVisits[0]!.month).toBe('2025-07');
    expect(report.visits!.monthlyVisits[11]!.month).toBe('2026-06');
  });

  it('shows the network administrator the whole network, each visit and agreement once, in UTC months', async () => {
    const report = await harness.analytics.getAnalytics({
      caller: network,
      ...range('2026-02-01T00:00:00Z', '2026-06-01T00:00:00Z'),
    });
    expect(report.clubId).toBe('');
    expect(report.timeZone).toBe('UTC');
    expect(report.visits!.totalVisits).toBe(5);
    expect(report.visits!.monthlyVisits.map(({ month, count }) => [month, count])).toEqual([
      ['2026-02', 1],
      ['2026-03', 0],
      ['2026-04', 2],
      ['2026-05', 2],
    ]);
    expect(report.visits!.topDestinations.map(({ clubId, count }) => [clubId, count])).toEqual([
      [london, 2],
      [paris, 2],
      [sydney, 1],
    ]);
    expect(report.members).toMatchObject({ totalMembers: 4, activeMembers: 3 });
    expect(report.reciprocals).toMatchObject({
      totalAgreements: 2,
      activeAgreements: 1,
      pendingAgreements: 1,
    });
    // Naming a club, the network administrator reads that club's report.
    const london_ = await harness.analytics.getAnalytics({ caller: network, clubId: london });
    expect(london_.clubId).toBe(london);
    expect(london_.timeZone).toBe('Europe/London');
    expect(london_.members).toMatchObject({ totalMembers: 1, newMembersThisMonth: 1 });
  });

  it('refuses members, staff, another club’s administrator and anonymous callers', async () => {
    for (const role of ['MEMBER', 'STAFF'] as const) {
      await expect(
        harness.analytics.getAnalytics({ caller: callerOf(principalWith(role, sydney)) }),
      ).rejects.toMatchObject({ code: 'request.forbidden' });
    }
    await expect(
      harness.analytics.getAnalytics({ caller: admin(london), clubId: sydney }),
    ).rejects.toMatchObject({
      code: 'request.forbidden',
    });
    await expect(harness.analytics.getAnalytics({})).rejects.toMatchObject({
      code: 'request.unauthenticated',
    });
  });

  it('refuses a range that ends before it starts, or spans more than five years, naming the field', async () => {
    await expect(
      harness.analytics.getAnalytics({
        caller: admin(sydney),
        ...range('2026-05-01T00:00:00Z', '2026-04-01T00:00:00Z'),
      }),
    ).rejects.toMatchObject({ code: 'request.invalid_input', details: { field: 'endDate' } });
    await expect(
      harness.analytics.getAnalytics({
        caller: admin(sydney),
        ...range('2020-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
      }),
    ).rejects.toMatchObject({ code: 'request.invalid_input', details: { field: 'endDate' } });
    // A club the member service does not know: NOT_FOUND, nothing read.
    await expect(harness.analytics.getAnalytics({ caller: network, clubId: uuidv7() })).rejects.toMatchObject(
      {
        code: 'entity.not_found',
      },
    );
    await expect(
      harness.analytics.getAnalytics({ caller: network, clubId: 'not-a-club' }),
    ).rejects.toMatchObject({
      code: 'request.invalid_input',
      details: { field: 'clubId' },
    });
  });

  it('counts an event delivered twice once', async () => {
    const visit = facts.visit({
      homeClubId: quiet,
      hostClubId: paris,
      to: 'CHECKED_IN',
      checkedInAt: '2026-06-01T09:00:00Z',
    });
    await harness.publish([visit]);
    await harness.publish([visit]);
    const joined = facts.memberCreated(quiet, 'FULL', { joinedAt: NOW });
    await harness.publish([joined, joined]);
    await eventually(async () => {
      const { rows } = await harness.db.transaction((tx) =>
        tx.query(
          `SELECT 1 FROM analytics.processed_events WHERE consumer = $1 AND event_id = ANY($2::uuid[])`,
          [FACTS_CONSUMER, [visit.id, joined.id]],
        ),
      );
      expect(rows).toHaveLength(2);
    });
    // A later event of the same consumer is applied after both copies: the copies are behind us.
    await harness.publish([facts.agreement(quiet, paris, 'PENDING')]);
    await eventually(async () => {
      const report = await harness.analytics.getAnalytics({ caller: admin(quiet) });
      expect(report.reciprocals!.pendingAgreements).toBe(1);
      expect(report.visits!.totalVisits).toBe(1);
      expect(report.members!.totalMembers).toBe(1);
      expect(report.members!.newMembersThisMonth).toBe(1);
    });
  });

  it('keeps the newest status when an older event arrives late, and follows status and type changes', async () => {
    await harness.publish([
      facts.memberStatus(sydney, applicant, 'PENDING', 'ACTIVE'),
      facts.agreement(sydney, london, 'TERMINATED', agreementId, '2026-06-10T00:00:00Z'),
      facts.agreement(sydney, london, 'ACTIVE', agreementId, '2026-06-09T00:00:00Z'),
      facts.membershipType(sydney, sydneyMember, 'COUNTRY'),
      // Joined the quiet club this month and left it: no longer on the roster, nor new on it.
      facts.memberCreated(quiet, 'FULL', { memberId: leaver, joinedAt: NOW }),
      facts.memberStatus(quiet, leaver, 'ACTIVE', 'INACTIVE'),
    ]);
    await eventually(async () => {
      const report = await harness.analytics.getAnalytics({ caller: admin(sydney) });
      expect(report.reciprocals!.activeAgreements).toBe(0);
      expect(report.members).toMatchObject({ totalMembers: 3, activeMembers: 3 });
      expect(report.members!.membershipDistribution.map(({ type, count }) => [type, count])).toEqual([
        ['COUNTRY', 2],
        ['FULL', 1],
      ]);
      const quietReport = await harness.analytics.getAnalytics({ caller: admin(quiet) });
      expect(quietReport.members).toMatchObject({
        totalMembers: 1,
        activeMembers: 1,
        newMembersThisMonth: 1,
      });
      const { rows } = await harness.db.withTenant(quiet, (tx) =>
        tx.query(`SELECT status FROM analytics.member_facts WHERE member_id = $1`, [leaver]),
      );
      expect(rows).toEqual([{ status: 'INACTIVE' }]);
    });
  });

  it(`shows a third club's transaction none of another club's facts`, async () => {
    // Sydney's facts exist, seen in Sydney's own transaction.
    const own = await harness.db.withTenant(sydney, (tx) =>
      tx.query(
        `SELECT club_id FROM analytics.visit_facts UNION ALL SELECT club_id FROM analytics.member_facts`,
      ),
    );
    expect(own.rows.length).toBeGreaterThan(0);
    expect(new Set(own.rows.map((row) => row.club_id))).toEqual(new Set([sydney]));
    // The quiet club asks for Sydney's, London's and Paris's rows by their ids: none come back.
    for (const table of ['visit_facts', 'member_facts', 'agreement_facts']) {
      const { rows } = await harness.db.withTenant(quiet, (tx) =>
        tx.query<{ club_id: string }>(
          `SELECT club_id FROM analytics.${table} WHERE club_id = ANY($1::uuid[])`,
          [[sydney, london, paris]],
        ),
      );
      expect(rows, `${table} rows of other clubs seen by ${quiet}`).toEqual([]);
    }
    const member = await harness.db.withTenant(quiet, (tx) =>
      tx.query(`SELECT 1 FROM analytics.member_facts WHERE member_id = $1`, [sydneyMember]),
    );
    expect(member.rows, `member ${sydneyMember} of ${sydney} seen by ${quiet}`).toEqual([]);
    const agreement = await harness.db.withTenant(quiet, (tx) =>
      tx.query(`SELECT 1 FROM analytics.agreement_facts WHERE agreement_id = $1`, [agreementId]),
    );
    expect(agreement.rows, `agreement ${agreementId} seen by ${quiet}`).toEqual([]);
    // Nor may it write one for another club.
    await expect(
      harness.db.withTenant(quiet, (tx) =>
        tx.query(
          `INSERT INTO analytics.member_facts (club_id, member_id, status) VALUES ($1, $2, 'ACTIVE')`,
          [sydney, uuidv7()],
        ),
      ),
    ).rejects.toThrow();
  });

  it('defers the recount of a busy day: marked stale by the consumer, recounted once by the rollup job', async () => {
    const day = '2026-02-10';
    const events = [0, 1, 2].map((i) =>
      facts.visit({
        homeClubId: quiet,
        hostClubId: paris,
        to: 'CHECKED_IN',
        checkedInAt: `${day}T1${i}:00:00Z`,
      }),
    );
    const visitDays = () =>
      harness.db.transaction(
        async (tx) =>
          (
            await tx.query<{ club_id: string; visits: number }>(
              `SELECT club_id, visits FROM analytics.visit_days WHERE day = $1 ORDER BY club_id`,
              [day],
            )
          ).rows,
      );
    await harness.db.transaction((tx) => applyFacts(tx, events, 'later'));
    // Marked, not yet counted.
    expect(await visitDays()).toEqual([]);
    const stale = await harness.db.transaction(
      async (tx) =>
        (await tx.query(`SELECT club_id FROM analytics.stale_days WHERE day = $1 ORDER BY club_id`, [day]))
          .rows,
    );
    expect(stale.map((row) => row.club_id).sort()).toEqual([paris, quiet].sort());
    await recountStaleDays(harness.db);
    expect((await visitDays()).map((row) => row.visits)).toEqual([3, 3]);
    expect(
      (
        await harness.db.transaction(
          async (tx) => (await tx.query(`SELECT 1 FROM analytics.stale_days`)).rows,
        )
      ).length,
    ).toBe(0);
  });

  it('keeps the daily and monthly rollups equal to a recount of the facts through check-in, check-out and cancellation', async () => {
    const visitId = uuidv7();
    const cancelled = uuidv7();
    await harness.publish([
      facts.visit({
        visitId,
        homeClubId: quiet,
        hostClubId: london,
        to: 'CHECKED_IN',
        checkedInAt: '2026-03-31T23:30:00Z',
      }),
      facts.visit({
        visitId: cancelled,
        homeClubId: quiet,
        hostClubId: london,
        to: 'CHECKED_IN',
        checkedInAt: '2026-04-01T09:00:00Z',
      }),
    ]);
    await harness.publish([
      facts.visit({
        visitId,
        homeClubId: quiet,
        hostClubId: london,
        to: 'CHECKED_OUT',
        checkedInAt: '2026-03-31T23:30:00Z',
        checkedOutAt: '2026-04-01T01:00:00Z',
      }),
      facts.visit({
        visitId: cancelled,
        homeClubId: quiet,
        hostClubId: london,
        to: 'CANCELLED',
        checkedInAt: '2026-04-01T09:00:00Z',
        changedAt: '2026-04-01T09:10:00Z',
      }),
    ]);
    // London's April begins at 23:00 UTC on 31 March: the visit (00:30 there on 1 April) is April's
    // there, beside Sydney's members' two; the cancelled check-in counts nowhere.
    await eventually(async () => {
      const report = await harness.analytics.getAnalytics({
        caller: admin(london),
        ...range('2026-03-01T00:00:00Z', '2026-04-30T23:00:00Z'),
      });
      expect(report.visits!.monthlyVisits.map(({ month, count }) => [month, count])).toEqual([
        ['2026-03', 0],
        ['2026-04', 3],
      ]);
      expect(report.visits!.averageVisitMinutes).toBe(105);
    });
    const recount = (sql: string) => harness.db.transaction(async (tx) => (await tx.query(sql)).rows);
    expect(
      await recount(
        `SELECT club_id, side, day::text, visits, completed, seconds FROM analytics.visit_days ORDER BY 1, 2, 3`,
      ),
    ).toEqual(
      await recount(
        `SELECT club_id, side, (checked_in_at AT TIME ZONE 'UTC')::date::text AS day, count(*)::int AS visits,
                count(checked_out_at)::int AS completed,
                coalesce(sum(extract(epoch FROM checked_out_at - checked_in_at)), 0)::float8 AS seconds
           FROM analytics.visit_facts WHERE status IN ('CHECKED_IN', 'CHECKED_OUT') GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      ),
    );
    expect(
      await recount(
        `SELECT club_id, other_club_id, month::text, visits FROM analytics.destination_months ORDER BY 1, 2, 3`,
      ),
    ).toEqual(
      await recount(
        `SELECT club_id, other_club_id, date_trunc('month', checked_in_at AT TIME ZONE 'UTC')::date::text AS month,
                count(*)::int AS visits
           FROM analytics.visit_facts WHERE side = 'HOME' AND status IN ('CHECKED_IN', 'CHECKED_OUT')
          GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      ),
    );
  });
});
