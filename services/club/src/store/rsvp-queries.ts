import type { Queryable } from '@clubland/db';
import type { RsvpResponse, RsvpStatus, RsvpType } from '../domain/event.ts';

export interface RsvpRow {
  id: string;
  clubId: string;
  eventId: string;
  memberId: string;
  userId: string;
  displayName: string;
  rsvpType: RsvpType;
  response: RsvpResponse;
  status: RsvpStatus;
  guestCount: number;
  guestNames: string[];
  dietaryRestrictions: string[];
  specialRequests: string | null;
  seatingPreferences: string | null;
  seats: number;
  waitlistSeq: number | null;
  paymentStatus: 'PENDING' | 'PAID' | 'REFUNDED' | 'FAILED';
  /** Minor units of the event's currency. */
  paymentAmount: number;
  cancellationFee: number;
  feeWaived: boolean;
  rsvpedAt: Date;
  updatedAt: Date;
  cancelledAt: Date | null;
  cancellationReason: string | null;
}

/** An RSVP as read: with its place on the waitlist (1-based, 0 when not waiting) and its event's currency. */
export interface RsvpView extends RsvpRow {
  waitlistPosition: number;
  currency: string;
}

export interface RsvpChangeRow {
  id: string;
  clubId: string;
  rsvpId: string;
  fromStatus: RsvpStatus | null;
  toStatus: RsvpStatus;
  reason: string | null;
  /** Null: the system (a waitlist promotion). */
  changedBy: string | null;
  changedAt: Date;
}

const COLUMNS = `r.id, r.club_id AS "clubId", r.event_id AS "eventId", r.member_id AS "memberId", r.user_id AS "userId",
  r.display_name AS "displayName", r.rsvp_type AS "rsvpType", r.response, r.status, r.guest_count AS "guestCount",
  r.guest_names AS "guestNames", r.dietary_restrictions AS "dietaryRestrictions", r.special_requests AS "specialRequests",
  r.seating_preferences AS "seatingPreferences", r.seats, r.waitlist_seq AS "waitlistSeq",
  r.payment_status AS "paymentStatus", r.payment_amount::integer AS "paymentAmount",
  r.cancellation_fee::integer AS "cancellationFee", r.fee_waived AS "feeWaived", r.rsvped_at AS "rsvpedAt",
  r.updated_at AS "updatedAt", r.cancelled_at AS "cancelledAt", r.cancellation_reason AS "cancellationReason"`;

const VIEW = `${COLUMNS},
  CASE WHEN r.status = 'WAITLISTED' THEN (SELECT count(*)::integer FROM club.rsvps w
    WHERE w.event_id = r.event_id AND w.status = 'WAITLISTED' AND w.waitlist_seq <= r.waitlist_seq) ELSE 0 END
    AS "waitlistPosition",
  (SELECT e.currency FROM club.events e WHERE e.id = r.event_id) AS currency`;

/** club.rsvps and club.rsvp_changes (row-level security: the club's own). */
export function createRsvpQueries(db: Queryable) {
  return {
    async insert(row: RsvpRow): Promise<void> {
      await db.query(
        `INSERT INTO club.rsvps (id, club_id, event_id, member_id, user_id, display_name, rsvp_type, response, status,
           guest_count, guest_names, dietary_restrictions, special_requests, seating_preferences, seats, waitlist_seq,
           payment_status, payment_amount, cancellation_fee, fee_waived, rsvped_at, updated_at, cancelled_at,
           cancellation_reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
           $23, $24)`,
        [
          row.id,
          row.clubId,
          row.eventId,
          row.memberId,
          row.userId,
          row.displayName,
          row.rsvpType,
          row.response,
          row.status,
          row.guestCount,
          row.guestNames,
          row.dietaryRestrictions,
          row.specialRequests,
          row.seatingPreferences,
          row.seats,
          row.waitlistSeq,
          row.paymentStatus,
          row.paymentAmount,
          row.cancellationFee,
          row.feeWaived,
          row.rsvpedAt,
          row.updatedAt,
          row.cancelledAt,
          row.cancellationReason,
        ],
      );
    },

    async update(row: RsvpRow): Promise<void> {
      await db.query(
        `UPDATE club.rsvps SET response = $2, status = $3, guest_count = $4, guest_names = $5,
           dietary_restrictions = $6, special_requests = $7, seating_preferences = $8, seats = $9, waitlist_seq = $10,
           payment_amount = $11, cancellation_fee = $12, fee_waived = $13, updated_at = $14, cancelled_at = $15,
           cancellation_reason = $16
         WHERE id = $1`,
        [
          row.id,
          row.response,
          row.status,
          row.guestCount,
          row.guestNames,
          row.dietaryRestrictions,
          row.specialRequests,
          row.seatingPreferences,
          row.seats,
          row.waitlistSeq,
          row.paymentAmount,
          row.cancellationFee,
          row.feeWaived,
          row.updatedAt,
          row.cancelledAt,
          row.cancellationReason,
        ],
      );
    },

    async findById(id: string): Promise<RsvpRow | null> {
      const { rows } = await db.query<RsvpRow>(`SELECT ${COLUMNS} FROM club.rsvps r WHERE r.id = $1`, [id]);
      return rows[0] ?? null;
    },

    async viewById(id: string): Promise<RsvpView | null> {
      const { rows } = await db.query<RsvpView>(`SELECT ${VIEW} FROM club.rsvps r WHERE r.id = $1`, [id]);
      return rows[0] ?? null;
    },

    /** The member's live RSVP to the event (at most one: rsvps_one_live_per_member). */
    async findLive(eventId: string, memberId: string): Promise<RsvpRow | null> {
      const { rows } = await db.query<RsvpRow>(
        `SELECT ${COLUMNS} FROM club.rsvps r WHERE r.event_id = $1 AND r.member_id = $2 AND r.status <> 'CANCELLED'`,
        [eventId, memberId],
      );
      return rows[0] ?? null;
    },

    /** The event's waitlist in order. */
    async waitlist(eventId: string): Promise<RsvpRow[]> {
      const { rows } = await db.query<RsvpRow>(
        `SELECT ${COLUMNS} FROM club.rsvps r WHERE r.event_id = $1 AND r.status = 'WAITLISTED' ORDER BY r.waitlist_seq`,
        [eventId],
      );
      return rows;
    },

    /** Every live RSVP of the event (to cancel them with it). */
    async live(eventId: string): Promise<RsvpRow[]> {
      const { rows } = await db.query<RsvpRow>(
        `SELECT ${COLUMNS} FROM club.rsvps r WHERE r.event_id = $1 AND r.status <> 'CANCELLED' ORDER BY r.rsvped_at`,
        [eventId],
      );
      return rows;
    },

    async listByUser(
      userId: string,
      status: RsvpStatus | null,
      limit: number,
      offset: number,
    ): Promise<{ rsvps: RsvpView[]; total: number }> {
      const params: unknown[] = [userId];
      const where = `r.user_id = $1${status ? ` AND r.status = $${params.push(status)}` : ''}`;
      const total = await db.query<{ n: number }>(
        `SELECT count(*)::integer AS n FROM club.rsvps r WHERE ${where}`,
        params,
      );
      const { rows } = await db.query<RsvpView>(
        `SELECT ${VIEW} FROM club.rsvps r JOIN club.events e ON e.id = r.event_id WHERE ${where}
          ORDER BY e.starts_at, r.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, limit, offset],
      );
      return { rsvps: rows, total: total.rows[0]?.n ?? 0 };
    },

    /** Display names of members of the club seated (YES) at each event, earliest RSVP first, leaving out `exceptUserId`. */
    async goingByEvent(
      eventIds: readonly string[],
      exceptUserId: string,
    ): Promise<{ eventId: string; displayName: string }[]> {
      if (eventIds.length === 0) return [];
      const { rows } = await db.query<{ eventId: string; displayName: string }>(
        `SELECT r.event_id AS "eventId", r.display_name AS "displayName" FROM club.rsvps r
          WHERE r.event_id = ANY($1::uuid[]) AND r.rsvp_type = 'PRIMARY' AND r.response = 'YES'
            AND r.status IN ('CONFIRMED', 'PENDING', 'ATTENDED') AND r.user_id <> $2
          ORDER BY r.rsvped_at, r.id`,
        [eventIds, exceptUserId],
      );
      return rows;
    },

    async addChange(change: RsvpChangeRow): Promise<void> {
      await db.query(
        `INSERT INTO club.rsvp_changes (id, club_id, rsvp_id, from_status, to_status, reason, changed_by, changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          change.id,
          change.clubId,
          change.rsvpId,
          change.fromStatus,
          change.toStatus,
          change.reason,
          change.changedBy,
          change.changedAt,
        ],
      );
    },

    async changesOf(rsvpId: string): Promise<RsvpChangeRow[]> {
      const { rows } = await db.query<RsvpChangeRow>(
        `SELECT id, club_id AS "clubId", rsvp_id AS "rsvpId", from_status AS "fromStatus", to_status AS "toStatus",
           reason, changed_by AS "changedBy", changed_at AS "changedAt"
         FROM club.rsvp_changes WHERE rsvp_id = $1 ORDER BY changed_at, id`,
        [rsvpId],
      );
      return rows;
    },
  };
}
