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
  amenities: string[];
  location: string | null;
  images: string[];
  requiresApproval: boolean;
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
  max_bookings_per_week AS "maxBookingsPerWeek", amenities, location, images,
  requires_approval AS "requiresApproval", created_at AS "createdAt", updated_at AS "updatedAt",
  deleted_at AS "deletedAt"`;

export interface ClosureRow extends Closure {
  id: string;
  clubId: string;
  facilityId: string;
  createdBy: string;
  createdAt: Date;
}

/** Which club holds each facility (club.facility_directory), read in a network transaction. */
export async function clubsOfFacilities(db: Queryable, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ facilityId: string; clubId: string }>(
    `SELECT facility_id AS "facilityId", club_id AS "clubId" FROM club.facility_directory
      WHERE facility_id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(rows.map((row) => [row.facilityId, row.clubId]));
}

/** club.facilities and club.closures (row-level security: the club's own). */
export function createFacilityQueries(db: Queryable) {
  return {
    async insert(row: FacilityRow): Promise<void> {
      await db.query(
        `INSERT INTO club.facilities (id, club_id, name, description, facility_type, status, capacity, opening_hours,
           slot_minutes, min_booking_minutes, max_booking_minutes, buffer_minutes, advance_booking_days,
           cancellation_deadline_hours, cancellation_fee, allowed_membership_types, allows_reciprocal_visitors,
           max_open_bookings_per_member, max_bookings_per_week, created_at, updated_at, deleted_at,
           amenities, location, images, requires_approval)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
           $23, $24, $25, $26)`,
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
          row.amenities,
          row.location,
          row.images,
          row.requiresApproval,
        ],
      );
    },

    /** Writes every setting of a facility held FOR UPDATE (findById) in the same transaction. */
    async update(row: FacilityRow): Promise<void> {
      await db.query(
        `UPDATE club.facilities SET name = $2, description = $3, facility_type = $4, status = $5, capacity = $6,
           opening_hours = $7, slot_minutes = $8, min_booking_minutes = $9, max_booking_minutes = $10,
           buffer_minutes = $11, advance_booking_days = $12, cancellation_deadline_hours = $13,
           cancellation_fee = $14, allowed_membership_types = $15, allows_reciprocal_visitors = $16,
           max_open_bookings_per_member = $17, max_bookings_per_week = $18, amenities = $19, location = $20,
           images = $21, requires_approval = $22, updated_at = $23
         WHERE id = $1 AND deleted_at IS NULL`,
        [
          row.id,
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
          row.amenities,
          row.location,
          row.images,
          row.requiresApproval,
          row.updatedAt,
        ],
      );
    },

    async markDeleted(id: string, at: Date): Promise<void> {
      await db.query(`UPDATE club.facilities SET deleted_at = $2, updated_at = $2 WHERE id = $1`, [id, at]);
    },

    async findByIds(ids: readonly string[]): Promise<FacilityRow[]> {
      if (ids.length === 0) return [];
      const { rows } = await db.query<FacilityRow>(
        `SELECT ${FACILITY_COLUMNS} FROM club.facilities WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL`,
        [ids],
      );
      return rows;
    },

    /** A club's facilities by name, filtered; `types` null: every type. */
    async list(
      clubId: string,
      filter: { types: readonly string[] | null; isActive: boolean | null; visitorsOnly: boolean },
      page: { limit: number; offset: number },
    ): Promise<{ rows: FacilityRow[]; total: number }> {
      const where = `club_id = $1 AND deleted_at IS NULL AND ($2::text[] IS NULL OR facility_type = ANY($2))
        AND ($3::boolean IS NULL OR (status = 'ACTIVE') = $3) AND (NOT $4 OR allows_reciprocal_visitors)`;
      const params = [clubId, filter.types, filter.isActive, filter.visitorsOnly];
      const [found, counted] = await Promise.all([
        db.query<FacilityRow>(
          `SELECT ${FACILITY_COLUMNS} FROM club.facilities WHERE ${where} ORDER BY name, id LIMIT $5 OFFSET $6`,
          [...params, page.limit, page.offset],
        ),
        db.query<{ total: number }>(
          `SELECT count(*)::int AS total FROM club.facilities WHERE ${where}`,
          params,
        ),
      ]);
      return { rows: found.rows, total: counted.rows[0]?.total ?? 0 };
    },

    async insertClosure(row: ClosureRow): Promise<void> {
      await db.query(
        `INSERT INTO club.closures (id, club_id, facility_id, kind, starts_at, ends_at, reason, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          row.id,
          row.clubId,
          row.facilityId,
          row.kind,
          row.startsAt,
          row.endsAt,
          row.reason,
          row.createdBy,
          row.createdAt,
        ],
      );
    },

    /** Whether a closure of this facility was there to remove. */
    async deleteClosure(facilityId: string, closureId: string): Promise<boolean> {
      const { rowCount } = await db.query(`DELETE FROM club.closures WHERE id = $1 AND facility_id = $2`, [
        closureId,
        facilityId,
      ]);
      return (rowCount ?? 0) > 0;
    },

    /** The facility's own closures (not the club's) overlapping [from, to), oldest first. */
    async listClosures(facilityId: string, from: Date, to: Date): Promise<ClosureRow[]> {
      const { rows } = await db.query<ClosureRow>(
        `SELECT id, club_id AS "clubId", facility_id AS "facilityId", kind, starts_at AS "startsAt",
                ends_at AS "endsAt", reason, created_by AS "createdBy", created_at AS "createdAt"
           FROM club.closures WHERE facility_id = $1 AND starts_at < $3 AND ends_at > $2 ORDER BY starts_at, id`,
        [facilityId, from, to],
      );
      return rows;
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
