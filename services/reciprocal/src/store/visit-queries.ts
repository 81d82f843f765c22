import type { Queryable } from '@clubland/db';
import type { VisitStatus } from '../domain/visit-lifecycle.ts';

/** Amounts in minor units of `currency`. */
export interface VisitCosts {
  guestFee: number;
  facilityFees: number;
  foodBeverage: number;
  other: number;
  total: number;
  currency: string;
  homeClubShare: number;
  memberShare: number;
}

export interface VisitRow {
  id: string;
  homeClubId: string;
  hostClubId: string;
  memberId: string;
  memberUserId: string | null;
  agreementId: string;
  letterId: string | null;
  status: VisitStatus;
  guestCount: number;
  purpose: string | null;
  identifiedBy: 'CARD' | 'NUMBER' | 'QR' | 'APP';
  /** YYYY-MM-DD in the host's calendar. */
  visitDate: string;
  nights: number;
  checkedInAt: Date | null;
  checkedOutAt: Date | null;
  facilitiesUsed: string[];
  costs: VisitCosts | null;
  notes: string | null;
  statusReason: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface VisitChangeRow {
  id: string;
  visitId: string;
  homeClubId: string;
  hostClubId: string;
  fromStatus: VisitStatus | null;
  toStatus: VisitStatus;
  reason: string | null;
  changedBy: string | null;
  changedAt: Date;
}

export const VISIT_COLUMNS = `id, home_club_id AS "homeClubId", host_club_id AS "hostClubId", member_id AS "memberId",
  member_user_id AS "memberUserId", agreement_id AS "agreementId", letter_id AS "letterId", status,
  guest_count AS "guestCount", purpose, identified_by AS "identifiedBy", visit_date AS "visitDate", nights,
  checked_in_at AS "checkedInAt", checked_out_at AS "checkedOutAt", facilities_used AS "facilitiesUsed", costs,
  notes, status_reason AS "statusReason", created_by AS "createdBy", created_at AS "createdAt",
  updated_at AS "updatedAt"`;

/** reciprocal.visits and their history (row-level security: the home and host clubs). */
export function createVisitQueries(db: Queryable) {
  return {
    async insert(row: VisitRow): Promise<void> {
      await db.query(
        `INSERT INTO reciprocal.visits (id, home_club_id, host_club_id, member_id, member_user_id, agreement_id,
           letter_id, status, guest_count, purpose, identified_by, visit_date, nights, checked_in_at, checked_out_at,
           facilities_used, costs, notes, status_reason, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)`,
        [
          row.id,
          row.homeClubId,
          row.hostClubId,
          row.memberId,
          row.memberUserId,
          row.agreementId,
          row.letterId,
          row.status,
          row.guestCount,
          row.purpose,
          row.identifiedBy,
          row.visitDate,
          row.nights,
          row.checkedInAt,
          row.checkedOutAt,
          row.facilitiesUsed,
          row.costs ? JSON.stringify(row.costs) : null,
          row.notes,
          row.statusReason,
          row.createdBy,
          row.createdAt,
          row.updatedAt,
        ],
      );
    },

    async findById(id: string, options: { forUpdate?: boolean } = {}): Promise<VisitRow | null> {
      const { rows } = await db.query<VisitRow>(
        `SELECT ${VISIT_COLUMNS} FROM reciprocal.visits WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
        [id],
      );
      return rows[0] ?? null;
    },

    async addChange(change: VisitChangeRow): Promise<void> {
      await db.query(
        `INSERT INTO reciprocal.visit_changes (id, visit_id, home_club_id, host_club_id, from_status, to_status,
           reason, changed_by, changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          change.id,
          change.visitId,
          change.homeClubId,
          change.hostClubId,
          change.fromStatus,
          change.toStatus,
          change.reason,
          change.changedBy,
          change.changedAt,
        ],
      );
    },
  };
}
