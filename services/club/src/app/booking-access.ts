import { can, type Principal } from '@clubland/authz';
import { ClubError, notFound } from '@clubland/errors';
import { type BookingView, createBookingQueries } from '../store/booking-queries.ts';
import type { ClubOpsDeps } from './deps.ts';

/**
 * Who may see and change a booking: the club's staff (booking:manage) and the member whose booking
 * it is (by account). Reads run inside the tenant transaction of a club the caller acts for, so
 * row-level security has the last word; a booking they cannot see reads as missing.
 */

/** Clubs where the caller acts: their home club and every club where they hold a role. */
export function ownClubs(principal: Principal): string[] {
  const clubs = new Set<string>(principal.homeClubId ? [principal.homeClubId] : []);
  for (const grant of principal.grants) if (grant.clubId !== null) clubs.add(grant.clubId);
  return [...clubs];
}

export type BookingActor = 'staff' | 'member';

export function actorFor(
  principal: Principal,
  booking: Pick<BookingView, 'clubId' | 'userId'>,
): BookingActor | null {
  if (can(principal, 'booking:manage', booking.clubId)) return 'staff';
  if (booking.userId !== null && booking.userId === principal.userId) return 'member';
  return null;
}

/** Bookings by id as the caller may see them; the others absent, as unknown ids are. */
export async function findVisibleBookings(
  deps: ClubOpsDeps,
  principal: Principal | null,
  ids: readonly string[],
): Promise<BookingView[]> {
  if (!principal || ids.length === 0) return [];
  const found = new Map<string, BookingView>();
  for (const clubId of ownClubs(principal)) {
    const staff = can(principal, 'booking:manage', clubId);
    const rows = await deps.db.readAtOnce(clubId, (tx) =>
      createBookingQueries(tx).findByIds(ids, staff ? {} : { userId: principal.userId }),
    );
    for (const row of rows) found.set(row.id, row);
    if (found.size === ids.length) break;
  }
  return ids.flatMap((id) => found.get(id) ?? []);
}

/**
 * The booking and the role the caller acts in, when it is one of `allowed`: missing (NOT_FOUND) if
 * they cannot see it, FORBIDDEN if they see it but may not change it this way.
 */
export async function requireBookingActor(
  deps: ClubOpsDeps,
  principal: Principal,
  bookingId: string,
  allowed: readonly BookingActor[],
): Promise<{ booking: BookingView; actor: BookingActor }> {
  const [booking] = await findVisibleBookings(deps, principal, [bookingId]);
  if (!booking) throw notFound('booking', bookingId);
  const actor = actorFor(principal, booking);
  if (!actor || !allowed.includes(actor)) {
    throw new ClubError('request.forbidden', 'missing permission booking:manage at the club', {
      permission: 'booking:manage',
    });
  }
  return { booking, actor };
}
