import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { Principal } from '@clubland/authz';
import { MemberStatus } from '@clubland/contract/member/v1/members';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookingQueries } from '../src/store/booking-queries.ts';
import { createFacilityQueries, type FacilityRow } from '../src/store/facility-queries.ts';
import { type ClubServiceHarness, callerOf, eventually, principalWith, setupClubService } from './setup.ts';

/** Monday 1 June 2026, 08:00 UTC; seeded clubs keep the default time zone, UTC. */
const now = new Date('2026-06-01T08:00:00Z');
const at = (iso: string) => timestampFromDate(new Date(iso));

describe('bookings', () => {
  let harness: ClubServiceHarness;
  let club: string;
  let otherClub: string;
  let staff: Principal;
  let members = 0;

  beforeAll(async () => {
    harness = await setupClubService({ clock: () => now });
    club = await harness.seedClub('Alpha');
    otherClub = await harness.seedClub('Bravo');
    staff = principalWith('STAFF', club);
  });
  afterAll(() => harness.close());

  async function seedFacility(overrides: Partial<FacilityRow> = {}): Promise<string> {
    const id = uuidv7();
    const row: FacilityRow = {
      id,
      clubId: club,
      name: `Court ${id.slice(-4)}`,
      description: null,
      facilityType: 'TENNIS_COURT',
      location: null,
      amenities: [],
      images: [],
      requiresApproval: false,
      status: 'ACTIVE',
      capacity: 1,
      openingHours: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'].map(
        (day) => ({
          day: day as FacilityRow['openingHours'][number]['day'],
          opens: '07:00',
          closes: '22:00',
        }),
      ),
      slotMinutes: 30,
      minBookingMinutes: 30,
      maxBookingMinutes: 120,
      bufferMinutes: 0,
      advanceBookingDays: 14,
      cancellationDeadlineHours: 24,
      cancellationFee: 1500,
      allowedMembershipTypes: [],
      allowsReciprocalVisitors: false,
      maxOpenBookingsPerMember: null,
      maxBookingsPerWeek: null,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
      ...overrides,
    };
    await harness.db.withTenant(row.clubId, (tx) => createFacilityQueries(tx).insert({ ...row, id }));
    return id;
  }

  /** A real account with an ACTIVE member record of `clubId` linked to it. */
  async function seedBooker(clubId = club, membershipType = 'REGULAR'): Promise<Principal> {
    members += 1;
    const n = members;
    const principal = await harness.account(clubId);
    const admin = callerOf(principalWith('CLUB_ADMIN', clubId));
    const { member } = await harness.memberService.members.createMember({
      caller: admin,
      clubId,
      memberNumber: `B${n}`,
      userId: principal.userId,
      firstName: 'Ada',
      lastName: `Booker ${n}`,
      email: `booker-${n}-${uuidv7().slice(-6)}@example.org`,
      membershipType,
    });
    await harness.memberService.members.changeMemberStatus({
      caller: admin,
      clubId,
      id: member!.id,
      status: MemberStatus.ACTIVE,
      reason: 'joined',
    });
    return principal;
  }

  const book = (
    principal: Principal,
    facilityId: string,
    start: string,
    end: string,
    extra: { guestCount?: number; clubId?: string } = {},
  ) =>
    harness.bookings.createBooking({
      caller: callerOf(principal),
      facilityId,
      startsAt: at(start),
      endsAt: at(end),
      guestCount: extra.guestCount ?? 0,
      clubId: extra.clubId ?? '',
    });

  async function footprint(clubId = club) {
    const [tenant, outbox] = await Promise.all([
      harness.db.withTenant(clubId, (tx) =>
        tx.query<Record<string, number>>(
          `SELECT (SELECT count(*)::int FROM club.bookings) AS bookings,
                  (SELECT count(*)::int FROM club.booking_changes) AS changes,
                  (SELECT count(*)::int FROM club.booking_holders) AS holders,
                  (SELECT count(*)::int FROM club.booking_waitlist) AS waitlist`,
        ),
      ),
      harness.db.transaction((tx) =>
        tx.query<{ outbox: number }>(`SELECT count(*)::int AS outbox FROM club.outbox`),
      ),
    ]);
    return { ...tenant.rows[0]!, outbox: outbox.rows[0]!.outbox };
  }

  it('makes exactly one booking of 200 concurrent attempts on one slot of a capacity-1 facility', async () => {
    const facility = await seedFacility();
    const bookers = await Promise.all(Array.from({ length: 20 }, () => seedBooker()));
    const attempts = Array.from({ length: 200 }, (_, i) =>
      book(bookers[i % bookers.length]!, facility, '2026-06-03T10:00:00Z', '2026-06-03T11:00:00Z'),
    );
    const results = await Promise.allSettled(attempts);
    const made = results.filter((result) => result.status === 'fulfilled');
    expect(made).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected')
        expect(result.reason).toMatchObject({
          code: 'booking.refused',
          details: { reasons: ['SLOT_TAKEN'] },
        });
    }
    const { rows } = await harness.db.withTenant(club, (tx) =>
      tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM club.bookings WHERE facility_id = $1`, [
        facility,
      ]),
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('lets the database refuse all but one of 200 transactions that pick the same free unit at once', async () => {
    const facility = await seedFacility();
    const startsAt = new Date('2026-06-03T16:00:00Z');
    const endsAt = new Date('2026-06-03T17:00:00Z');
    const attempt = () =>
      harness.db.withTenant(club, async (tx) => {
        const placed = await createBookingQueries(tx).insertInFreeUnit(
          {
            id: uuidv7(),
            clubId: club,
            facilityId: facility,
            memberId: uuidv7(),
            userId: null,
            startsAt,
            endsAt,
            blockedUntil: endsAt,
            status: 'CONFIRMED',
            guestCount: 0,
            purpose: null,
            specialRequests: null,
            currency: 'GBP',
            createdBy: staff.userId,
            createdAt: now,
          },
          1,
        );
        // Hold the transaction open, so that others pick the unit before this one commits.
        await tx.query('SELECT pg_sleep(0.01)');
        return placed;
      });
    const results = await Promise.allSettled(Array.from({ length: 200 }, attempt));
    const placed = results.filter((result) => result.status === 'fulfilled' && result.value);
    expect(placed).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: '23P01' });
    }
    const { rows } = await harness.db.withTenant(club, (tx) =>
      tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM club.bookings WHERE facility_id = $1`, [
        facility,
      ]),
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('gives each unit of a capacity-3 facility once, then refuses, under concurrency', async () => {
    const facility = await seedFacility({ capacity: 3 });
    const bookers = await Promise.all(Array.from({ length: 6 }, () => seedBooker()));
    const results = await Promise.allSettled(
      bookers.map((booker) => book(booker, facility, '2026-06-03T12:00:00Z', '2026-06-03T13:00:00Z')),
    );
    const units = results.flatMap((result) =>
      result.status === 'fulfilled' ? [result.value.booking!.unit] : [],
    );
    expect(units.sort()).toEqual([1, 2, 3]);
  });

  it('shows a booking in the available slots at once, and the slot free again once it is cancelled', async () => {
    const facility = await seedFacility();
    const booker = await seedBooker();
    const slotAt = async (start: string) => {
      const { slots } = await harness.facilities.availableSlots({
        caller: callerOf(booker),
        facilityId: facility,
        date: '2026-06-02',
        slotMinutes: 60,
      });
      return slots.find((slot) => timestampDate(slot.start!).toISOString() === start);
    };
    // Read first, so the day is in the service's memory when the booking lands.
    expect(await slotAt('2026-06-02T10:00:00.000Z')).toMatchObject({ available: true });
    const { booking } = await book(booker, facility, '2026-06-02T10:00:00Z', '2026-06-02T11:00:00Z');
    expect(await slotAt('2026-06-02T10:00:00.000Z')).toMatchObject({ available: false });
    await harness.bookings.changeBookingStatus({
      caller: callerOf(booker),
      bookingId: booking!.id,
      to: 'CANCELLED',
      reason: 'plans changed',
    });
    expect(await slotAt('2026-06-02T10:00:00.000Z')).toMatchObject({ available: true });
  });

  it('keeps the buffer after a booking free', async () => {
    const facility = await seedFacility({ bufferMinutes: 30 });
    const [first, second] = await Promise.all([seedBooker(), seedBooker()]);
    await book(first, facility, '2026-06-03T09:00:00Z', '2026-06-03T10:00:00Z');
    await expect(
      book(second, facility, '2026-06-03T10:00:00Z', '2026-06-03T11:00:00Z'),
    ).rejects.toMatchObject({
      code: 'booking.refused',
      details: { reasons: ['SLOT_TAKEN'] },
    });
    const later = await book(second, facility, '2026-06-03T10:30:00Z', '2026-06-03T11:30:00Z');
    expect(later.booking!.status).toBe('CONFIRMED');
  });

  it('refuses with every reason that applies and writes nothing', async () => {
    const facility = await seedFacility({ allowedMembershipTypes: ['VIP'] });
    await harness.db.withTenant(club, (tx) =>
      tx.query(
        `INSERT INTO club.closures (id, club_id, facility_id, kind, starts_at, ends_at, reason, created_by, created_at)
         VALUES ($1, $2, $3, 'MAINTENANCE', '2026-06-04T09:00:00Z', '2026-06-04T12:00:00Z', 'resurfacing', $4, $5)`,
        [uuidv7(), club, facility, staff.userId, now],
      ),
    );
    const booker = await seedBooker();
    const before = await footprint();
    const cases: [string, string, string[]][] = [
      ['2026-06-03T05:00:00Z', '2026-06-03T06:00:00Z', ['OUTSIDE_OPENING_HOURS']],
      ['2026-06-04T10:00:00Z', '2026-06-04T11:00:00Z', ['UNDER_MAINTENANCE']],
      ['2026-05-31T10:00:00Z', '2026-05-31T11:00:00Z', ['IN_THE_PAST']],
      ['2026-06-20T10:00:00Z', '2026-06-20T11:00:00Z', ['BEYOND_HORIZON']],
      ['2026-06-03T10:00:00Z', '2026-06-03T14:00:00Z', ['TOO_LONG']],
      ['2026-06-03T10:10:00Z', '2026-06-03T11:10:00Z', ['NOT_ON_SLOT']],
    ];
    for (const [start, end, reasons] of cases) {
      await expect(book(booker, facility, start, end)).rejects.toMatchObject({
        code: 'booking.refused',
        details: { reasons: [...reasons, 'MEMBERSHIP_TYPE_NOT_ALLOWED'] },
      });
    }
    const open = await seedFacility();
    await expect(
      book(booker, open, '2026-06-03T10:00:00Z', '2026-06-03T11:00:00Z', { guestCount: 20 }),
    ).rejects.toMatchObject({ details: { reasons: ['TOO_MANY_GUESTS'] } });
    expect(await footprint()).toEqual(before);
  });

  it('refuses someone who is not a member of the club (visitors until visitor access lands)', async () => {
    const facility = await seedFacility({ allowsReciprocalVisitors: true });
    const visitor = await seedBooker(otherClub);
    const before = await footprint();
    await expect(
      book(visitor, facility, '2026-06-03T15:00:00Z', '2026-06-03T16:00:00Z', { clubId: club }),
    ).rejects.toMatchObject({ code: 'booking.refused', details: { reasons: ['NOT_A_MEMBER'] } });
    // Without the club named, another club's facility is simply not there for them.
    await expect(
      book(visitor, facility, '2026-06-03T15:00:00Z', '2026-06-03T16:00:00Z'),
    ).rejects.toMatchObject({
      code: 'entity.not_found',
    });
    expect(await footprint()).toEqual(before);
  });

  it("holds a member's caps under concurrent requests: open bookings and bookings per week", async () => {
    const capped = await seedFacility({ capacity: 10, maxOpenBookingsPerMember: 2 });
    const booker = await seedBooker();
    const starts = ['10', '11', '12', '13', '14', '15', '16', '17'];
    const results = await Promise.allSettled(
      starts.map((hour) => book(booker, capped, `2026-06-05T${hour}:00:00Z`, `2026-06-05T${hour}:30:00Z`)),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(2);
    for (const result of results) {
      if (result.status === 'rejected')
        expect(result.reason).toMatchObject({ details: { reasons: ['OPEN_BOOKINGS_CAP_REACHED'] } });
    }

    const weekly = await seedFacility({ capacity: 10, maxBookingsPerWeek: 3 });
    const days = ['02', '03', '04', '05', '06', '07'];
    const perWeek = await Promise.allSettled(
      days.map((day) => book(booker, weekly, `2026-06-${day}T10:00:00Z`, `2026-06-${day}T11:00:00Z`)),
    );
    expect(perWeek.filter((result) => result.status === 'fulfilled')).toHaveLength(3);
    // Next week counts afresh.
    await expect(book(booker, weekly, '2026-06-08T10:00:00Z', '2026-06-08T11:00:00Z')).resolves.toBeDefined();
  });

  it('books the first waiting member when a booking is cancelled, in the same transaction', async () => {
    const facility = await seedFacility();
    const [holder, first, second] = await Promise.all([seedBooker(), seedBooker(), seedBooker()]);
    const { booking } = await book(holder, facility, '2026-06-09T10:00:00Z', '2026-06-09T11:00:00Z');
    await expect(book(first, facility, '2026-06-09T10:00:00Z', '2026-06-09T11:00:00Z')).rejects.toMatchObject(
      {
        details: { reasons: ['SLOT_TAKEN'] },
      },
    );
    const waitFor = (principal: Principal) =>
      harness.bookings.joinWaitlist({
        caller: callerOf(principal),
        clubId: club,
        facilityId: facility,
        startsAt: at('2026-06-09T10:00:00Z'),
        endsAt: at('2026-06-09T11:00:00Z'),
      });
    expect((await waitFor(first)).position).toBe(1);
    expect((await waitFor(second)).position).toBe(2);
    await expect(waitFor(first)).rejects.toMatchObject({ code: 'booking.already_waiting' });

    // Cancelled more than 24 hours ahead: no fee.
    const cancelled = await harness.bookings.changeBookingStatus({
      caller: callerOf(holder),
      bookingId: booking!.id,
      to: 'CANCELLED',
      reason: 'rain',
    });
    expect(cancelled.booking).toMatchObject({
      status: 'CANCELLED',
      cancellationFee: 0n,
      cancellationReason: 'rain',
    });
    const mine = await harness.bookings.listMyBookings({ caller: callerOf(first), openOnly: true });
    expect(mine.bookings.map((b) => [b.facilityId, b.status, b.startsAt?.seconds])).toEqual([
      [facility, 'CONFIRMED', at('2026-06-09T10:00:00Z').seconds],
    ]);
    const others = await harness.bookings.listMyBookings({ caller: callerOf(second), openOnly: true });
    expect(others.total).toBe(0);
    await eventually(() =>
      expect(
        harness.published.filter(
          (event) =>
            event.type === 'booking.status_changed' &&
            (event.data as { memberUserId: string }).memberUserId === first.userId,
        ),
      ).toHaveLength(1),
    );
  });

  it('charges the fee for a late cancellation, counts no-shows, and runs check-in to completion', async () => {
    const facility = await seedFacility();
    const booker = await seedBooker();
    const late = await book(booker, facility, '2026-06-01T18:00:00Z', '2026-06-01T19:00:00Z');
    const cancelled = await harness.bookings.changeBookingStatus({
      caller: callerOf(booker),
      bookingId: late.booking!.id,
      to: 'CANCELLED',
      reason: 'work',
    });
    expect(cancelled.booking).toMatchObject({
      cancellationFee: 1500n,
      totalCost: 1500n,
      paymentStatus: 'PENDING',
    });

    const visit = await book(booker, facility, '2026-06-02T10:00:00Z', '2026-06-02T11:00:00Z');
    await expect(
      harness.bookings.changeBookingStatus({
        caller: callerOf(booker),
        bookingId: visit.booking!.id,
        to: 'NO_SHOW',
      }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
    const checkedIn = await harness.bookings.changeBookingStatus({
      caller: callerOf(staff),
      bookingId: visit.booking!.id,
      to: 'CHECKED_IN',
    });
    expect(checkedIn.booking!.checkedInAt).toBeDefined();
    await expect(
      harness.bookings.changeBookingStatus({
        caller: callerOf(staff),
        bookingId: visit.booking!.id,
        to: 'CANCELLED',
        reason: 'x',
      }),
    ).rejects.toMatchObject({ code: 'booking.transition_refused' });
    const done = await harness.bookings.changeBookingStatus({
      caller: callerOf(booker),
      bookingId: visit.booking!.id,
      to: 'COMPLETED',
    });
    expect(done.booking).toMatchObject({ status: 'COMPLETED' });

    for (const day of ['03', '04', '05']) {
      const { booking } = await book(
        booker,
        facility,
        `2026-06-${day}T10:00:00Z`,
        `2026-06-${day}T11:00:00Z`,
      );
      await harness.bookings.changeBookingStatus({
        caller: callerOf(staff),
        bookingId: booking!.id,
        to: 'NO_SHOW',
      });
    }
    await expect(
      book(booker, facility, '2026-06-06T10:00:00Z', '2026-06-06T11:00:00Z'),
    ).rejects.toMatchObject({
      details: { reasons: ['TOO_MANY_NO_SHOWS'] },
    });
  });

  it('moves a booking to a new time, checked again, and hides it from other clubs', async () => {
    const facility = await seedFacility();
    const [booker, other] = await Promise.all([seedBooker(), seedBooker()]);
    const { booking } = await book(booker, facility, '2026-06-10T10:00:00Z', '2026-06-10T11:00:00Z');
    await book(other, facility, '2026-06-10T14:00:00Z', '2026-06-10T15:00:00Z');
    await expect(
      harness.bookings.updateBooking({
        caller: callerOf(booker),
        bookingId: booking!.id,
        startsAt: at('2026-06-10T14:00:00Z'),
        endsAt: at('2026-06-10T15:00:00Z'),
      }),
    ).rejects.toMatchObject({ details: { reasons: ['SLOT_TAKEN'] } });
    const moved = await harness.bookings.updateBooking({
      caller: callerOf(booker),
      bookingId: booking!.id,
      startsAt: at('2026-06-10T12:00:00Z'),
      endsAt: at('2026-06-10T13:30:00Z'),
      guestCount: 2,
      purpose: 'doubles',
    });
    expect(moved.booking).toMatchObject({
      guestCount: 2,
      purpose: 'doubles',
      startsAt: at('2026-06-10T12:00:00Z'),
    });

    const stranger = principalWith('STAFF', otherClub);
    expect(
      (await harness.bookings.getBookings({ caller: callerOf(stranger), ids: [booking!.id] })).bookings,
    ).toEqual([]);
    expect(
      (await harness.bookings.getBookings({ caller: callerOf(other), ids: [booking!.id] })).bookings,
    ).toEqual([]);
    expect(
      (await harness.bookings.getBookings({ caller: callerOf(staff), ids: [booking!.id] })).bookings[0]
        ?.facilityName,
    ).toMatch(/^Court/);
  });

  it("lists a club's bookings a page at a time with the total, and a page past the end as empty", async () => {
    const listedClub = await harness.seedClub('Listed');
    const facility = await seedFacility({ clubId: listedClub, capacity: 3 });
    const booker = await seedBooker(listedClub);
    for (const hour of ['10', '12', '14']) {
      await book(booker, facility, `2026-06-04T${hour}:00:00Z`, `2026-06-04T${hour}:30:00Z`);
    }
    const caller = callerOf(principalWith('STAFF', listedClub));
    const page = (n: number) =>
      harness.bookings.listBookings({ caller, clubId: listedClub, page: n, pageSize: 2 });
    const first = await page(1);
    expect([first.bookings.length, first.total]).toEqual([2, 3]);
    const beyond = await page(3);
    expect([beyond.bookings.length, beyond.total]).toEqual([0, 3]);
  });

  it('computes statistics from the bookings: counts, utilisation per facility, lead times', async () => {
    const statsClub = await harness.seedClub('Stats');
    const facility = await seedFacility({ clubId: statsClub, capacity: 2 });
    const booker = await seedBooker(statsClub);
    const clubStaff = principalWith('STAFF', statsClub);
    await book(booker, facility, '2026-06-02T10:00:00Z', '2026-06-02T12:00:00Z');
    const cancelled = await book(booker, facility, '2026-06-02T13:00:00Z', '2026-06-02T14:00:00Z');
    await harness.bookings.changeBookingStatus({
      caller: callerOf(booker),
      bookingId: cancelled.booking!.id,
      to: 'CANCELLED',
      reason: 'x',
    });
    const statistics = await harness.bookings.getBookingStatistics({
      caller: callerOf(clubStaff),
      clubId: statsClub,
      from: at('2026-06-02T00:00:00Z'),
      to: at('2026-06-03T00:00:00Z'),
    });
    expect(statistics).toMatchObject({
      total: 2,
      confirmed: 1,
      cancelled: 1,
      upcoming: 1,
      averageDurationMinutes: 90,
    });
    // Made at 08:00 on 1 June for 10:00 and 13:00 on 2 June.
    expect(statistics.averageLeadHours).toBeCloseTo(27.5);
    // Open 07:00-22:00 (900 minutes) × 2 units; 120 minutes booked.
    expect(statistics.facilities).toEqual([
      expect.objectContaining({ facilityId: facility, bookedMinutes: 120n, openMinutes: 1800n, bookings: 1 }),
    ]);
    expect(statistics.facilities[0]!.utilisation).toBeCloseTo(120 / 1800);
    await expect(
      harness.bookings.getBookingStatistics({
        caller: callerOf(booker),
        clubId: statsClub,
        from: at('2026-06-02T00:00:00Z'),
        to: at('2026-06-03T00:00:00Z'),
      }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
  });
});
