import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { Principal } from '@clubland/authz';
import { MemberStatus } from '@clubland/contract/member/v1/members';
import { isClubError } from '@clubland/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClubServiceHarness, callerOf, eventually, principalWith, setupClubService } from './setup.ts';

/** Club events and RSVPs through ClubEventService, on the real member service (names, membership types). */
describe('club events and RSVPs', () => {
  let harness: ClubServiceHarness;
  let clubA: string;
  let clubB: string;
  let staffA: Principal;
  let numbers = 0;
  const HOUR = 3_600_000;

  async function seedMember(clubId: string, options: { type?: string; first?: string; last?: string } = {}) {
    const principal = await harness.account(clubId);
    numbers += 1;
    const admin = callerOf(principalWith('CLUB_ADMIN', clubId));
    const { member } = await harness.memberService.members.createMember({
      caller: admin,
      clubId,
      memberNumber: `E-${numbers}`,
      userId: principal.userId,
      firstName: options.first ?? `Member${numbers}`,
      lastName: options.last ?? 'Smith',
      email: `events-${numbers}-${clubId.slice(0, 8)}@example.org`,
      membershipType: options.type ?? 'PREMIUM',
    });
    await harness.memberService.members.changeMemberStatus({
      caller: admin,
      clubId,
      id: member!.id,
      status: MemberStatus.ACTIVE,
      reason: 'joined',
    });
    return { principal, memberId: member!.id };
  }

  async function createEvent(fields: Record<string, unknown> = {}, clubId = clubA) {
    const now = Date.now();
    const { event } = await harness.events.createEvent({
      caller: callerOf(staffA),
      clubId,
      fields: {
        title: 'Summer Ball',
        eventType: 'SOCIAL',
        startsAt: timestampFromDate(new Date(now + 72 * HOUR)),
        endsAt: timestampFromDate(new Date(now + 76 * HOUR)),
        capacity: 10,
        guestPolicy: 'FRIENDS_AND_FAMILY',
        maxGuestsPerMember: 2,
        ...fields,
      },
    });
    return event!;
  }

  const rsvp = (principal: Principal, eventId: string, guestCount = 0) =>
    harness.events.createRsvp({ caller: callerOf(principal), eventId, response: 'YES', guestCount });

  async function refusal(promise: Promise<unknown>): Promise<string[]> {
    try {
      await promise;
    } catch (error) {
      if (isClubError(error) && error.code === 'rsvp.refused')
        return (error.details as { reasons: string[] }).reasons;
      throw error;
    }
    throw new Error('expected a refusal');
  }

  beforeAll(async () => {
    harness = await setupClubService();
    clubA = await harness.seedClub('Athenaeum');
    clubB = await harness.seedClub('Boodles');
    staffA = principalWith('CLUB_ADMIN', clubA);
  }, 60_000);
  afterAll(() => harness.close());

  it('admits exactly the capacity of 50 concurrent RSVPs and waitlists the rest in order', async () => {
    const event = await createEvent({ capacity: 10 });
    const members: Awaited<ReturnType<typeof seedMember>>[] = [];
    for (let i = 0; i < 50; i += 1) members.push(await seedMember(clubA));
    const results = await Promise.all(members.map((member) => rsvp(member.principal, event.id)));
    const statuses = results.map((result) => result.rsvp!.status);
    expect(statuses.filter((status) => status === 'CONFIRMED')).toHaveLength(10);
    expect(statuses.filter((status) => status === 'WAITLISTED')).toHaveLength(40);
    const { event: after } = await harness.events.getEvent({ caller: callerOf(staffA), id: event.id });
    expect(after!.seatsTaken).toBe(10);
    expect(after!.waitlistCount).toBe(40);

    // Positions 1..40, each once, in the order the RSVPs got the event's lock.
    const waiting = await Promise.all(
      members.map(async (member, i) => ({
        member,
        rsvp: (await harness.events.listMyRsvps({ caller: callerOf(member.principal) })).rsvps[0]!,
        i,
      })),
    );
    const positions = waiting
      .map((entry) => entry.rsvp.waitlistPosition)
      .filter((position) => position > 0)
      .sort((a, b) => a - b);
    expect(positions).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));

    // A cancellation seats the first on the waitlist, in the same transaction; the rest move up.
    const seated = waiting.find((entry) => entry.rsvp.status === 'CONFIRMED')!;
    const first = waiting.find((entry) => entry.rsvp.waitlistPosition === 1)!;
    const second = waiting.find((entry) => entry.rsvp.waitlistPosition === 2)!;
    const { rsvp: cancelled } = await harness.events.cancelRsvp({
      caller: callerOf(seated.member.principal),
      id: seated.rsvp.id,
      reason: 'away',
    });
    expect(cancelled!.status).toBe('CANCELLED');
    const promoted = (await harness.events.listMyRsvps({ caller: callerOf(first.member.principal) }))
      .rsvps[0]!;
    expect(promoted.status).toBe('CONFIRMED');
    expect(promoted.waitlistPosition).toBe(0);
    const next = (await harness.events.listMyRsvps({ caller: callerOf(second.member.principal) })).rsvps[0]!;
    expect(next.waitlistPosition).toBe(1);
    const { event: final } = await harness.events.getEvent({ caller: callerOf(staffA), id: event.id });
    expect(final!.seatsTaken).toBe(10);
    expect(final!.waitlistCount).toBe(39);
    await eventually(() =>
      expect(
        harness.published.some(
          (published) =>
            published.type === 'rsvp.status_changed' &&
            (published.data as { rsvpId: string; from: string; changedBy: string | null }).rsvpId ===
              promoted.id &&
            (published.data as { from: string }).from === 'WAITLISTED',
        ),
      ).toBe(true),
    );
  }, 120_000);

  it('refuses with each reason, and writes nothing', async () => {
    const junior = await seedMember(clubA, { type: 'STUDENT' });
    const full = await seedMember(clubA);
    const outsider = await seedMember(clubB);
    const event = await createEvent({ allowedMembershipTypes: ['PREMIUM'], setAllowedMembershipTypes: true });
    expect(await refusal(rsvp(junior.principal, event.id))).toEqual(['MEMBERSHIP_TYPE_NOT_ELIGIBLE']);
    expect(await refusal(rsvp(full.principal, event.id, 3))).toEqual(['TOO_MANY_GUESTS']);
    const noGuests = await createEvent({ guestPolicy: 'NO_GUESTS' });
    expect(await refusal(rsvp(full.principal, noGuests.id, 1))).toEqual(['GUESTS_NOT_ALLOWED']);
    // Another club's member names the event's club: not a member (no agreement known here).
    expect(
      await refusal(
        harness.events.createRsvp({
          caller: callerOf(outsider.principal),
          clubId: clubA,
          eventId: event.id,
          response: 'YES',
        }),
      ),
    ).toEqual(['NOT_A_MEMBER']);
    const visitorsWelcome = await createEvent({ allowsReciprocalVisitors: true });
    expect(
      await refusal(
        harness.events.createRsvp({
          caller: callerOf(outsider.principal),
          clubId: clubA,
          eventId: visitorsWelcome.id,
          response: 'YES',
        }),
      ),
    ).toEqual(['VISITOR_NOT_ALLOWED']);

    await rsvp(full.principal, event.id);
    expect(await refusal(rsvp(full.principal, event.id))).toEqual(['ALREADY_RSVPED']);
    expect((await harness.events.listMyRsvps({ caller: callerOf(junior.principal) })).rsvps).toEqual([]);

    const passed = await createEvent({ rsvpDeadline: timestampFromDate(new Date(Date.now() - 60_000)) });
    expect(await refusal(rsvp(full.principal, passed.id))).toEqual(['DEADLINE_PASSED']);

    const cancelled = await createEvent();
    await harness.events.cancelEvent({ caller: callerOf(staffA), id: cancelled.id, reason: 'rain' });
    expect(await refusal(rsvp(full.principal, cancelled.id))).toEqual(['EVENT_CANCELLED']);
  }, 60_000);

  it('tells a member why before they ask, and that a full event would waitlist them', async () => {
    const member = await seedMember(clubA, { type: 'STUDENT' });
    const other = await seedMember(clubA);
    const event = await createEvent({
      capacity: 1,
      allowedMembershipTypes: ['PREMIUM'],
      setAllowedMembershipTypes: true,
    });
    const refusedCheck = await harness.events.checkRsvpEligibility({
      caller: callerOf(member.principal),
      eventId: event.id,
    });
    expect(refusedCheck.eligible).toBe(false);
    expect(refusedCheck.reasons).toEqual(['MEMBERSHIP_TYPE_NOT_ELIGIBLE']);
    await rsvp(other.principal, event.id);
    const third = await seedMember(clubA);
    const full = await harness.events.checkRsvpEligibility({
      caller: callerOf(third.principal),
      eventId: event.id,
    });
    expect(full).toMatchObject({
      eligible: true,
      wouldBeWaitlisted: true,
      estimatedWaitlistPosition: 1,
      availableSpots: 0,
    });
  }, 60_000);

  it('shows fellow members going by first name and last initial, never to another club', async () => {
    const ada = await seedMember(clubA, { first: 'Ada', last: 'Lovelace' });
    const ben = await seedMember(clubA, { first: 'Ben', last: 'Kingsley' });
    const me = await seedMember(clubA, { first: 'Me', last: 'Myself' });
    const outsider = await seedMember(clubB);
    const event = await createEvent({ title: 'Quiz Night' });
    await rsvp(ada.principal, event.id);
    await rsvp(ben.principal, event.id);
    await rsvp(me.principal, event.id);
    const { groups } = await harness.events.findFriendsGoing({
      caller: callerOf(me.principal),
      eventId: event.id,
    });
    expect(groups).toHaveLength(1);
    expect(groups[0]!.names).toEqual(['Ada L.', 'Ben K.']);
    expect(groups[0]!.open).toBe(true);
    await expect(
      harness.events.findFriendsGoing({ caller: callerOf(outsider.principal), clubId: clubA }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
    await expect(
      harness.events.listEvents({ caller: callerOf(outsider.principal), clubId: clubA }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
    await expect(
      harness.events.getEvent({ caller: callerOf(outsider.principal), id: event.id }),
    ).rejects.toMatchObject({
      code: 'entity.not_found',
    });
  }, 60_000);
});
