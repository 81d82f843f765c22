import type { Queryable } from '@clubland/db';
import type { Closure, FacilityStatus, OpeningHours } from '../domain/facility.ts';

export interface FacilityRow {
  id: string;
  clubId: string;
  name: string;
  description: string | null;
  facilityType: string;
  status: FacilityStatus;
  capacity: number;
  openingHours: OpeningHours[];
  slotMinutes: number;
  minBookingMinutes: number;
  maxBookingMinutes: number;
  bufferMinutes: number;
  advanceBookingDays: number;
  cancellationDeadlineHours: number;
  /** Minor units of the club's currency. */
  cancellationFee: number;
  allowedMembershipTypes: string[];
  allowsReciprocalVisitors: boolean;
  maxOpenBookingsPerMember: number | null;
  maxBookingsPerWeek: number | null;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

export const FACILITY_COLUMNS = `id, club_id AS "clubId", name, description, facility_type AS "facilityType", status,
  capacity, opening_hours AS "openingHours", slot_minutes AS "slotMinutes", min_booking_minutes AS "minBookingMinutes",
  max_booking_minutes AS "maxBookingMinutes", buffer_minutes AS "bufferMinutes",
  advance_booking_days AS "advanceBookingDays", cancellation_deadline_hours AS "cancellationDeadlineHours",
  cancellation_fee AS "cancellationFee", allowed_membership_types AS "allowedMembershipTypes",
  allows_reciprocal_visitors AS "allowsReciprocalVisitors", max_open_bookings_per_member AS "maxOpenBookingsPerMember",
  max_bookings_per_week AS "maxBookingsPerWeek", created_at AS "createdAt", updated_at AS "updatedAt",
  deleted_at AS "deletedAt"`;

/** club.facilities and club.closures (row-level security: the club's own). */
export function createFacilityQueries(db: Queryable) {
  return {
    async insert(row: FacilityRow): Promise<void> {
      await db.query(
        `INSERT INTO club.facilities (id, club_id, name, description, facility_type, status, capacity, opening_hours,
           slot_minutes, min_booking_minutes, max_booking_minutes, buffer_minutes, advance_booking_days,
           cancellation_deadline_hours, cancellation_fee, allowed_membership_types, allows_reciprocal_visitors,
           max_open_bookings_per_member, max_bookings_per_week, created_at, updated_at, deleted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)`,
        [
          row.id,
          row.clubId,
          row.name,
          row.description,
          row.facilityType,
          row.status,
          row.capacity,
          JSON.stringify(row.openingHours),
          row.slotMinutes,
          row.minBookingMinutes,
          row.maxBookingMinutes,
          row.bufferMinutes,
          row.advanceBookingDays,
          row.cancellationDeadlineHours,
          row.cancellationFee,
          row.allowedMembershipTypes,
          row.allowsReciprocalVisitors,
          row.maxOpenBookingsPerMember,
          row.maxBookingsPerWeek,
          row.createdAt,
          row.updatedAt,
          row.deletedAt,
        ],
      );
    },

    /** A facility not deleted; `forUpdate` holds it while its bookings or schedule change. */
    async findById(id: string, options: { forUpdate?: boolean } = {}): Promise<FacilityRow | null> {
      const { rows } = await db.query<FacilityRow>(
        `SELECT ${FACILITY_COLUMNS} FROM club.facilities WHERE id = $1 AND deleted_at IS NULL${options.forUpdate ? ' FOR UPDATE' : ''}`,
        [id],
      );
      return rows[0] ?? null;
    },

    /** Closures of the facility or of its whole club that overlap [from, to). */
    async closuresOverlapping(clubId: string, facilityId: string, from: Date, to: Date): Promise<Closure[]> {
      const { rows } = await db.query<Closure>(
        `SELECT kind, starts_at AS "startsAt", ends_at AS "endsAt", reason FROM club.closures
          WHERE club_id = $1 AND (facility_id = $2 OR facility_id IS NULL) AND starts_at < $4 AND ends_at > $3
          ORDER BY starts_at`,
        [clubId, facilityId, from, to],
      );
      return rows;
    },
  };
}
