import { describe, expect, it } from 'vitest';
import {
  type Attendee,
  checkRsvpEligibility,
  type EligibilityInput,
  type EventTerms,
} from './rsvp-eligibility.ts';

const now = new Date('2026-06-01T12:00:00Z');
const event: EventTerms = {
  status: 'PUBLISHED',
  startsAt: new Date('2026-06-10T19:00:00Z'),
  rsvpDeadline: new Date('2026-06-08T12:00:00Z'),
  capacity: 10,
  seatsTaken: 4,
  waitlistCount: 0,
  allowedMembershipTypes: ['FULL', 'SENIOR'],
  guestPolicy: 'FRIENDS_AND_FAMILY',
  maxGuestsPerMember: 2,
  allowsReciprocalVisitors: false,
  requiresApproval: false,
};
const member: Attendee = { kind: 'member', membershipType: 'FULL', isActive: true };

function check(overrides: Partial<EligibilityInput> = {}, terms: Partial<EventTerms> = {}) {
  return checkRsvpEligibility({
    event: { ...event, ...terms },
    attendee: member,
    guestCount: 0,
    hasLiveRsvp: false,
    now,
    ...overrides,
  });
}

describe('RSVP eligibility', () => {
  it('admits an active member of an eligible type with seats free', () => {
    expect(check()).toEqual({
      eligible: true,
      reasons: [],
      wouldBeWaitlisted: false,
      estimatedWaitlistPosition: 0,
      availableSpots: 6,
    });
  });

  it('sends a member to the waitlist of a full event rather than refusing them', () => {
    const result = check({}, { seatsTaken: 10, waitlistCount: 3 });
    expect(result.eligible).toBe(true);
    expect(result.wouldBeWaitlisted).toBe(true);
    expect(result.estimatedWaitlistPosition).toBe(4);
    expect(result.availableSpots).toBe(0);
  });

  it('waitlists a party larger than the seats left', () => {
    expect(check({ guestCount: 2 }, { seatsTaken: 8 }).wouldBeWaitlisted).toBe(true);
  });

  it.each([
    ['EVENT_CANCELLED', {}, { status: 'CANCELLED' }],
    ['EVENT_NOT_OPEN', {}, { status: 'DRAFT' }],
    ['DEADLINE_PASSED', { now: new Date('2026-06-08T12:00:00Z') }, {}],
    ['DEADLINE_PASSED', { now: new Date('2026-06-10T19:00:00Z') }, { rsvpDeadline: null }],
    ['NOT_A_MEMBER', { attendee: { kind: 'stranger' } }, {}],
    [
      'NOT_A_MEMBER',
      { attendee: { kind: 'visitor', membershipType: 'FULL', isActive: true, hasActiveAgreement: true } },
      {},
    ],
    [
      'VISITOR_NOT_ALLOWED',
      { attendee: { kind: 'visitor', membershipType: 'FULL', isActive: true, hasActiveAgreement: false } },
      { allowsReciprocalVisitors: true },
    ],
    [
      'MEMBER_NOT_IN_GOOD_STANDING',
      { attendee: { kind: 'member', membershipType: 'FULL', isActive: false } },
      {},
    ],
    [
      'MEMBERSHIP_TYPE_NOT_ELIGIBLE',
      { attendee: { kind: 'member', membershipType: 'JUNIOR', isActive: true } },
      {},
    ],
    ['GUESTS_NOT_ALLOWED', { guestCount: 1 }, { guestPolicy: 'NO_GUESTS' }],
    ['GUESTS_NOT_ALLOWED', { guestCount: 1 }, { maxGuestsPerMember: 0 }],
    ['TOO_MANY_GUESTS', { guestCount: 3 }, {}],
    ['ALREADY_RSVPED', { hasLiveRsvp: true }, {}],
  ] as const)('refuses with %s', (reason, overrides, terms) => {
    const result = check(overrides as Partial<EligibilityInput>, terms as Partial<EventTerms>);
    expect(result.eligible).toBe(false);
    expect(result.reasons).toEqual([reason]);
  });

  it('admits a reciprocal visitor where the event allows them and an agreement is active', () => {
    const visitor: Attendee = {
      kind: 'visitor',
      membershipType: 'X',
      isActive: true,
      hasActiveAgreement: true,
    };
    expect(check({ attendee: visitor }, { allowsReciprocalVisitors: true }).eligible).toBe(true);
  });

  it('gives every reason at once', () => {
    const result = check(
      {
        attendee: { kind: 'member', membershipType: 'JUNIOR', isActive: false },
        guestCount: 5,
        hasLiveRsvp: true,
        now: new Date('2026-06-09T00:00:00Z'),
      },
      { status: 'CANCELLED' },
    );
    expect(result.reasons).toEqual([
      'EVENT_CANCELLED',
      'DEADLINE_PASSED',
      'MEMBER_NOT_IN_GOOD_STANDING',
      'MEMBERSHIP_TYPE_NOT_ELIGIBLE',
      'TOO_MANY_GUESTS',
      'ALREADY_RSVPED',
    ]);
  });
});
