import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type As, data, errorOf, mobileOperation, reciprocalFixtures } from './reciprocal-fixtures.ts';
import { type GatewayHarness, setupGateway } from './setup.ts';

/** Issue 32: the mobile client's facilities/* and its two availability queries, as the app sends them. */
describe('facilities through the gateway', () => {
  let harness: GatewayHarness;
  let clubA = '';
  let adminA: As;
  let memberA: As;
  let memberB: As;
  let facilityId = '';

  beforeAll(async () => {
    harness = await setupGateway();
    const fixtures = reciprocalFixtures(harness);
    clubA = await fixtures.club('Alpha Racquets', { timezone: 'Europe/London' });
    const clubB = await fixtures.club('Bravo Lawns');
    adminA = (await fixtures.account(clubA, { role: 'CLUB_ADMIN' })).as;
    const adminB = (await fixtures.account(clubB, { role: 'CLUB_ADMIN' })).as;
    memberA = (
      await fixtures.member(clubA, adminA, { memberNumber: 'A-100', firstName: 'Ada', lastName: 'Lovelace' })
    ).as;
    memberB = (
      await fixtures.member(clubB, adminB, { memberNumber: 'B-100', firstName: 'Bea', lastName: 'Brown' })
    ).as;
  });
  afterAll(() => harness?.close());

  it('lists the facility types', async () => {
    const { facilityTypes } = await data(memberA(mobileOperation('facilities/facility_types')));
    expect(facilityTypes).toContain('TENNIS_COURT');
  });

  it('creates a facility from the client’s input, for the club’s admin only', async () => {
    const input = {
      name: 'Court 1',
      description: 'Clay, floodlit',
      type: 'TENNIS_COURT',
      capacity: 1,
      amenities: ['floodlights', 'changing rooms'],
      operatingHours: {
        monday: { open: '07:00', close: '22:00' },
        tuesday: { open: '07:00', close: '22:00' },
      },
      bookingRules: { minDuration: 60, maxDuration: 120, maxAdvanceBooking: 30, requiresDeposit: false },
      requiresApproval: false,
    };
    expect((await errorOf(memberA(mobileOperation('facilities/create_facility'), { input }))).code).toBe(
      'FORBIDDEN',
    );
    const { createFacility } = await data(adminA(mobileOperation('facilities/create_facility'), { input }));
    expect(createFacility).toMatchObject({
      clubId: clubA,
      name: 'Court 1',
      type: 'TENNIS_COURT',
      capacity: 1,
      status: 'AVAILABLE',
    });
    facilityId = createFacility.id;
  });

  it('names the field of bad input', async () => {
    const input = { name: 'Court 2', type: 'TENNIS_COURT', capacity: 0, amenities: [] };
    expect(await errorOf(adminA(mobileOperation('facilities/create_facility'), { input }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'capacity',
    });
  });

  it('shows the facility and the list to a member', async () => {
    const { facility } = await data(memberA(mobileOperation('facilities/facility'), { id: facilityId }));
    expect(facility).toMatchObject({
      id: facilityId,
      amenities: ['floodlights', 'changing rooms'],
      minBookingDuration: 60,
      maxBookingDuration: 120,
      advanceBookingDays: 30,
      cancellationDeadline: 24,
      operatingHours: [
        { day: 'MONDAY', opens: '07:00', closes: '22:00' },
        { day: 'TUESDAY', opens: '07:00', closes: '22:00' },
      ],
    });
    const { facilities } = await data(
      memberA(mobileOperation('facilities/facilities'), {
        pagination: { page: 1, pageSize: 10 },
        type: 'TENNIS_COURT',
        isActive: true,
      }),
    );
    expect(facilities.nodes.map((node: { id: string }) => node.id)).toEqual([facilityId]);
    expect(facilities.pageInfo).toMatchObject({ page: 1, total: 1, hasNextPage: false });
  });

  it('hides club A’s facilities from a member of club B without an agreement', async () => {
    expect(
      (await data(memberB(mobileOperation('facilities/facility'), { id: facilityId }))).facility,
    ).toBeNull();
    const listed = await data(
      memberB('query($clubId: ID) { facilities(clubId: $clubId) { nodes { id } pageInfo { total } } }', {
        clubId: clubA,
      }),
    );
    expect(listed.facilities).toEqual({ nodes: [], pageInfo: { total: 0 } });
    const slots = await errorOf(
      memberB(mobileOperation('bookings/available_slots'), {
        facilityId,
        date: '2026-06-01T00:00:00Z',
        slotDuration: 60,
      }),
    );
    expect(slots.code).toBe('NOT_FOUND');
  });

  it('answers available slots and a check in the club’s time zone', async () => {
    const monday = new Date(Date.now() + 2 * 86_400_000);
    while (monday.getUTCDay() !== 1) monday.setUTCDate(monday.getUTCDate() + 1);
    const date = `${monday.toISOString().slice(0, 10)}T00:00:00Z`;
    const { availableSlots } = await data(
      memberA(mobileOperation('bookings/available_slots'), { facilityId, date, slotDuration: 60 }),
    );
    expect(availableSlots).toHaveLength(15);
    expect(availableSlots.every((slot: { available: boolean }) => slot.available)).toBe(true);
    const first = availableSlots[0];
    const check = (startTime: string, endTime: string) =>
      data(
        memberA(mobileOperation('bookings/check_availability'), {
          facilityId,
          startTime,
          endTime,
          excludeBookingId: null,
        }),
      );
    expect((await check(first.startTime, first.endTime)).checkAvailability).toBe(true);
    // An hour earlier is before opening.
    const early = new Date(Date.parse(first.startTime) - 3_600_000).toISOString();
    expect((await check(early, first.startTime)).checkAvailability).toBe(false);
  });

  it('updates and deletes the facility', async () => {
    const { updateFacility } = await data(
      adminA(mobileOperation('facilities/update_facility'), {
        id: facilityId,
        input: { name: 'Centre Court', isActive: false },
      }),
    );
    expect(updateFacility).toMatchObject({
      id: facilityId,
      name: 'Centre Court',
      status: 'UNAVAILABLE',
      capacity: 1,
    });
    expect(
      (await errorOf(memberA(mobileOperation('facilities/delete_facility'), { id: facilityId }))).code,
    ).toBe('FORBIDDEN');
    expect(
      (await data(adminA(mobileOperation('facilities/delete_facility'), { id: facilityId }))).deleteFacility,
    ).toBe(true);
    expect(
      (await data(memberA(mobileOperation('facilities/facility'), { id: facilityId }))).facility,
    ).toBeNull();
  });
});
