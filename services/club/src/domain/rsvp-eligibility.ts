import { type EventStatus, type GuestPolicy, OPEN_STATUSES } from './event.ts';

/**
 * Whether someone may RSVP to an event, with every reason they may not (a member shown one reason
 * at a time fixes it only to meet the next). A full event is not a refusal: the RSVP would wait.
 */
export const RSVP_REFUSALS = [
  'EVENT_CANCELLED',
  'EVENT_NOT_OPEN',
  'DEADLINE_PASSED',
  'NOT_A_MEMBER',
  'VISITOR_NOT_ALLOWED',
  'MEMBER_NOT_IN_GOOD_STANDING',
  'MEMBERSHIP_TYPE_NOT_ELIGIBLE',
  'GUESTS_NOT_ALLOWED',
  'TOO_MANY_GUESTS',
  'ALREADY_RSVPED',
] as const;
export type RsvpRefusal = (typeof RSVP_REFUSALS)[number];

export interface EventTerms {
  status: EventStatus;
  startsAt: Date;
  rsvpDeadline: Date | null;
  capacity: number;
  seatsTaken: number;
  waitlistCount: number;
  allowedMembershipTypes: readonly string[];
  guestPolicy: GuestPolicy;
  maxGuestsPerMember: number;
  allowsReciprocalVisitors: boolean;
  requiresApproval: boolean;
}

/** Who asks: a member of the event's club, a member of another club (a visitor), or nobody we know. */
export type Attendee =
  | { kind: 'member'; membershipType: string; isActive: boolean }
  | { kind: 'visitor'; membershipType: string; isActive: boolean; hasActiveAgreement: boolean }
  | { kind: 'stranger' };

export interface EligibilityInput {
  event: EventTerms;
  attendee: Attendee;
  guestCount: number;
  hasLiveRsvp: boolean;
  now: Date;
}

export interface Eligibility {
  eligible: boolean;
  reasons: RsvpRefusal[];
  /** The event is full: a YES would join the waitlist (at `estimatedWaitlistPosition`). */
  wouldBeWaitlisted: boolean;
  estimatedWaitlistPosition: number;
  availableSpots: number;
}

export function guestsAllowed(event: Pick<EventTerms, 'guestPolicy' | 'maxGuestsPerMember'>): boolean {
  return event.guestPolicy !== 'NO_GUESTS' && event.maxGuestsPerMember > 0;
}

/** Why the event takes no RSVP (or change to one) at `now`. */
export function eventRefusals(
  event: Pick<EventTerms, 'status' | 'startsAt' | 'rsvpDeadline'>,
  now: Date,
): RsvpRefusal[] {
  const reasons: RsvpRefusal[] = [];
  if (event.status === 'CANCELLED') reasons.push('EVENT_CANCELLED');
  else if (!OPEN_STATUSES.includes(event.status)) reasons.push('EVENT_NOT_OPEN');
  const closesAt =
    event.rsvpDeadline && event.rsvpDeadline < event.startsAt ? event.rsvpDeadline : event.startsAt;
  if (now >= closesAt) reasons.push('DEADLINE_PASSED');
  return reasons;
}

/** Why the event does not take this many guests. */
export function guestRefusals(
  event: Pick<EventTerms, 'guestPolicy' | 'maxGuestsPerMember'>,
  guestCount: number,
): RsvpRefusal[] {
  if (guestCount === 0) return [];
  if (!guestsAllowed(event)) return ['GUESTS_NOT_ALLOWED'];
  return guestCount > event.maxGuestsPerMember ? ['TOO_MANY_GUESTS'] : [];
}

export function checkRsvpEligibility(input: EligibilityInput): Eligibility {
  const { event, attendee } = input;
  const reasons = eventRefusals(event, input.now);
  if (attendee.kind === 'stranger') reasons.push('NOT_A_MEMBER');
  else if (attendee.kind === 'visitor' && !(event.allowsReciprocalVisitors && attendee.hasActiveAgreement))
    reasons.push(event.allowsReciprocalVisitors ? 'VISITOR_NOT_ALLOWED' : 'NOT_A_MEMBER');
  if (attendee.kind !== 'stranger') {
    if (!attendee.isActive) reasons.push('MEMBER_NOT_IN_GOOD_STANDING');
    if (
      attendee.kind === 'member' &&
      event.allowedMembershipTypes.length > 0 &&
      !event.allowedMembershipTypes.includes(attendee.membershipType)
    )
      reasons.push('MEMBERSHIP_TYPE_NOT_ELIGIBLE');
  }
  reasons.push(...guestRefusals(event, input.guestCount));
  if (input.hasLiveRsvp) reasons.push('ALREADY_RSVPED');

  // Behind a waitlist, a new party waits too (the waitlist is served in order).
  const availableSpots = event.waitlistCount > 0 ? 0 : Math.max(0, event.capacity - event.seatsTaken);
  const wouldBeWaitlisted = 1 + input.guestCount > availableSpots;
  return {
    eligible: reasons.length === 0,
    reasons,
    wouldBeWaitlisted,
    estimatedWaitlistPosition: wouldBeWaitlisted ? event.waitlistCount + 1 : 0,
    availableSpots,
  };
}
