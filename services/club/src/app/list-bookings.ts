import { authorize } from '@clubland/authz';
import { ClubError } from '@clubland/errors';
import { type BookingFilter, type BookingView, createBookingQueries } from '../store/booking-queries.ts';
import { findVisibleBookings, ownClubs } from './booking-access.ts';
import type { ClubOpsDeps, UseCaseContext } from './deps.ts';

export interface Page {
  page: number;
  pageSize: number;
}

/** Bookings by id as the caller may see them (the club's staff, the member); reads skip the domain. */
export function getBookings(deps: ClubOpsDeps, context: UseCaseContext, ids: readonly string[]) {
  return findVisibleBookings(deps, context.principal, ids);
}

/** A club's bookings, earliest first, by page. Needs booking:manage at the club. */
export async function listClubBookings(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  clubId: string,
  filter: Omit<BookingFilter, 'userId'>,
  page: Page,
): Promise<{ bookings: BookingView[]; total: number }> {
  authorize(context.principal, 'booking:manage', clubId);
  return deps.db.withTenant(clubId, (tx) =>
    createBookingQueries(tx).list(filter, { limit: page.pageSize, offset: (page.page - 1) * page.pageSize }),
  );
}

/**
 * The caller's own bookings at every club they act for, earliest first, by page: each club gives
 * its first page × size, merged in order (callers belong to a handful of clubs).
 */
export async function listMyBookings(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  filter: Omit<BookingFilter, 'userId'>,
  page: Page,
): Promise<{ bookings: BookingView[]; total: number }> {
  if (!context.principal) throw new ClubError('request.unauthenticated', 'sign in first');
  const principal = context.principal;
  const limit = page.page * page.pageSize;
  let total = 0;
  const all: BookingView[] = [];
  for (const clubId of ownClubs(principal)) {
    const found = await deps.db.readAtOnce(clubId, (tx) =>
      createBookingQueries(tx).list({ ...filter, userId: principal.userId }, { limit, offset: 0 }),
    );
    total += found.total;
    all.push(...found.bookings);
  }
  all.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.id.localeCompare(b.id));
  return { bookings: all.slice((page.page - 1) * page.pageSize, limit), total };
}
