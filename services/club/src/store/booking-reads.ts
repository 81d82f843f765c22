import type { Queryable } from '@clubland/db';
import type { FutureBookings, HeldBookings } from '../app/deps.ts';
import type { HeldRange } from '../domain/availability.ts';

/**
 * The facilities' view of club.bookings (the bookings' table, migration 0004): how many are open
 * from a moment on, and which hold units over a range. Until that table exists (a database
 * migrated before it) there are no bookings; once it exists it is never dropped, so its presence
 * is remembered after the first sighting.
 */
const OPEN = `status IN ('REQUESTED', 'CONFIRMED', 'CHECKED_IN')`;

/**
 * Implied by `ends_at > at` (blocked_until is the end plus the buffer), and said so that the open
 * bookings index (migration 0006) bounds the read to bookings not over yet, not the whole history.
 */
const NOT_OVER = (at: string) => `blocked_until > ${at}`;

export function createBookingReads(): FutureBookings & HeldBookings {
  let present = false;
  const hasBookings = async (tx: Queryable): Promise<boolean> => {
    if (present) return true;
    const { rows } = await tx.query<{ present: boolean }>(
      `SELECT to_regclass('club.bookings') IS NOT NULL AS present`,
    );
    present = rows[0]?.present === true;
    return present;
  };
  return {
    async count(tx, facilityId, from) {
      if (!(await hasBookings(tx))) return 0;
      const { rows } = await tx.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM club.bookings
          WHERE facility_id = $1 AND ${OPEN} AND ends_at > $2 AND ${NOT_OVER('$2')}`,
        [facilityId, from],
      );
      return rows[0]?.count ?? 0;
    },
    async overlapping(tx, facilityId, range, excludeId) {
      if (!(await hasBookings(tx))) return [];
      const { rows } = await tx.query<HeldRange>(
        `SELECT id, starts_at AS start, ends_at AS "end" FROM club.bookings
          WHERE facility_id = $1 AND ${OPEN} AND starts_at < $3 AND ends_at > $2 AND ${NOT_OVER('$2')}
            AND ($4::uuid IS NULL OR id <> $4::uuid)
          ORDER BY starts_at`,
        [facilityId, range.from, range.to, excludeId],
      );
      return rows;
    },
  };
}
