import { authorize } from '@clubland/authz';
import { invalidInput, notFound } from '@clubland/errors';
import {
  type BookingTotals,
  createBookingStatisticsQueries,
  type FacilityUse,
} from '../store/booking-statistics-queries.ts';
import { type ClubOpsDeps, clubFactOf, type UseCaseContext } from './deps.ts';

const MAX_RANGE_DAYS = 400;

export interface BookingStatistics extends BookingTotals {
  facilities: (FacilityUse & { utilisation: number })[];
}

/**
 * A club's bookings in [from, to): counts by status, upcoming, durations, lead times, and each
 * facility's utilisation (booked minutes over open minutes), computed by SQL from the bookings
 * when asked. Needs booking:manage at the club.
 */
export async function bookingStatistics(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  clubId: string,
  range: { from: Date; to: Date },
): Promise<BookingStatistics> {
  authorize(context.principal, 'booking:manage', clubId);
  if (range.to <= range.from) throw invalidInput('endDate', 'endDate must be after startDate');
  if (range.to.getTime() - range.from.getTime() > MAX_RANGE_DAYS * 86_400_000)
    throw invalidInput('endDate', `the range may span at most ${MAX_RANGE_DAYS} days`);
  const club = await clubFactOf(deps.clubs, clubId);
  if (!club) throw notFound('club', clubId);
  const now = context.clock();
  return deps.db.withTenant(clubId, async (tx) => {
    const statistics = createBookingStatisticsQueries(tx);
    const totals = await statistics.totals(range, now);
    const facilities = await statistics.facilityUse(range, club.timezone);
    return {
      ...totals,
      facilities: facilities.map((use) => ({
        ...use,
        utilisation: use.openMinutes > 0 ? use.bookedMinutes / use.openMinutes : 0,
      })),
    };
  });
}
