import type { Queryable } from '@clubland/db';

export interface BookingTotals {
  total: number;
  requested: number;
  confirmed: number;
  checkedIn: number;
  completed: number;
  cancelled: number;
  noShows: number;
  upcoming: number;
  averageDurationMinutes: number;
  averageLeadHours: number;
  medianLeadHours: number;
}

export interface FacilityUse {
  facilityId: string;
  facilityName: string;
  bookings: number;
  bookedMinutes: number;
  openMinutes: number;
}

/**
 * Statistics computed from club.bookings and club.facilities each time they are asked for, never
 * kept by hand. Bookings count in a range by their start.
 */
export function createBookingStatisticsQueries(db: Queryable) {
  return {
    async totals(range: { from: Date; to: Date }, now: Date): Promise<BookingTotals> {
      const { rows } = await db.query<BookingTotals>(
        `SELECT count(*)::int AS total,
           count(*) FILTER (WHERE status = 'REQUESTED')::int AS requested,
           count(*) FILTER (WHERE status = 'CONFIRMED')::int AS confirmed,
           count(*) FILTER (WHERE status = 'CHECKED_IN')::int AS "checkedIn",
           count(*) FILTER (WHERE status = 'COMPLETED')::int AS completed,
           count(*) FILTER (WHERE status = 'CANCELLED')::int AS cancelled,
           count(*) FILTER (WHERE status = 'NO_SHOW')::int AS "noShows",
           count(*) FILTER (WHERE status IN ('REQUESTED', 'CONFIRMED') AND starts_at > $3)::int AS upcoming,
           coalesce(avg(extract(epoch FROM ends_at - starts_at) / 60), 0)::float8 AS "averageDurationMinutes",
           coalesce(avg(extract(epoch FROM starts_at - created_at) / 3600), 0)::float8 AS "averageLeadHours",
           coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM starts_at - created_at) / 3600), 0)::float8
             AS "medianLeadHours"
         FROM club.bookings WHERE starts_at >= $1 AND starts_at < $2`,
        [range.from, range.to, now],
      );
      return rows[0]!;
    },

    /**
     * Per facility: minutes booked (every booking but cancelled ones, the part inside the range)
     * and minutes open (each local day's opening hours in the club's time zone, clipped to the
     * range, times the units). Closures are not subtracted.
     */
    async facilityUse(range: { from: Date; to: Date }, timezone: string): Promise<FacilityUse[]> {
      const { rows } = await db.query<FacilityUse>(
        `WITH days AS (
           SELECT d::date AS day
             FROM generate_series(($1::timestamptz AT TIME ZONE $3)::date - 1, ($2::timestamptz AT TIME ZONE $3)::date,
                                  interval '1 day') AS d
         ),
         spans AS (
           SELECT f.id, f.capacity,
                  greatest((days.day + (h ->> 'opens')::time) AT TIME ZONE $3, $1::timestamptz) AS s,
                  least((days.day + (h ->> 'closes')::time) AT TIME ZONE $3, $2::timestamptz) AS e
             FROM club.facilities f
             CROSS JOIN days
             CROSS JOIN LATERAL jsonb_array_elements(f.opening_hours) AS h
            WHERE f.deleted_at IS NULL
              AND h ->> 'day' = (ARRAY['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'])
                                [extract(isodow FROM days.day)::int]
         ),
         open AS (
           SELECT id, sum(greatest(extract(epoch FROM e - s) / 60, 0) * capacity) AS minutes FROM spans GROUP BY id
         ),
         booked AS (
           SELECT facility_id AS id, count(*) AS bookings,
                  sum(extract(epoch FROM least(ends_at, $2::timestamptz) - greatest(starts_at, $1::timestamptz)) / 60)
                    AS minutes
             FROM club.bookings
            WHERE status <> 'CANCELLED' AND starts_at < $2 AND ends_at > $1
            GROUP BY facility_id
         )
         SELECT f.id AS "facilityId", f.name AS "facilityName", coalesce(booked.bookings, 0)::int AS bookings,
                coalesce(booked.minutes, 0)::float8 AS "bookedMinutes", coalesce(open.minutes, 0)::float8 AS "openMinutes"
           FROM club.facilities f
           LEFT JOIN open ON open.id = f.id
           LEFT JOIN booked ON booked.id = f.id
          WHERE f.deleted_at IS NULL OR booked.id IS NOT NULL
          ORDER BY f.name, f.id`,
        [range.from, range.to, timezone],
      );
      return rows;
    },
  };
}
