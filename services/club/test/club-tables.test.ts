import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFacilityQueries, type FacilityRow } from '../src/store/facility-queries.ts';
import { type ClubServiceHarness, setupClubService } from './setup.ts';

/** The club service's tables are each club's own: another club's transaction sees none of them. */
describe('club operations tables', () => {
  let harness: ClubServiceHarness;
  let clubA: string;
  let clubB: string;
  const facilityId = uuidv7();

  beforeAll(async () => {
    harness = await setupClubService();
    clubA = await harness.seedClub('Alpha');
    clubB = await harness.seedClub('Bravo');
    const now = new Date();
    const row: FacilityRow = {
      id: facilityId,
      clubId: clubA,
      name: 'Court 1',
      description: null,
      facilityType: 'TENNIS_COURT',
      status: 'ACTIVE',
      capacity: 1,
      openingHours: [{ day: 'MONDAY', opens: '07:00', closes: '22:00' }],
      slotMinutes: 30,
      minBookingMinutes: 30,
      maxBookingMinutes: 120,
      bufferMinutes: 0,
      advanceBookingDays: 14,
      cancellationDeadlineHours: 24,
      cancellationFee: 0,
      allowedMembershipTypes: [],
      allowsReciprocalVisitors: false,
      maxOpenBookingsPerMember: null,
      maxBookingsPerWeek: null,
      amenities: [],
      location: null,
      images: [],
      requiresApproval: false,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    await harness.db.withTenant(clubA, (tx) => createFacilityQueries(tx).insert(row));
  });
  afterAll(() => harness.close());

  it(`shows facility ${facilityId} to its club and not to another`, async () => {
    expect(
      (await harness.db.withTenant(clubA, (tx) => createFacilityQueries(tx).findById(facilityId)))?.name,
    ).toBe('Court 1');
    expect(
      await harness.db.withTenant(clubB, (tx) => createFacilityQueries(tx).findById(facilityId)),
    ).toBeNull();
    const changed = await harness.db.withTenant(clubB, (tx) =>
      tx.query(`UPDATE club.facilities SET name = 'Taken' WHERE id = $1`, [facilityId]),
    );
    expect(changed.rowCount).toBe(0);
  });
});
