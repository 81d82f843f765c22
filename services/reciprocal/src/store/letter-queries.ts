import type { LETTER_STATUSES } from '@clubland/contract/events/reciprocal';
import type { Queryable } from '@clubland/db';

export type LetterStatus = (typeof LETTER_STATUSES)[number];

export interface LetterRow {
  id: string;
  homeClubId: string;
  hostClubId: string;
  memberId: string;
  memberUserId: string | null;
  agreementId: string | null;
  /** YYYY-MM-DD, inclusive, in the host's calendar. */
  arrivesOn: string;
  departsOn: string;
  purpose: string;
  guestCount: number;
  delivery: 'EMAIL' | 'QR_CODE' | 'API' | 'ALL';
  status: LetterStatus;
  replacesId: string | null;
  issuedBy: string;
  decidedBy: string | null;
  decidedAt: Date | null;
  statusReason: string | null;
  usedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const LETTER_COLUMNS = `id, home_club_id AS "homeClubId", host_club_id AS "hostClubId", member_id AS "memberId",
  member_user_id AS "memberUserId", agreement_id AS "agreementId", arrives_on AS "arrivesOn", departs_on AS "departsOn",
  purpose, guest_count AS "guestCount", delivery, status, replaces_id AS "replacesId", issued_by AS "issuedBy",
  decided_by AS "decidedBy", decided_at AS "decidedAt", status_reason AS "statusReason", used_at AS "usedAt",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

/** reciprocal.letters: letters of introduction (row-level security: the home and host clubs). */
export function createLetterQueries(db: Queryable) {
  return {
    async insert(row: LetterRow): Promise<void> {
      await db.query(
        `INSERT INTO reciprocal.letters (id, home_club_id, host_club_id, member_id, member_user_id, agreement_id,
           arrives_on, departs_on, purpose, guest_count, delivery, status, replaces_id, issued_by, decided_by,
           decided_at, status_reason, used_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
        [
          row.id,
          row.homeClubId,
          row.hostClubId,
          row.memberId,
          row.memberUserId,
          row.agreementId,
          row.arrivesOn,
          row.departsOn,
          row.purpose,
          row.guestCount,
          row.delivery,
          row.status,
          row.replacesId,
          row.issuedBy,
          row.decidedBy,
          row.decidedAt,
          row.statusReason,
          row.usedAt,
          row.createdAt,
          row.updatedAt,
        ],
      );
    },

    async findById(id: string, options: { forUpdate?: boolean } = {}): Promise<LetterRow | null> {
      const { rows } = await db.query<LetterRow>(
        `SELECT ${LETTER_COLUMNS} FROM reciprocal.letters WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
        [id],
      );
      return rows[0] ?? null;
    },

    /**
     * The approved letter that covers a member's visit to the host on `day` (YYYY-MM-DD), locked
     * for the check-in that will use it; null when none does.
     */
    async findUsable(
      homeClubId: string,
      memberId: string,
      hostClubId: string,
      day: string,
    ): Promise<LetterRow | null> {
      const { rows } = await db.query<LetterRow>(
        `SELECT ${LETTER_COLUMNS} FROM reciprocal.letters
          WHERE home_club_id = $1 AND member_id = $2 AND host_club_id = $3 AND status = 'APPROVED'
            AND arrives_on <= $4::date AND departs_on >= $4::date
          FOR UPDATE`,
        [homeClubId, memberId, hostClubId, day],
      );
      return rows[0] ?? null;
    },

    /** APPROVED → USED at check-in. */
    async markUsed(id: string, at: Date): Promise<void> {
      await db.query(
        `UPDATE reciprocal.letters SET status = 'USED', used_at = $2, updated_at = $2 WHERE id = $1 AND status = 'APPROVED'`,
        [id, at],
      );
    },
  };
}
