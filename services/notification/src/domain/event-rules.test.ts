import { userRegistered, userRoleGranted } from '@clubland/contract/events/auth';
import { bookingStatusChanged } from '@clubland/contract/events/booking';
import { clubEventStatusChanged, rsvpStatusChanged } from '@clubland/contract/events/club-events';
import { policyChanged, proposalStatusChanged } from '@clubland/contract/events/governance';
import { ledgerEntryStatusChanged } from '@clubland/contract/events/ledger';
import { memberStatusChanged } from '@clubland/contract/events/member';
import { agreementStatusChanged, letterStatusChanged } from '@clubland/contract/events/reciprocal';
import { describe, expect, it } from 'vitest';
import { NOTIFYING_EVENT_TYPES, type NotificationPlan, planNotifications } from './event-rules.ts';

const ids = {
  club: '0193a000-0000-7000-8000-000000000001',
  otherClub: '0193a000-0000-7000-8000-000000000002',
  user: '0193a000-0000-7000-8000-000000000003',
  member: '0193a000-0000-7000-8000-000000000004',
  admin: '0193a000-0000-7000-8000-000000000005',
  thing: '0193a000-0000-7000-8000-000000000006',
  other: '0193a000-0000-7000-8000-000000000007',
};
const at = '2026-12-07T10:00:00.000Z';
const built = { tenantId: ids.club, correlationId: null };
const deps = { newId: () => '0193a000-0000-7000-8000-0000000000ee' };

function booking(to: string, changes: Record<string, unknown> = {}) {
  return bookingStatusChanged.build(
    {
      ...built,
      data: {
        bookingId: ids.thing,
        clubId: ids.club,
        facilityId: ids.other,
        facilityName: 'Court 1',
        facilityType: 'TENNIS_COURT',
        facilityCapacity: 4,
        memberId: ids.member,
        memberUserId: ids.user,
        from: 'REQUESTED',
        to: to as 'CONFIRMED',
        reason: null,
        changedBy: ids.admin,
        changedAt: at,
        startsAt: '2026-12-10T17:00:00Z',
        endsAt: '2026-12-10T18:00:00Z',
        guestCount: 2,
        totalCost: 0,
        currency: 'EUR',
        paymentStatus: 'PENDING',
        checkedInAt: null,
        checkedOutAt: null,
        cancelledAt: null,
        createdAt: at,
        ...changes,
      },
    },
    deps,
  );
}

function plans(event: Parameters<typeof planNotifications>[0]): NotificationPlan[] {
  const result = planNotifications(event);
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

describe('which events notify whom', () => {
  it('tells the member their booking is confirmed, with the facts the template needs', () => {
    expect(plans(booking('CONFIRMED'))).toEqual([
      {
        templateKey: 'booking.status_changed',
        category: 'BOOKINGS',
        priority: 'NORMAL',
        audience: { kind: 'user', userId: ids.user },
        clubId: ids.club,
        values: {
          from: 'REQUESTED',
          to: 'CONFIRMED',
          facilityName: 'Court 1',
          startsAt: '2026-12-10T17:00:00Z',
          endsAt: '2026-12-10T18:00:00Z',
          guestCount: 2,
          reason: 'none',
        },
        lookups: {},
        sourceEventId: '0193a000-0000-7000-8000-0000000000ee',
      },
    ]);
  });

  it('tells of a cancellation by the club as HIGH, and not of the member own', () => {
    expect(plans(booking('CANCELLED', { reason: 'Court flooded' }))[0]).toMatchObject({
      priority: 'HIGH',
      values: { reason: 'Court flooded' },
    });
    expect(plans(booking('CANCELLED', { changedBy: ids.user }))).toEqual([]);
  });

  it('tells nobody of a visitor booking or a check-in', () => {
    expect(plans(booking('CONFIRMED', { memberId: null, memberUserId: null }))).toEqual([]);
    expect(plans(booking('CHECKED_IN', { from: 'CONFIRMED' }))).toEqual([]);
  });

  it('sends a proposed agreement to the partner admins only, and a decision to both clubs', () => {
    const agreement = (from: string | null, to: string) =>
      agreementStatusChanged.build({
        ...built,
        data: {
          agreementId: ids.thing,
          proposerClubId: ids.club,
          partnerClubId: ids.otherClub,
          from: from as 'DRAFT',
          to: to as 'PENDING',
          reason: null,
          changedBy: ids.admin,
          changedAt: at,
          startsOn: '2027-01-01',
          endsOn: null,
        },
      });
    expect(plans(agreement('DRAFT', 'PENDING')).map((p) => [p.audience, p.lookups, p.priority])).toEqual([
      [{ kind: 'club_admins', clubId: ids.otherClub }, { otherClubName: ids.club }, 'HIGH'],
    ]);
    expect(plans(agreement('PENDING', 'APPROVED')).map((p) => [p.clubId, p.lookups.otherClubName])).toEqual([
      [ids.club, ids.otherClub],
      [ids.otherClub, ids.club],
    ]);
    expect(plans(agreement(null, 'DRAFT'))).toEqual([]);
  });

  it("tells every club's admins of a network vote opening and its outcome, the proposer's of an expiry", () => {
    const proposal = (from: string | null, to: string) =>
      proposalStatusChanged.build({
        ...built,
        data: {
          proposalId: ids.thing,
          clubId: ids.club,
          title: 'One guest fee across the network',
          from: from as 'DRAFT',
          to: to as 'SUBMITTED',
          reason: null,
          changedBy: null,
          changedAt: at,
          votingEndsAt: '2026-12-22T12:00:00.000Z',
          votes: 3,
          yay: 2,
          nay: 1,
          abstain: 0,
        },
      });
    expect(
      plans(proposal('SUBMITTED', 'VOTING_OPEN')).map((p) => [p.audience, p.clubId, p.priority]),
    ).toEqual([[{ kind: 'every_club_admins' }, ids.club, 'HIGH']]);
    expect(plans(proposal('VOTING_OPEN', 'APPROVED'))[0]).toMatchObject({
      audience: { kind: 'every_club_admins' },
      values: { to: 'APPROVED', yay: 2, nay: 1, abstain: 0 },
    });
    expect(plans(proposal('VOTING_OPEN', 'WITHDRAWN'))[0]!.audience).toEqual({ kind: 'every_club_admins' });
    expect(plans(proposal('SUBMITTED', 'EXPIRED'))[0]!.audience).toEqual({
      kind: 'club_admins',
      clubId: ids.club,
    });
    expect(plans(proposal(null, 'DRAFT'))).toEqual([]);
    expect(plans(proposal('DRAFT', 'SUBMITTED'))).toEqual([]);
    expect(plans(proposal('SUBMITTED', 'WITHDRAWN'))).toEqual([]);
  });

  it("asks the club's members to acknowledge a policy put in force that asks for it, and nothing else", () => {
    const policy = (change: string, requiresAcknowledgment: boolean) =>
      policyChanged.build({
        ...built,
        data: {
          policyId: ids.thing,
          clubId: ids.club,
          name: 'Dress code',
          version: '2',
          change: change as 'ACTIVATED',
          isActive: change === 'ACTIVATED',
          requiresAcknowledgment,
          effectiveDate: at,
        },
      });
    expect(plans(policy('ACTIVATED', true)).map((p) => p.audience)).toEqual([
      { kind: 'club_members', clubId: ids.club },
    ]);
    expect(plans(policy('ACTIVATED', false))).toEqual([]);
    expect(plans(policy('UPDATED', true))).toEqual([]);
    expect(plans(policy('CREATED', true))).toEqual([]);
  });

  it('marks a waitlist promotion HIGH and names the event for lookup', () => {
    const rsvp = rsvpStatusChanged.build({
      ...built,
      data: {
        rsvpId: ids.thing,
        eventId: ids.other,
        clubId: ids.club,
        memberId: ids.member,
        userId: ids.user,
        from: 'WAITLISTED',
        to: 'CONFIRMED',
        response: 'YES',
        seats: 2,
        reason: null,
        changedBy: null,
        changedAt: at,
      },
    });
    expect(plans(rsvp)[0]).toMatchObject({ priority: 'HIGH', lookups: { eventTitle: ids.other } });
  });

  it('tells every member when registration opens and only the attendees of a cancellation', () => {
    const event = (from: string | null, to: string) =>
      clubEventStatusChanged.build({
        ...built,
        data: {
          eventId: ids.thing,
          clubId: ids.club,
          from: from as 'PUBLISHED',
          to: to as 'REGISTRATION_OPEN',
          reason: null,
          changedBy: ids.admin,
          changedAt: at,
          startsAt: '2026-12-24T19:00:00Z',
        },
      });
    expect(plans(event('PUBLISHED', 'REGISTRATION_OPEN'))[0]).toMatchObject({
      priority: 'LOW',
      audience: { kind: 'club_members', clubId: ids.club },
    });
    expect(plans(event('REGISTRATION_OPEN', 'CANCELLED'))[0]).toMatchObject({
      priority: 'HIGH',
      audience: { kind: 'event_attendees', clubId: ids.club, eventId: ids.thing },
    });
    expect(plans(event('DRAFT', 'CANCELLED'))).toEqual([]);
  });

  it('tells the member of a suspension as HIGH, and nothing when the record has no account', () => {
    const change = (userId: string | null) =>
      memberStatusChanged.build({
        ...built,
        data: {
          memberId: ids.member,
          clubId: ids.club,
          userId,
          from: 'ACTIVE',
          to: 'SUSPENDED',
          reason: 'Unpaid dues',
          changedBy: ids.admin,
          changedAt: at,
        },
      });
    expect(plans(change(ids.user))[0]).toMatchObject({ priority: 'HIGH', category: 'MEMBERSHIP' });
    expect(plans(change(null))).toEqual([]);
    const blank = memberStatusChanged.build({
      ...built,
      data: { ...change(ids.user).data, reason: '  ' },
    });
    expect(plans(blank)[0]?.values.reason).toBe('none');
  });

  it('tells club admins of a failed ledger entry only', () => {
    const entry = (status: 'FAILED' | 'CONFIRMED') =>
      ledgerEntryStatusChanged.build({
        ...built,
        data: {
          entryId: ids.thing,
          entityKind: 'visit',
          entityId: ids.other,
          clubId: ids.club,
          counterpartyClubId: null,
          status,
          blockNumber: status === 'CONFIRMED' ? 7 : null,
          error: status === 'FAILED' ? 'peer unreachable' : null,
          at,
        },
      });
    expect(plans(entry('FAILED'))[0]).toMatchObject({
      audience: { kind: 'club_admins', clubId: ids.club },
      values: { entityKind: 'visit', error: 'peer unreachable' },
    });
    expect(plans(entry('CONFIRMED'))).toEqual([]);
  });

  it('ignores system role grants and registrations, and events it does not know', () => {
    const grant = (grantedBy: string | null, role: 'MEMBER' | 'STAFF') =>
      userRoleGranted.build({ ...built, data: { userId: ids.user, role, clubId: ids.club, grantedBy } });
    expect(plans(grant(null, 'MEMBER'))).toEqual([]);
    expect(plans(grant(ids.admin, 'STAFF'))[0]).toMatchObject({ templateKey: 'user.role_granted' });
    const registered = userRegistered.build({
      ...built,
      data: {
        userId: ids.user,
        clubId: ids.club,
        email: 'ada@example.com',
        username: null,
        firstName: 'Ada',
        lastName: 'L',
        status: 'ACTIVE',
      },
    });
    expect(plans(registered)).toEqual([]);
    expect(plans({ ...registered, type: 'something.new' })).toEqual([]);
    expect(NOTIFYING_EVENT_TYPES).not.toContain('user.registered');
  });

  it('refuses a known event whose data does not match its schema', () => {
    const letter = letterStatusChanged.build({
      ...built,
      data: {
        letterId: ids.thing,
        homeClubId: ids.club,
        hostClubId: ids.otherClub,
        memberId: ids.member,
        memberUserId: ids.user,
        from: 'PENDING',
        to: 'APPROVED',
        reason: null,
        changedBy: ids.admin,
        changedAt: at,
        arrivesOn: '2027-02-01',
        departsOn: '2027-02-05',
        delivery: 'EMAIL',
      },
    });
    expect(plans(letter)[0]).toMatchObject({ clubId: ids.club, lookups: { otherClubName: ids.otherClub } });
    expect(planNotifications({ ...letter, data: { ...letter.data, to: 'LOST' } })).toMatchObject({
      ok: false,
      code: 'request.invalid_input',
    });
  });
});
