import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  type As,
  data,
  errorOf,
  mobileOperation,
  reciprocalFixtures,
} from './reciprocal-fixtures.ts';
import { type GatewayHarness, setupGateway } from './setup.ts';

const CREATE_EVENT = `mutation($input: CreateEventInput!) { createEvent(input: $input) { id status } }`;
const HOUR = 3_600_000;

/** The mobile client's events/* operations, as the app sends them, through the gateway to the club service. */
describe('club events through the gateway', () => {
  let harness: GatewayHarness;
  let clubA: string;
  let clubB: string;
  let adminA: Account;
  let ada: Account & { memberId: string };
  let ben: Account & { memberId: string };
  let outsider: Account & { memberId: string };
  let ballId: string;

  beforeAll(async () => {
    harness = await setupGateway();
    const fixtures = reciprocalFixtures(harness);
    clubA = await fixtures.club('Athenaeum');
    clubB = await fixtures.club('Boodles');
    adminA = await fixtures.account(clubA, { role: 'CLUB_ADMIN' });
    const adminB = await fixtures.account(clubB, { role: 'CLUB_ADMIN' });
    ada = await fixtures.member(clubA, adminA.as, {
      memberNumber: 'A-1',
      firstName: 'Ada',
      lastName: 'Lovelace',
    });
    ben = await fixtures.member(clubA, adminA.as, {
      memberNumber: 'A-2',
      firstName: 'Ben',
      lastName: 'Kingsley',
    });
    outsider = await fixtures.member(clubB, adminB.as as As, {
      memberNumber: 'B-1',
      firstName: 'Cy',
      lastName: 'Young',
    });
    const now = Date.now();
    ballId = (
      await data(
        adminA.as(CREATE_EVENT, {
          input: {
            title: 'Summer Ball',
            type: 'SOCIAL',
            startTime: new Date(now + 10 * 24 * HOUR).toISOString(),
            endTime: new Date(now + 10 * 24 * HOUR + 4 * HOUR).toISOString(),
            location: 'The Ballroom',
            capacity: 2,
            guestPolicy: 'FRIENDS_AND_FAMILY',
            maxGuestsPerMember: 1,
            price: 45.5,
            currency: 'GBP',
            freeCancellationDays: 3,
            cancellationFeePercentage: 50,
            organizerName: 'Events Committee',
          },
        }),
      )
    ).createEvent.id;
  }, 120_000);
  afterAll(() => harness.close());

  it('serves the eight events operations as the app sends them', async () => {
    const listed = await data(
      ada.as(mobileOperation('events/get_events'), {
        pagination: { page: 1, pageSize: 20 },
        type: 'SOCIAL',
        startDate: new Date().toISOString(),
      }),
    );
    expect(listed.events.nodes.map((event: { id: string }) => event.id)).toEqual([ballId]);
    expect(listed.events.nodes[0]).toMatchObject({
      title: 'Summer Ball',
      capacity: 2,
      availableSpots: 2,
      price: 45.5,
    });
    expect(listed.events.pageInfo).toMatchObject({ page: 1, total: 1, hasNextPage: false });

    const { event } = await data(ada.as(mobileOperation('events/get_event'), { id: ballId }));
    expect(event).toMatchObject({
      eventType: 'SOCIAL',
      requiresPayment: true,
      cancellationFeePercentage: 50,
    });

    const { checkRSVPEligibility: before } = await data(
      ada.as(mobileOperation('events/check_rsvp_eligibility'), { eventId: ballId, memberId: ada.memberId }),
    );
    expect(before).toMatchObject({
      eligible: true,
      reason: null,
      wouldBeWaitlisted: false,
      availableSpots: 2,
    });

    const { createEventRSVP: created } = await data(
      ada.as(mobileOperation('events/create_rsvp'), {
        input: {
          eventId: ballId,
          guestCount: 1,
          guestNames: ['Charles Babbage'],
          dietaryRestrictions: ['vegetarian'],
        },
      }),
    );
    expect(created).toMatchObject({
      status: 'CONFIRMED',
      response: 'YES',
      attendanceCount: 2,
      paymentAmount: 91,
      memberId: ada.memberId,
      waitlistPosition: null,
    });

    const { createEventRSVP: waiting } = await data(
      ben.as(mobileOperation('events/create_rsvp'), { input: { eventId: ballId } }),
    );
    expect(waiting).toMatchObject({ status: 'WAITLISTED', waitlistPosition: 1 });

    const { findingFriendsSubgroups } = await data(
      ben.as(mobileOperation('events/finding_friends_subgroups'), { clubId: clubA }),
    );
    expect(findingFriendsSubgroups).toEqual([
      expect.objectContaining({
        id: ballId,
        name: 'Summer Ball',
        memberCount: 1,
        description: 'Ada L. is going',
      }),
    ]);

    // Ada drops her guest: the seat goes to Ben, the waitlist's first.
    const { updateEventRSVP } = await data(
      ada.as(mobileOperation('events/update_rsvp'), { id: created.id, input: { guestCount: 0 } }),
    );
    expect(updateEventRSVP).toMatchObject({ status: 'CONFIRMED', guestCount: 0, paymentAmount: 45.5 });
    const { myEventRSVPs } = await data(
      ben.as(mobileOperation('events/my_rsvps'), { pagination: { page: 1 } }),
    );
    expect(myEventRSVPs.nodes).toEqual([expect.objectContaining({ id: waiting.id, status: 'CONFIRMED' })]);

    const { cancelEventRSVP } = await data(
      ada.as(mobileOperation('events/cancel_rsvp'), { id: created.id, reason: 'Travelling' }),
    );
    expect(cancelEventRSVP).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'Travelling',
      cancellationFee: 0,
    });
  }, 60_000);

  it("shows another club's member none of the club's events", async () => {
    expect((await errorOf(outsider.as(mobileOperation('events/get_event'), { id: ballId }))).code).toBe(
      'NOT_FOUND',
    );
    const own = await data(outsider.as(mobileOperation('events/get_events'), {}));
    expect(own.events.nodes).toEqual([]);
    const named = await errorOf(
      outsider.as(`query($c: ID) { events(clubId: $c) { nodes { id } } }`, { c: clubA }),
    );
    expect(named.code).toBe('FORBIDDEN');
    const friends = await errorOf(
      outsider.as(mobileOperation('events/finding_friends_subgroups'), { clubId: clubA }),
    );
    expect(friends.code).toBe('FORBIDDEN');
    const rsvp = await errorOf(
      outsider.as(mobileOperation('events/create_rsvp'), { input: { eventId: ballId, clubId: clubA } }),
    );
    expect(rsvp).toMatchObject({ code: 'RSVP_REFUSED', reasons: ['NOT_A_MEMBER'] });
  });
});
