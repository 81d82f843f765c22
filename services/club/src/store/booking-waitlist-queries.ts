import type { Queryable } from '@clubland/db';

export interface WaitlistEntry {
  id: string;
  clubId: string;
  facilityId: string;
  memberId: string | null;
  userId: string | null;
  startsAt: Date;
  endsAt: Date;
  guestCount: number;
  purpose: string | null;
  createdBy: string;
  createdAt: Date;
}

const COLUMNS = `id, club_id AS "clubId", facility_id AS "facilityId", member_id AS "memberId", user_id AS "userId",
  starts_at AS "startsAt", ends_at AS "endsAt", guest_count AS "guestCount", purpose, created_by AS "createdBy",
  created_at AS "createdAt"`;

/** club.booking_waitlist (row-level security: the club's own). First come, first booked. */
export function createWaitlistQueries(db: Queryable) {
  return {
    /** Adds the entry; false when the member already waits for that range. */
    async add(entry: WaitlistEntry): Promise<boolean> {
      const { rowCount } = await db.query(
        `INSERT INTO club.booking_waitlist (id, club_id, facility_id, member_id, user_id, starts_at, ends_at,
           guest_count, purpose, status, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'WAITING', $10, $11)
         ON CONFLICT DO NOTHING`,
        [
          entry.id,
          entry.clubId,
          entry.facilityId,
          entry.memberId,
          entry.userId,
          entry.startsAt,
          entry.endsAt,
          entry.guestCount,
          entry.purpose,
          entry.createdBy,
          entry.createdAt,
        ],
      );
      return rowCount === 1;
    },

    /** 1 for the first waiting for that exact range. */
    async positionOf(entry: {
      id: string;
      facilityId: string;
      startsAt: Date;
      endsAt: Date;
    }): Promise<number> {
      const { rows } = await db.query<{ position: number }>(
        `SELECT count(*)::int AS position FROM club.booking_waitlist w, club.booking_waitlist me
          WHERE me.id = $1 AND w.facility_id = $2 AND w.starts_at = $3 AND w.ends_at = $4 AND w.status = 'WAITING'
            AND (w.created_at, w.id) <= (me.created_at, me.id)`,
        [entry.id, entry.facilityId, entry.startsAt, entry.endsAt],
      );
      return rows[0]?.position ?? 0;
    },

    /**
     * Entries waiting for a range inside [from, to) of the facility, oldest first, locked (a
     * concurrent cancellation promotes the others: SKIP LOCKED).
     */
    async waitingWithin(facilityId: string, from: Date, to: Date): Promise<WaitlistEntry[]> {
      const { rows } = await db.query<WaitlistEntry>(
        `SELECT ${COLUMNS} FROM club.booking_waitlist
          WHERE facility_id = $1 AND status = 'WAITING' AND starts_at >= $2 AND ends_at <= $3
          ORDER BY created_at, id LIMIT 20 FOR UPDATE SKIP LOCKED`,
        [facilityId, from, to],
      );
      return rows;
    },

    async markPromoted(id: string, bookingId: string): Promise<void> {
      await db.query(`UPDATE club.booking_waitlist SET status = 'PROMOTED', booking_id = $2 WHERE id = $1`, [
        id,
        bookingId,
      ]);
    },
  };
}
