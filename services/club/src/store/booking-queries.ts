import type { Queryable } from '@clubland/db';
import type { BookingStatus } from '../domain/booking-lifecycle.ts';

export type PaymentStatus = 'PENDING' | 'PAID' | 'REFUNDED' | 'FAILED';

/** A booking as the service reads it: its row and the facility's name, type and capacity. */
export interface BookingView {
  id: string;
  clubId: string;
  facilityId: string;
  unit: number;
  memberId: string | null;
  userId: string | null;
  startsAt: Date;
  endsAt: Date;
  status: BookingStatus;
  guestCount: number;
  purpose: string | null;
  specialRequests: string | null;
  totalCost: number;
  currency: string;
  paymentStatus: PaymentStatus;
  checkedInAt: Date | null;
  checkedOutAt: Date | null;
  cancelledAt: Date | null;
  cancellationReason: string | null;
  cancellationFee: number;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  facilityName: string;
  facilityType: string;
  facilityCapacity: number;
}

/** What a new booking is made of; its unit is the first free one (insertInFreeUnit). */
export interface NewBooking {
  id: string;
  clubId: string;
  facilityId: string;
  memberId: string | null;
  userId: string | null;
  startsAt: Date;
  endsAt: Date;
  blockedUntil: Date;
  status: BookingStatus;
  guestCount: number;
  purpose: string | null;
  specialRequests: string | null;
  currency: string;
  createdBy: string;
  createdAt: Date;
}

export interface BookingChangeRow {
  id: string;
  clubId: string;
  bookingId: string;
  fromStatus: BookingStatus | null;
  toStatus: BookingStatus;
  reason: string | null;
  changedBy: string | null;
  changedAt: Date;
}

export interface BookingFilter {
  status?: BookingStatus | null;
  from?: Date | null;
  to?: Date | null;
  openOnly?: boolean;
  /** Only this account's bookings. */
  userId?: string | null;
}

const OPEN = `('REQUESTED', 'CONFIRMED', 'CHECKED_IN')`;

const VIEW_COLUMNS = `b.id, b.club_id AS "clubId", b.facility_id AS "facilityId", b.unit, b.member_id AS "memberId",
  b.user_id AS "userId", b.starts_at AS "startsAt", b.ends_at AS "endsAt", b.status, b.guest_count AS "guestCount",
  b.purpose, b.special_requests AS "specialRequests", b.total_cost AS "totalCost", b.currency,
  b.payment_status AS "paymentStatus", b.checked_in_at AS "checkedInAt", b.checked_out_at AS "checkedOutAt",
  b.cancelled_at AS "cancelledAt", b.cancellation_reason AS "cancellationReason",
  b.cancellation_fee AS "cancellationFee", b.created_by AS "createdBy", b.created_at AS "createdAt",
  b.updated_at AS "updatedAt", f.name AS "facilityName", f.facility_type AS "facilityType",
  f.capacity AS "facilityCapacity"`;

const VIEW = `${VIEW_COLUMNS}
  FROM club.bookings b JOIN club.facilities f ON f.id = b.facility_id`;

/**
 * The first unit of the facility (1..$cap) with no open booking overlapping [$start, $blocked),
 * other than booking $self. A guess the exclusion constraint confirms: two transactions may pick
 * the same unit, and the second's write then fails with 23P01. The overlap is written with plain
 * comparisons, not tstzrange's &&, so that row-level security lets the open bookings index serve it
 * (migration 0006): the facility's bookings not over yet, not its whole history.
 */
const FREE_UNIT = `SELECT u.unit FROM generate_series(1, $CAP::int) AS u(unit)
  WHERE NOT EXISTS (
    SELECT 1 FROM club.bookings o
     WHERE o.facility_id = $FACILITY::uuid AND o.unit = u.unit AND o.status IN ${OPEN} AND o.id <> $SELF::uuid
       AND o.blocked_until > $START::timestamptz AND o.starts_at < $BLOCKED::timestamptz)
  ORDER BY u.unit LIMIT 1`;

const freeUnitSql = (params: {
  cap: number;
  facility: number;
  self: number;
  start: number;
  blocked: number;
}) =>
  FREE_UNIT.replace('$CAP', `$${params.cap}`)
    .replace('$FACILITY', `$${params.facility}`)
    .replace('$SELF', `$${params.self}`)
    .replace('$START', `$${params.start}`)
    .replace('$BLOCKED', `$${params.blocked}`);

/** club.bookings, club.booking_changes, club.booking_holders (row-level security: the club's own). */
export function createBookingQueries(db: Queryable) {
  async function findById(id: string, options: { forUpdate?: boolean } = {}): Promise<BookingView | null> {
    const { rows } = await db.query<BookingView>(
      `SELECT ${VIEW} WHERE b.id = $1${options.forUpdate ? ' FOR UPDATE OF b' : ''}`,
      [id],
    );
    return rows[0] ?? null;
  }

  return {
    findById,

    async findByIds(ids: readonly string[], options: { userId?: string } = {}): Promise<BookingView[]> {
      const { rows } = await db.query<BookingView>(
        `SELECT ${VIEW} WHERE b.id = ANY($1::uuid[])${options.userId ? ' AND b.user_id = $2' : ''}`,
        options.userId ? [ids, options.userId] : [ids],
      );
      return rows;
    },

    /**
     * Inserts the booking into the facility's first free unit and answers it as the other reads
     * do (in the same statement: no read back); null when every unit is taken for the range.
     */
    async insertInFreeUnit(row: NewBooking, capacity: number): Promise<BookingView | null> {
      const { rows } = await db.query<BookingView>(
        `WITH b AS (
           INSERT INTO club.bookings (id, club_id, facility_id, unit, member_id, user_id, starts_at, ends_at,
             blocked_until, status, guest_count, purpose, special_requests, total_cost, currency, payment_status,
             created_by, created_at, updated_at)
           SELECT $1, $2, $3, free.unit, $5, $6, $7, $8, $9, $10, $11, $12, $13, 0, $14, 'PAID', $15, $16, $16
             FROM (${freeUnitSql({ cap: 4, facility: 3, self: 1, start: 7, blocked: 9 })}) AS free
           RETURNING *)
         SELECT ${VIEW_COLUMNS} FROM b JOIN club.facilities f ON f.id = b.facility_id`,
        [
          row.id,
          row.clubId,
          row.facilityId,
          capacity,
          row.memberId,
          row.userId,
          row.startsAt,
          row.endsAt,
          row.blockedUntil,
          row.status,
          row.guestCount,
          row.purpose,
          row.specialRequests,
          row.currency,
          row.createdBy,
          row.createdAt,
        ],
      );
      return rows[0] ?? null;
    },

    /** Moves an open booking to a new range, in the first unit free for it; false when none is. */
    async moveToFreeUnit(
      booking: { id: string; facilityId: string },
      capacity: number,
      range: { startsAt: Date; endsAt: Date; blockedUntil: Date },
      at: Date,
    ): Promise<boolean> {
      const { rowCount } = await db.query(
        `UPDATE club.bookings SET unit = free.unit, starts_at = $4, ends_at = $5, blocked_until = $6, updated_at = $7
           FROM (${freeUnitSql({ cap: 3, facility: 2, self: 1, start: 4, blocked: 6 })}) AS free
          WHERE id = $1`,
        [booking.id, booking.facilityId, capacity, range.startsAt, range.endsAt, range.blockedUntil, at],
      );
      return rowCount === 1;
    },

    async updateDetails(
      id: string,
      details: { guestCount: number; purpose: string | null; specialRequests: string | null },
      at: Date,
    ): Promise<void> {
      await db.query(
        `UPDATE club.bookings SET guest_count = $2, purpose = $3, special_requests = $4, updated_at = $5 WHERE id = $1`,
        [id, details.guestCount, details.purpose, details.specialRequests, at],
      );
    },

    /** Sets the status and the time that goes with it (checked in, checked out, cancelled). */
    async setStatus(
      id: string,
      to: BookingStatus,
      at: Date,
      cancellation?: { reason: string; by: string; fee: number },
    ): Promise<void> {
      await db.query(
        `UPDATE club.bookings SET status = $2, updated_at = $3,
           checked_in_at = CASE WHEN $2 = 'CHECKED_IN' THEN $3 ELSE checked_in_at END,
           checked_out_at = CASE WHEN $2 = 'COMPLETED' THEN $3 ELSE checked_out_at END,
           cancelled_at = CASE WHEN $2 = 'CANCELLED' THEN $3 ELSE cancelled_at END,
           cancellation_reason = coalesce($4, cancellation_reason),
           cancelled_by = coalesce($5::uuid, cancelled_by),
           cancellation_fee = coalesce($6, cancellation_fee),
           total_cost = total_cost + coalesce($6, 0),
           payment_status = CASE WHEN coalesce($6, 0) > 0 THEN 'PENDING' ELSE payment_status END
         WHERE id = $1`,
        [id, to, at, cancellation?.reason ?? null, cancellation?.by ?? null, cancellation?.fee ?? null],
      );
    },

    async addChange(change: BookingChangeRow): Promise<void> {
      await db.query(
        `INSERT INTO club.booking_changes (id, club_id, booking_id, from_status, to_status, reason, changed_by, changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          change.id,
          change.clubId,
          change.bookingId,
          change.fromStatus,
          change.toStatus,
          change.reason,
          change.changedBy,
          change.changedAt,
        ],
      );
    },

    /**
     * Locks the member's row (creating it the first time) until the transaction ends: a member's
     * bookings at the club are counted one transaction after another, so concurrent requests of
     * one member cannot all pass a cap that only one of them fits under.
     */
    async lockHolder(clubId: string, holderId: string): Promise<void> {
      await db.query(
        `INSERT INTO club.booking_holders (club_id, holder_id) VALUES ($1, $2)
         ON CONFLICT (club_id, holder_id) DO UPDATE SET no_shows = club.booking_holders.no_shows`,
        [clubId, holderId],
      );
    },

    async addNoShow(clubId: string, holderId: string, at: Date): Promise<void> {
      await db.query(
        `INSERT INTO club.booking_holders (club_id, holder_id, no_shows, last_no_show_at) VALUES ($1, $2, 1, $3)
         ON CONFLICT (club_id, holder_id) DO UPDATE
           SET no_shows = club.booking_holders.no_shows + 1, last_no_show_at = $3`,
        [clubId, holderId, at],
      );
    },

    /**
     * The member's bookings the caps count (their lock held), not counting booking `exceptId`. The
     * holder is matched as `member_id = h OR (member_id IS NULL AND user_id = h)`, which the member
     * and user indexes serve, not as `coalesce(member_id, user_id) = h`, which read every booking of
     * the club (a cost growing with its history): no index is on that expression, and under
     * row-level security PostgreSQL would not take one into an index scan anyway (a coalesce is not
     * known leak-proof; tried: an expression index served the owner, not the application role).
     */
    async countsFor(input: {
      clubId: string;
      facilityId: string;
      holderId: string;
      exceptId: string;
      weekOf: Date;
      timezone: string;
      noShowsSince: Date;
    }): Promise<{ open: number; inWeek: number; recentNoShows: number }> {
      const { rows } = await db.query<{ open: number; inWeek: number; recentNoShows: number }>(
        `SELECT
           count(*) FILTER (WHERE facility_id = $2 AND status IN ${OPEN})::int AS open,
           count(*) FILTER (WHERE facility_id = $2 AND status <> 'CANCELLED'
             AND date_trunc('week', starts_at AT TIME ZONE $5) = date_trunc('week', $4::timestamptz AT TIME ZONE $5))::int
             AS "inWeek",
           count(*) FILTER (WHERE status = 'NO_SHOW' AND starts_at >= $6)::int AS "recentNoShows"
         FROM club.bookings
         WHERE club_id = $1 AND (member_id = $3 OR (member_id IS NULL AND user_id = $3)) AND id <> $7`,
        [
          input.clubId,
          input.facilityId,
          input.holderId,
          input.weekOf,
          input.timezone,
          input.noShowsSince,
          input.exceptId,
        ],
      );
      return rows[0]!;
    },

    /** Bookings by filter, earliest first, one page, with the total that match. */
    async list(
      filter: BookingFilter,
      page: { limit: number; offset: number },
    ): Promise<{ bookings: BookingView[]; total: number }> {
      const conditions: string[] = [];
      const params: unknown[] = [];
      const param = (value: unknown) => {
        params.push(value);
        return `$${params.length}`;
      };
      if (filter.status) conditions.push(`b.status = ${param(filter.status)}`);
      if (filter.openOnly) conditions.push(`b.status IN ${OPEN}`);
      if (filter.from) conditions.push(`b.ends_at > ${param(filter.from)}`);
      if (filter.to) conditions.push(`b.starts_at < ${param(filter.to)}`);
      if (filter.userId) conditions.push(`b.user_id = ${param(filter.userId)}`);
      const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
      const { rows } = await db.query<BookingView & { total: number }>(
        `SELECT ${VIEW.replace('FROM club.bookings', ', count(*) OVER ()::int AS total FROM club.bookings')} ${where}
          ORDER BY b.starts_at, b.id LIMIT ${param(page.limit)} OFFSET ${param(page.offset)}`,
        params,
      );
      let total = rows[0]?.total ?? 0;
      if (rows.length === 0 && page.offset > 0) {
        // Past the last page: no row carries the count.
        const counted = await db.query<{ total: number }>(
          `SELECT count(*)::int AS total FROM club.bookings b ${where}`,
          params.slice(0, -2),
        );
        total = counted.rows[0]!.total;
      }
      return { bookings: rows.map(({ total: _total, ...booking }) => booking), total };
    },
  };
}

export type BookingQueries = ReturnType<typeof createBookingQueries>;
