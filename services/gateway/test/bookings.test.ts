import type { AddressInfo } from 'node:net';
import { createClient as createGraphqlWsClient } from 'graphql-ws';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
// Facilities are another helper's use cases: the facility is seeded through the club service's store.
import { createFacilityQueries, type FacilityRow } from '../../club/src/store/facility-queries.ts';
import {
  type Account,
  data,
  errorOf,
  mobileOperation,
  PASSWORD,
  reciprocalFixtures,
} from './reciprocal-fixtures.ts';
import { type GatewayHarness, setupGateway } from './setup.ts';

const operation = (path: string) => mobileOperation(path.replace(/\.graphql$/, ''));

/** Tomorrow (UTC, the seeded clubs' time zone) at HH:MM, ISO. */
function tomorrowAt(hhmm: string): string {
  const day = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  return `${day}T${hhmm}:00.000Z`;
}

/**
 * The mobile client's booking operations, exactly as the app sends them, through the gateway to
 * the real club service (and the member service it asks who books); and who hears of a booking
 * over WebSocket: its member and the club's staff, nobody else.
 */
describe('facility bookings through GraphQL', () => {
  let harness: GatewayHarness;
  let wsUrl: string;
  let alpha = '';
  let bravo = '';
  let facilityId = '';
  let member: Account & { memberId: string };
  let staff: Account;
  let otherStaff: Account;
  let otherMember: Account & { memberId: string };
  let bookingId = '';

  beforeAll(async () => {
    harness = await setupGateway();
    await harness.app.listen({ port: 0, host: '127.0.0.1' });
    wsUrl = `ws://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}/graphql`;
    const fixtures = reciprocalFixtures(harness);
    alpha = await fixtures.club('Alpha', { currency: 'GBP' });
    bravo = await fixtures.club('Bravo', { currency: 'GBP' });
    const admin = await fixtures.account(alpha, { role: 'CLUB_ADMIN' });
    const bravoAdmin = await fixtures.account(bravo, { role: 'CLUB_ADMIN' });
    staff = await fixtures.account(alpha, { role: 'STAFF' });
    otherStaff = await fixtures.account(bravo, { role: 'STAFF' });
    member = await fixtures.member(alpha, admin.as, {
      memberNumber: 'A1',
      firstName: 'Ada',
      lastName: 'Court',
    });
    otherMember = await fixtures.member(bravo, bravoAdmin.as, {
      memberNumber: 'B1',
      firstName: 'Bo',
      lastName: 'Lane',
    });
    // Linking a record outdates the account's tokens once the auth service hears of it, which on
    // PostgreSQL may be after the fixture signed in again: sign in until the token holds.
    member = await signedInWhenSettled(member);
    otherMember = await signedInWhenSettled(otherMember);
    facilityId = uuidv7();
    const now = new Date();
    const row: FacilityRow = {
      id: facilityId,
      clubId: alpha,
      name: 'Centre Court',
      description: null,
      facilityType: 'TENNIS_COURT',
      location: null,
      amenities: [],
      images: [],
      requiresApproval: false,
      status: 'ACTIVE',
      capacity: 2,
      openingHours: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'].map(
        (day) => ({
          day: day as FacilityRow['openingHours'][number]['day'],
          opens: '07:00',
          closes: '22:00',
        }),
      ),
      slotMinutes: 30,
      minBookingMinutes: 30,
      maxBookingMinutes: 180,
      bufferMinutes: 0,
      advanceBookingDays: 14,
      cancellationDeadlineHours: 2,
      cancellationFee: 1000,
      allowedMembershipTypes: [],
      allowsReciprocalVisitors: false,
      maxOpenBookingsPerMember: 5,
      maxBookingsPerWeek: null,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    await harness.db.withTenant(alpha, (tx) => createFacilityQueries(tx).insert(row));
  });
  afterAll(async () => {
    await harness.close();
  });

  async function signedInWhenSettled<T extends Account>(account: T): Promise<T> {
    // Time for the link's event to reach the auth service, before the token is tried.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (let attempt = 0; ; attempt++) {
      const { login } = await data(
        harness.post('mutation($input: LoginInput!) { login(input: $input) { token } }', {
          input: { email: account.email, password: PASSWORD },
        }),
      );
      const as = harness.as(login.token);
      const { body } = await as('{ me { id } }');
      if (!body.errors || attempt > 50) return { ...account, token: login.token, as };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  function subscribe(token: string, query: string, variables: Record<string, unknown> = {}) {
    const client = createGraphqlWsClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${token}` },
    });
    const received: { bookingUpdates: { id: string; status: string; facility: { name: string } } }[] = [];
    const errors: unknown[] = [];
    client.subscribe<(typeof received)[number]>(
      { query, variables },
      {
        next: (message) => {
          if (message.data) received.push(message.data);
          if (message.errors) errors.push(message.errors);
        },
        error: (error) => errors.push(error),
        complete: () => undefined,
      },
    );
    return { client, received, errors };
  }

  async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('books through create_booking; the member and the club staff hear of it, another club does not', async () => {
    const updates = operation('subscriptions/booking_updates.graphql');
    const full = operation('bookings/booking_updates.graphql');
    const own = subscribe(member.token, full, {});
    const desk = subscribe(staff.token, updates, {});
    const strangerStaff = subscribe(otherStaff.token, updates, {});
    const strangerMember = subscribe(otherMember.token, updates, {});
    const strangerPeeking = subscribe(otherStaff.token, updates, { userId: member.userId });
    // Every subscription in place before the booking (a busy machine may take seconds to get there).
    await until(() => harness.subscriptionListenerCount('booking.status_changed') >= 5, 60_000);

    const created = await data(
      member.as(operation('bookings/create_booking.graphql'), {
        input: {
          facilityId,
          startTime: tomorrowAt('10:00'),
          endTime: tomorrowAt('11:00'),
          purpose: 'Singles practice',
          guestCount: 1,
          specialRequests: 'Balls, please',
        },
      }),
    );
    bookingId = created.createFacilityBooking.id;
    expect(created.createFacilityBooking).toMatchObject({
      clubId: alpha,
      facilityId,
      memberId: member.memberId,
      startTime: tomorrowAt('10:00'),
      endTime: tomorrowAt('11:00'),
      status: 'CONFIRMED',
      purpose: 'Singles practice',
      guestCount: 1,
      facility: { id: facilityId, name: 'Centre Court', type: 'TENNIS_COURT' },
    });

    await until(() => own.received.length > 0 && desk.received.length > 0, 60_000);
    expect(own.received[0]?.bookingUpdates).toMatchObject({
      id: bookingId,
      status: 'CONFIRMED',
      facility: { name: 'Centre Court', capacity: 2 },
      paymentStatus: 'PAID',
    });
    expect(desk.received[0]?.bookingUpdates.id).toBe(bookingId);
    // Give a wrongly delivered message time to arrive before asserting there was none.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(strangerStaff.received).toEqual([]);
    expect(strangerMember.received).toEqual([]);
    expect(strangerPeeking.received).toEqual([]);
    for (const subscriber of [own, desk, strangerStaff, strangerMember, strangerPeeking]) {
      await subscriber.client.dispose();
    }
  });

  it('refuses a booking outside opening hours with its reasons, and writes nothing', async () => {
    const before = await harness.db.withTenant(alpha, (tx) =>
      tx.query<{ n: number }>('SELECT count(*)::int AS n FROM club.bookings'),
    );
    const refused = await errorOf(
      member.as(operation('bookings/create_booking.graphql'), {
        input: { facilityId, startTime: tomorrowAt('05:00'), endTime: tomorrowAt('06:00') },
      }),
    );
    expect(refused).toMatchObject({ code: 'BOOKING_REFUSED', reasons: ['OUTSIDE_OPENING_HOURS'] });
    const after = await harness.db.withTenant(alpha, (tx) =>
      tx.query<{ n: number }>('SELECT count(*)::int AS n FROM club.bookings'),
    );
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
    // Another club's member does not see the facility at all.
    const stranger = await errorOf(
      otherMember.as(operation('bookings/create_booking.graphql'), {
        input: { facilityId, startTime: tomorrowAt('12:00'), endTime: tomorrowAt('13:00') },
      }),
    );
    expect(stranger.code).toBe('NOT_FOUND');
  });

  it('reads the booking, the club list, my bookings and upcoming bookings', async () => {
    const one = await data(member.as(operation('bookings/booking.graphql'), { id: bookingId }));
    expect(one.facilityBooking).toMatchObject({
      id: bookingId,
      specialRequests: 'Balls, please',
      totalCost: 0,
      currency: 'GBP',
      paymentStatus: 'PAID',
      checkInTime: null,
      facility: { capacity: 2 },
    });
    // Beyond what the booking carries of its facility, the facility service answers.
    const wider = await data(
      member.as(
        'query($id: ID!) { facilityBooking(id: $id) { facility { id name clubId advanceBookingDays } } }',
        {
          id: bookingId,
        },
      ),
    );
    expect(wider.facilityBooking.facility).toEqual({
      id: facilityId,
      name: 'Centre Court',
      clubId: alpha,
      advanceBookingDays: expect.any(Number),
    });
    const hidden = await data(otherStaff.as(operation('bookings/booking.graphql'), { id: bookingId }));
    expect(hidden.facilityBooking).toBeNull();

    const list = await data(
      staff.as(operation('bookings/bookings.graphql'), {
        pagination: { page: 1, pageSize: 10 },
        status: 'CONFIRMED',
        startDate: tomorrowAt('00:00'),
        endDate: tomorrowAt('23:30'),
      }),
    );
    expect(list.facilityBookings.nodes.map((node: { id: string }) => node.id)).toEqual([bookingId]);
    expect(list.facilityBookings.pageInfo).toEqual({
      page: 1,
      pageSize: 10,
      total: 1,
      totalPages: 1,
      hasNextPage: false,
      hasPrevPage: false,
    });
    expect((await errorOf(member.as(operation('bookings/bookings.graphql'), {}))).code).toBe('FORBIDDEN');

    const mine = await data(
      member.as(operation('bookings/my_bookings.graphql'), { pagination: { page: 1, pageSize: 5 } }),
    );
    expect(mine.myFacilityBookings.nodes).toEqual([
      expect.objectContaining({ id: bookingId, status: 'CONFIRMED' }),
    ]);
    const upcoming = await data(member.as(operation('bookings/upcoming_bookings.graphql'), { days: 7 }));
    expect(upcoming.upcomingBookings).toEqual({
      nodes: [
        {
          id: bookingId,
          facility: { name: 'Centre Court', type: 'TENNIS_COURT' },
          startTime: tomorrowAt('10:00'),
          endTime: tomorrowAt('11:00'),
          status: 'CONFIRMED',
        },
      ],
      pageInfo: { total: 1 },
    });
  });

  it('reschedules, confirms a requested booking, checks in and out, and cancels', async () => {
    const updated = await data(
      member.as(operation('bookings/update_booking.graphql'), {
        id: bookingId,
        input: {
          startTime: tomorrowAt('14:00'),
          endTime: tomorrowAt('15:30'),
          guestCount: 3,
          purpose: 'Doubles',
        },
      }),
    );
    expect(updated.updateFacilityBooking).toMatchObject({
      id: bookingId,
      startTime: tomorrowAt('14:00'),
      endTime: tomorrowAt('15:30'),
      guestCount: 3,
      purpose: 'Doubles',
      specialRequests: 'Balls, please',
    });

    // A booking awaiting the club's confirmation (as a facility needing approval makes them).
    const requestedId = uuidv7();
    await harness.db.withTenant(alpha, (tx) =>
      tx.query(
        `INSERT INTO club.bookings (id, club_id, facility_id, unit, member_id, user_id, starts_at, ends_at, blocked_until,
           status, currency, payment_status, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $7, 'REQUESTED', 'GBP', 'PAID', $5, now(), now())`,
        [
          requestedId,
          alpha,
          facilityId,
          member.memberId,
          member.userId,
          tomorrowAt('18:00'),
          tomorrowAt('19:00'),
        ],
      ),
    );
    expect(
      (await errorOf(member.as(operation('bookings/confirm_booking.graphql'), { bookingId: requestedId })))
        .code,
    ).toBe('FORBIDDEN');
    const confirmed = await data(
      staff.as(operation('bookings/confirm_booking.graphql'), { bookingId: requestedId }),
    );
    expect(confirmed.confirmFacilityBooking).toMatchObject({ id: requestedId, status: 'CONFIRMED' });
    const again = await errorOf(
      staff.as(operation('bookings/confirm_booking.graphql'), { bookingId: requestedId }),
    );
    expect(again.code).toBe('CONFLICT');

    const checkedIn = await data(staff.as(operation('bookings/check_in_booking.graphql'), { bookingId }));
    expect(checkedIn.checkInFacilityBooking).toMatchObject({ id: bookingId, status: 'CHECKED_IN' });
    expect(checkedIn.checkInFacilityBooking.checkInTime).toBeTruthy();
    const checkedOut = await data(member.as(operation('bookings/check_out_booking.graphql'), { bookingId }));
    expect(checkedOut.checkOutFacilityBooking).toMatchObject({ id: bookingId, status: 'CHECKED_OUT' });
    expect(checkedOut.checkOutFacilityBooking.checkOutTime).toBeTruthy();

    const cancelled = await data(
      member.as(operation('bookings/cancel_booking.graphql'), {
        bookingId: requestedId,
        reason: 'Rain forecast',
      }),
    );
    expect(cancelled.cancelFacilityBooking).toMatchObject({
      id: requestedId,
      status: 'CANCELLED',
      cancellationReason: 'Rain forecast',
    });
    expect(cancelled.cancelFacilityBooking.cancelledAt).toBeTruthy();
    const stranger = await errorOf(
      otherStaff.as(operation('bookings/cancel_booking.graphql'), { bookingId, reason: 'mine now' }),
    );
    expect(stranger.code).toBe('NOT_FOUND');
  });

  it("answers the club's booking statistics to its staff", async () => {
    const statistics = await data(
      staff.as(operation('bookings/booking_statistics.graphql'), {
        startDate: tomorrowAt('00:00'),
        endDate: tomorrowAt('23:30'),
      }),
    );
    expect(statistics.bookingStatistics).toEqual({
      totalBookings: 2,
      confirmedBookings: 0,
      cancelledBookings: 1,
      completedBookings: 1,
      noShowBookings: 0,
      averageBookingDuration: 75,
    });
    const extra = await data(
      staff.as(
        'query($s: Time!, $e: Time!) { bookingStatistics(startDate: $s, endDate: $e) { utilizationRate facilities { facilityName bookedMinutes openMinutes } } }',
        { s: tomorrowAt('00:00'), e: tomorrowAt('23:30') },
      ),
    );
    // Open 07:00-22:00 on two units; 90 minutes used (the cancelled booking does not count).
    expect(extra.bookingStatistics.facilities).toEqual([
      { facilityName: 'Centre Court', bookedMinutes: 90, openMinutes: 1800 },
    ]);
    expect(extra.bookingStatistics.utilizationRate).toBeCloseTo(90 / 1800);
    const refused = await errorOf(
      member.as(operation('bookings/booking_statistics.graphql'), {
        startDate: tomorrowAt('00:00'),
        endDate: tomorrowAt('23:30'),
      }),
    );
    expect(refused.code).toBe('FORBIDDEN');
  });
});
