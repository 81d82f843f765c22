import { describe, expect, it } from 'vitest';
import { cancellationFeeOf, checkBooker, checkCaps, NO_SHOW_LIMIT } from './booking-rules.ts';

const active = { memberId: 'm', userId: 'u', status: 'ACTIVE' as const, membershipType: 'REGULAR' };

describe('booking rules', () => {
  it('refuses a non-member, an inactive member and a membership type not allowed', () => {
    expect(checkBooker({ ...active, memberId: null }, { allowedMembershipTypes: [] }, 0)).toEqual([
      'NOT_A_MEMBER',
    ]);
    expect(checkBooker({ ...active, status: 'SUSPENDED' }, { allowedMembershipTypes: [] }, 0)).toEqual([
      'MEMBER_NOT_ACTIVE',
    ]);
    expect(checkBooker(active, { allowedMembershipTypes: ['VIP'] }, 20)).toEqual([
      'MEMBERSHIP_TYPE_NOT_ALLOWED',
      'TOO_MANY_GUESTS',
    ]);
    expect(checkBooker(active, { allowedMembershipTypes: ['VIP', 'REGULAR'] }, 2)).toEqual([]);
  });

  it('counts caps: open bookings, bookings in the week, recent no-shows', () => {
    const caps = { maxOpenBookingsPerMember: 2, maxBookingsPerWeek: 3 };
    expect(checkCaps(caps, { open: 1, inWeek: 2, recentNoShows: 0 })).toEqual([]);
    expect(checkCaps(caps, { open: 2, inWeek: 3, recentNoShows: NO_SHOW_LIMIT })).toEqual([
      'OPEN_BOOKINGS_CAP_REACHED',
      'WEEKLY_CAP_REACHED',
      'TOO_MANY_NO_SHOWS',
    ]);
    expect(
      checkCaps(
        { maxOpenBookingsPerMember: null, maxBookingsPerWeek: null },
        { open: 50, inWeek: 50, recentNoShows: 0 },
      ),
    ).toEqual([]);
  });

  it('charges the fee only after the deadline, unless waived', () => {
    const facility = { cancellationDeadlineHours: 24, cancellationFee: 1500 };
    const start = new Date('2026-06-10T10:00:00Z');
    expect(cancellationFeeOf(facility, start, new Date('2026-06-09T09:59:00Z'))).toBe(0);
    expect(cancellationFeeOf(facility, start, new Date('2026-06-09T10:01:00Z'))).toBe(1500);
    expect(cancellationFeeOf(facility, start, new Date('2026-06-09T10:01:00Z'), true)).toBe(0);
  });
});
