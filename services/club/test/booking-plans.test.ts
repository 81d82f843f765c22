import type { Queryable } from '@clubland/db';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../src/domain/facility-settings.ts';
import { createBookingQueries } from '../src/store/booking-queries.ts';
import { createBookingReads } from '../src/store/booking-reads.ts';
import { createFacilityQueries, type FacilityRow } from '../src/store/facility-queries.ts';
import { type ClubServiceHarness, setupClubService } from './setup.ts';

/**
 * The reads every booking makes go through an index as the application role, under row-level
 * security, not through the club's history: PostgreSQL takes into an index scan only conditions it
 * knows leak nothing, so a `coalesce(...)` or a `tstzrange(...) &&` there meant reading every
 * booking of the club or the facility, a cost that grew with each one made. The plans are asked
 * with EXPLAIN of the statements the store runs, on a club with a history and fresh statistics.
 */
describe('the plans of the booking reads', () => {
  let harness: ClubServiceHarness;
  let clubId: string;
  const facilityId = uuidv7();
  const memberId = uuidv7();

  beforeAll(async () => {
    harness = await setupClubService();
    clubId = await harness.seedClub('Alpha');
    const now = new Date();
    const facility: FacilityRow = {
      ...DEFAULT_SETTINGS,
      id: facilityId,
      clubId,
      name: 'Court 1',
      facilityType: 'TENNIS_COURT',
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    await harness.db.withTenant(clubId, (tx) => createFacilityQueries(tx).insert(facility));
    // Two years of the court booked every hour by 500 members, all over; a few still open ahead.
    await harness.db.withTenant(clubId, (tx) =>
      tx.query(
        `INSERT INTO club.bookings (id, club_id, facility_id, unit, member_id, starts_at, ends_at, blocked_until,
           status, guest_count, currency, payment_status, created_by, created_at, updated_at)
         SELECT gen_random_uuid(), $1, $2, 1, ('00000000-0000-7000-8000-' || lpad((h % 500)::text, 12, '0'))::uuid,
                date_trunc('hour', now()) + (h - 17000) * interval '1 hour',
                date_trunc('hour', now()) + (h - 16999) * interval '1 hour',
                date_trunc('hour', now()) + (h - 16999) * interval '1 hour',
                CASE WHEN h < 17000 THEN 'COMPLETED' ELSE 'CONFIRMED' END, 0, 'GBP', 'PAID', $3, now(), now()
           FROM generate_series(1, 17500) AS h`,
        [clubId, facilityId, memberId],
      ),
    );
    await harness.db.asOwner((tx) => tx.query('ANALYZE club.bookings'));
  });
  afterAll(() => harness.close());

  /** A transaction whose statements are explained, not run: each plan as PostgreSQL would make it. */
  async function plansOf(work: (tx: Queryable) => Promise<unknown>): Promise<string[]> {
    const plans: string[] = [];
    await harness.db.withTenant(clubId, async (tx) => {
      const explaining: Queryable = {
        async query(sql, params) {
          const { rows } = await tx.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
          plans.push(JSON.stringify(rows[0]?.['QUERY PLAN']));
          return { rows: [{}] as never[], rowCount: 1 };
        },
      };
      await work(explaining);
    });
    return plans;
  }

  it("counts a member's bookings for the caps through the member index", async () => {
    const [plan] = await plansOf((tx) =>
      createBookingQueries(tx).countsFor({
        clubId,
        facilityId,
        holderId: '00000000-0000-7000-8000-000000000042',
        exceptId: uuidv7(),
        weekOf: new Date(),
        timezone: 'Europe/London',
        noShowsSince: new Date(Date.now() - 90 * 86_400_000),
      }),
    );
    expect(plan).not.toContain('"Seq Scan"');
    expect(plan).toContain('bookings_by_member');
  });

  it('looks for a free unit, and for what a day holds, among the open bookings not yet over', async () => {
    const startsAt = new Date(Date.now() + 48 * 3_600_000);
    const day = { from: startsAt, to: new Date(startsAt.getTime() + 86_400_000) };
    // The reads ask once whether the bookings table exists; asked for real before the explained run.
    const reads = createBookingReads();
    await harness.db.withTenant(clubId, (tx) => reads.overlapping(tx, facilityId, day, null));
    const plans = await plansOf(async (tx) => {
      await createBookingQueries(tx).insertInFreeUnit(
        {
          id: uuidv7(),
          clubId,
          facilityId,
          memberId,
          userId: null,
          startsAt,
          endsAt: new Date(startsAt.getTime() + 3_600_000),
          blockedUntil: new Date(startsAt.getTime() + 3_600_000),
          status: 'CONFIRMED',
          guestCount: 0,
          purpose: null,
          specialRequests: null,
          currency: 'GBP',
          createdBy: memberId,
          createdAt: new Date(),
        },
        1,
      );
      await reads.overlapping(tx, facilityId, day, null);
    });
    const [freeUnit, overlapping] = plans;
    expect(plans).toHaveLength(2);
    for (const plan of [freeUnit!, overlapping!]) {
      expect(plan).not.toContain('"Seq Scan"');
      // Bounded by the index itself to bookings not over yet, not filtered after reading them all.
      expect(plan).toMatch(
        /"Index Name":"bookings_open_by_facility"[^}]*"Index Cond":"[^"]*blocked_until > /,
      );
    }
  });
});
