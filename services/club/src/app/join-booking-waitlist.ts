import { authorize } from '@clubland/authz';
import { ClubError, notFound } from '@clubland/errors';
import type { Booker } from '../domain/booking-rules.ts';
import { createWaitlistQueries } from '../store/booking-waitlist-queries.ts';
import { createFacilityQueries } from '../store/facility-queries.ts';
import { refused } from './booking-record.ts';
import { reasonsAgainst } from './create-booking.ts';
import { type ClubOpsDeps, clubFactOf, type UseCaseContext } from './deps.ts';

export interface JoinWaitlistInput {
  clubId: string;
  facilityId: string;
  memberId: string | null;
  startsAt: Date;
  endsAt: Date;
  guestCount: number;
  purpose: string | null;
}

/**
 * Queues the member for a range they could book but for a free unit: every other reason a booking
 * would be refused refuses the place in the queue too (so a promotion never books what the rules
 * forbid at the time of joining). The first in the queue is booked when the range frees
 * (booking-record.ts promoteWaiting).
 */
export async function joinBookingWaitlist(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  input: JoinWaitlistInput,
): Promise<{ id: string; position: number }> {
  if (!context.principal) throw new ClubError('request.unauthenticated', 'sign in first');
  const principal = context.principal;
  let booker: Booker;
  if (input.memberId !== null) {
    authorize(principal, 'booking:manage', input.clubId);
    const member = await deps.bookers.member(principal, input.clubId, input.memberId);
    if (!member) throw notFound('member', input.memberId);
    booker = member;
  } else {
    booker = await deps.bookers.self(principal, input.clubId);
    if (booker.memberId !== null) authorize(principal, 'booking:create', input.clubId);
  }
  const club = await clubFactOf(deps.clubs, input.clubId);
  if (!club) throw notFound('club', input.clubId);
  const now = context.clock();
  return deps.db.withTenant(input.clubId, async (tx) => {
    const facility = await createFacilityQueries(tx).findById(input.facilityId);
    if (!facility) throw notFound('facility', input.facilityId);
    const reasons = await reasonsAgainst(tx, {
      facility,
      booker,
      range: input,
      guestCount: input.guestCount,
      timezone: club.timezone,
      now,
      exceptId: null,
    });
    if (reasons.length > 0) throw refused(reasons);
    const waitlist = createWaitlistQueries(tx);
    const entry = {
      id: context.newId(),
      clubId: input.clubId,
      facilityId: facility.id,
      memberId: booker.memberId,
      userId: booker.userId,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      guestCount: input.guestCount,
      purpose: input.purpose,
      createdBy: principal.userId,
      createdAt: now,
    };
    if (!(await waitlist.add(entry)))
      throw new ClubError('booking.already_waiting', 'the member already waits for that range');
    return { id: entry.id, position: await waitlist.positionOf(entry) };
  });
}
