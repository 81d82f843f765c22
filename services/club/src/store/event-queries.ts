import type { Queryable } from '@clubland/db';
import type { EventStatus, EventType, GuestPolicy } from '../domain/event.ts';

export interface EventRow {
  id: string;
  clubId: string;
  title: string;
  description: string | null;
  eventType: EventType;
  status: EventStatus;
  startsAt: Date;
  endsAt: Date;
  location: string | null;
  imageUrl: string | null;
  capacity: number;
  seatsTaken: number;
  waitlistSeq: number;
  rsvpDeadline: Date | null;
  allowedMembershipTypes: string[];
  guestPolicy: GuestPolicy;
  maxGuestsPerMember: number;
  allowsReciprocalVisitors: boolean;
  requiresApproval: boolean;
  /** Minor units of `currency`, per person. */
  price: number;
  currency: string;
  paymentInstructions: string | null;
  freeCancellationDays: number;
  cancellationFeePercent: number;
  organizerName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  cancelledAt: Date | null;
  cancellationReason: string | null;
}

/** An event with the counts its readers see (computed from the RSVPs, never kept by hand). */
export interface EventView extends EventRow {
  tentativeCount: number;
  waitlistCount: number;
}

const COLUMNS = `e.id, e.club_id AS "clubId", e.title, e.description, e.event_type AS "eventType", e.status,
  e.starts_at AS "startsAt", e.ends_at AS "endsAt", e.location, e.image_url AS "imageUrl", e.capacity,
  e.seats_taken AS "seatsTaken", e.waitlist_seq AS "waitlistSeq", e.rsvp_deadline AS "rsvpDeadline",
  e.allowed_membership_types AS "allowedMembershipTypes", e.guest_policy AS "guestPolicy",
  e.max_guests_per_member AS "maxGuestsPerMember", e.allows_reciprocal_visitors AS "allowsReciprocalVisitors",
  e.requires_approval AS "requiresApproval", e.price::integer AS price, e.currency,
  e.payment_instructions AS "paymentInstructions", e.free_cancellation_days AS "freeCancellationDays",
  e.cancellation_fee_percent AS "cancellationFeePercent", e.organizer_name AS "organizerName",
  e.contact_email AS "contactEmail", e.contact_phone AS "contactPhone", e.created_by AS "createdBy",
  e.created_at AS "createdAt", e.updated_at AS "updatedAt", e.cancelled_at AS "cancelledAt",
  e.cancellation_reason AS "cancellationReason"`;

const COUNTS = `(SELECT count(*)::integer FROM club.rsvps r WHERE r.event_id = e.id AND r.response = 'MAYBE' AND r.status <> 'CANCELLED') AS "tentativeCount",
  (SELECT count(*)::integer FROM club.rsvps r WHERE r.event_id = e.id AND r.status = 'WAITLISTED') AS "waitlistCount"`;

/** Columns written by create and update, in insert order. */
const WRITABLE = [
  ['title', 'title'],
  ['description', 'description'],
  ['event_type', 'eventType'],
  ['status', 'status'],
  ['starts_at', 'startsAt'],
  ['ends_at', 'endsAt'],
  ['location', 'location'],
  ['image_url', 'imageUrl'],
  ['capacity', 'capacity'],
  ['rsvp_deadline', 'rsvpDeadline'],
  ['allowed_membership_types', 'allowedMembershipTypes'],
  ['guest_policy', 'guestPolicy'],
  ['max_guests_per_member', 'maxGuestsPerMember'],
  ['allows_reciprocal_visitors', 'allowsReciprocalVisitors'],
  ['requires_approval', 'requiresApproval'],
  ['price', 'price'],
  ['currency', 'currency'],
  ['payment_instructions', 'paymentInstructions'],
  ['free_cancellation_days', 'freeCancellationDays'],
  ['cancellation_fee_percent', 'cancellationFeePercent'],
  ['organizer_name', 'organizerName'],
  ['contact_email', 'contactEmail'],
  ['contact_phone', 'contactPhone'],
  ['updated_at', 'updatedAt'],
  ['cancelled_at', 'cancelledAt'],
  ['cancellation_reason', 'cancellationReason'],
] as const satisfies readonly (readonly [string, keyof EventRow])[];

export interface EventFilter {
  clubId: string;
  includeDrafts: boolean;
  /** A reciprocal visitor's list: events that allow visitors only. */
  visitorsOnly: boolean;
  status: EventStatus | null;
  eventType: EventType | null;
  from: Date | null;
  to: Date | null;
  limit: number;
  offset: number;
}

/** club.events (row-level security: the club's own). */
export function createEventQueries(db: Queryable) {
  return {
    async insert(row: EventRow): Promise<void> {
      const columns = ['id', 'club_id', 'seats_taken', 'waitlist_seq', 'created_by', 'created_at'];
      const values: unknown[] = [row.id, row.clubId, 0, 0, row.createdBy, row.createdAt];
      for (const [column, key] of WRITABLE) {
        columns.push(column);
        values.push(row[key]);
      }
      await db.query(
        `INSERT INTO club.events (${columns.join(', ')}) VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')})`,
        values,
      );
    },

    /** Writes every writable column of `row` (the use case merged the patch). */
    async update(row: EventRow): Promise<void> {
      const values: unknown[] = [row.id];
      const sets = WRITABLE.map(([column, key]) => {
        values.push(row[key]);
        return `${column} = $${values.length}`;
      });
      await db.query(`UPDATE club.events SET ${sets.join(', ')} WHERE id = $1`, values);
    },

    /**
     * `forUpdate` holds the row: every RSVP change to the event serialises on it, so seats_taken
     * and the waitlist order are read and written by one transaction at a time.
     */
    async findById(id: string, options: { forUpdate?: boolean } = {}): Promise<EventRow | null> {
      const { rows } = await db.query<EventRow>(
        `SELECT ${COLUMNS} FROM club.events e WHERE e.id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
        [id],
      );
      return rows[0] ?? null;
    },

    async viewById(id: string): Promise<EventView | null> {
      const { rows } = await db.query<EventView>(
        `SELECT ${COLUMNS}, ${COUNTS} FROM club.events e WHERE e.id = $1`,
        [id],
      );
      return rows[0] ?? null;
    },

    /** Seats and waitlist order change together, under the row's lock. */
    async setCounters(id: string, seatsTaken: number, waitlistSeq: number): Promise<void> {
      await db.query(`UPDATE club.events SET seats_taken = $2, waitlist_seq = $3 WHERE id = $1`, [
        id,
        seatsTaken,
        waitlistSeq,
      ]);
    },

    async list(filter: EventFilter): Promise<{ events: EventView[]; total: number }> {
      const where = ['e.club_id = $1'];
      const params: unknown[] = [filter.clubId];
      if (!filter.includeDrafts) where.push(`e.status <> 'DRAFT'`);
      if (filter.visitorsOnly) where.push('e.allows_reciprocal_visitors');
      if (filter.status) where.push(`e.status = $${params.push(filter.status)}`);
      if (filter.eventType) where.push(`e.event_type = $${params.push(filter.eventType)}`);
      if (filter.from) where.push(`e.ends_at > $${params.push(filter.from)}`);
      if (filter.to) where.push(`e.starts_at < $${params.push(filter.to)}`);
      const clause = where.join(' AND ');
      const total = await db.query<{ n: number }>(
        `SELECT count(*)::integer AS n FROM club.events e WHERE ${clause}`,
        params,
      );
      const { rows } = await db.query<EventView>(
        `SELECT ${COLUMNS}, ${COUNTS} FROM club.events e WHERE ${clause}
          ORDER BY e.starts_at, e.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, filter.limit, filter.offset],
      );
      return { events: rows, total: total.rows[0]?.n ?? 0 };
    },

    /** Events of the club not yet ended and not cancelled, soonest first (the "friends going" list). */
    async upcoming(clubId: string, now: Date, limit: number): Promise<EventRow[]> {
      const { rows } = await db.query<EventRow>(
        `SELECT ${COLUMNS} FROM club.events e
          WHERE e.club_id = $1 AND e.ends_at > $2 AND e.status NOT IN ('DRAFT', 'CANCELLED')
          ORDER BY e.starts_at, e.id LIMIT $3`,
        [clubId, now, limit],
      );
      return rows;
    },
  };
}
