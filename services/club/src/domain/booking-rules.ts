import type { ScheduleRefusal } from './facility-schedule.ts';

/**
 * Why a booking is refused: the schedule's reasons (facility-schedule.ts), the booker's standing,
 * the facility's per-member caps, and the unit being taken. Every reason that applies is given
 * together, so the app can say all of them at once.
 */
export type BookingRefusal =
  | ScheduleRefusal
  | 'NOT_A_MEMBER'
  | 'MEMBER_NOT_ACTIVE'
  | 'MEMBERSHIP_TYPE_NOT_ALLOWED'
  | 'TOO_MANY_GUESTS'
  | 'OPEN_BOOKINGS_CAP_REACHED'
  | 'WEEKLY_CAP_REACHED'
  | 'TOO_MANY_NO_SHOWS'
  | 'SLOT_TAKEN';

/** Guests a booking may bring besides the member. */
export const MAX_GUESTS = 12;

/**
 * No-shows within NO_SHOW_WINDOW_DAYS before a new booking that stop a member from booking: missed
 * bookings count against the member, and wear off.
 */
export const NO_SHOW_LIMIT = 3;
export const NO_SHOW_WINDOW_DAYS = 90;

/** Who books, as the member service describes them at the facility's club. */
export interface Booker {
  /** Null when the booker has no member record at the club (a reciprocal visitor). */
  memberId: string | null;
  userId: string | null;
  status: 'PENDING' | 'ACTIVE' | 'SUSPENDED' | 'EXPIRED' | 'INACTIVE' | null;
  membershipType: string | null;
}

export function checkBooker(
  booker: Booker,
  facility: { allowedMembershipTypes: readonly string[] },
  guestCount: number,
): BookingRefusal[] {
  const reasons: BookingRefusal[] = [];
  if (booker.memberId === null) reasons.push('NOT_A_MEMBER');
  else if (booker.status !== 'ACTIVE') reasons.push('MEMBER_NOT_ACTIVE');
  if (
    booker.memberId !== null &&
    facility.allowedMembershipTypes.length > 0 &&
    !facility.allowedMembershipTypes.includes(booker.membershipType ?? '')
  )
    reasons.push('MEMBERSHIP_TYPE_NOT_ALLOWED');
  if (guestCount > MAX_GUESTS) reasons.push('TOO_MANY_GUESTS');
  return reasons;
}

/** The member's bookings as counted inside the booking's transaction, with their lock held. */
export interface BookerCounts {
  /** Open bookings (REQUESTED, CONFIRMED, CHECKED_IN) at this facility, not counting the one changed. */
  open: number;
  /** Bookings (not cancelled) at this facility starting in the new booking's local week. */
  inWeek: number;
  /** No-shows at the club within NO_SHOW_WINDOW_DAYS. */
  recentNoShows: number;
}

export function checkCaps(
  facility: { maxOpenBookingsPerMember: number | null; maxBookingsPerWeek: number | null },
  counts: BookerCounts,
): BookingRefusal[] {
  const reasons: BookingRefusal[] = [];
  if (facility.maxOpenBookingsPerMember !== null && counts.open >= facility.maxOpenBookingsPerMember)
    reasons.push('OPEN_BOOKINGS_CAP_REACHED');
  if (facility.maxBookingsPerWeek !== null && counts.inWeek >= facility.maxBookingsPerWeek)
    reasons.push('WEEKLY_CAP_REACHED');
  if (counts.recentNoShows >= NO_SHOW_LIMIT) reasons.push('TOO_MANY_NO_SHOWS');
  return reasons;
}

/**
 * The fee for cancelling at `now`: the facility's fee when later than its deadline (hours before
 * the start), nothing before it. Staff may waive it (`waived`), e.g. when the club cancels.
 */
export function cancellationFeeOf(
  facility: { cancellationDeadlineHours: number; cancellationFee: number },
  startsAt: Date,
  now: Date,
  waived = false,
): number {
  if (waived) return 0;
  const deadline = startsAt.getTime() - facility.cancellationDeadlineHours * 3_600_000;
  return now.getTime() > deadline ? facility.cancellationFee : 0;
}
