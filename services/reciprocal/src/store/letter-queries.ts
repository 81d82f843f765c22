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

/** One move of a letter: who, when, why (reciprocal.letter_changes, append-only). */
export interface LetterChangeRow {
  id: string;
  letterId: string;
  homeClubId: string;
  hostClubId: string;
  /** Null for the letter's issue. */
  fromStatus: LetterStatus | null;
  toStatus: LetterStatus;
  reason: string | null;
  /** Null for the system (the expiry job). */
  changedBy: string | null;
  changedAt: Date;
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

    async findByIds(ids: readonly string[]): Promise<LetterRow[]> {
      if (ids.length === 0) return [];
      const { rows } = await db.query<LetterRow>(
        `SELECT ${LETTER_COLUMNS} FROM reciprocal.letters WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      return rows;
    },

    /** Moves a letter to `status` (the use case checked the move on the locked row). */
    async setStatus(
      id: string,
      patch: {
        status: LetterStatus;
        statusReason: string | null;
        updatedAt: Date;
        decidedBy?: string;
      },
    ): Promise<LetterRow> {
      const { rows } = await db.query<LetterRow>(
        `UPDATE reciprocal.letters SET status = $2, status_reason = $3, updated_at = $4,
           decided_by = coalesce($5, decided_by), decided_at = CASE WHEN $5::uuid IS NULL THEN decided_at ELSE $4 END
         WHERE id = $1 RETURNING ${LETTER_COLUMNS}`,
        [id, patch.status, patch.statusReason, patch.updatedAt, patch.decidedBy ?? null],
      );
      return rows[0]!;
    },

    /**
     * A club's letters, newest first: as host, as home club, or both. Row-level security already
     * confines the transaction to letters the club is party to; the side narrows it.
     */
    async listForClub(
      clubId: string,
      filter: { side: 'HOST' | 'HOME' | 'BOTH'; status: LetterStatus | null },
      page: { limit: number; offset: number },
    ): Promise<{ rows: LetterRow[]; total: number }> {
      const side =
        filter.side === 'HOST'
          ? 'host_club_id = $1'
          : filter.side === 'HOME'
            ? 'home_club_id = $1'
            : '(host_club_id = $1 OR home_club_id = $1)';
      const where = `WHERE ${side} AND ($2::text IS NULL OR status = $2)`;
      const { rows } = await db.query<LetterRow & { total: string }>(
        `SELECT ${LETTER_COLUMNS}, count(*) OVER () AS total FROM reciprocal.letters ${where}
          ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4`,
        [clubId, filter.status, page.limit, page.offset],
      );
      return { rows: rows.map(withoutTotal), total: totalOf(rows) };
    },

    /** The letters of one account issued by `homeClubId`, newest first. */
    async listForAccount(
      homeClubId: string,
      userId: string,
      status: LetterStatus | null,
    ): Promise<LetterRow[]> {
      const { rows } = await db.query<LetterRow>(
        `SELECT ${LETTER_COLUMNS} FROM reciprocal.letters
          WHERE home_club_id = $1 AND member_user_id = $2 AND ($3::text IS NULL OR status = $3)
          ORDER BY created_at DESC, id DESC`,
        [homeClubId, userId, status],
      );
      return rows;
    },

    /**
     * Open letters whose last day is `lastDay` or earlier, by last day then id, after `after`
     * (keyset paging): the expiry job's candidates. Not locked: the job locks each before it moves it.
     */
    async findOpenEndingBy(
      lastDay: string,
      after: { departsOn: string; id: string } | null,
      limit: number,
    ): Promise<LetterRow[]> {
      const { rows } = await db.query<LetterRow>(
        `SELECT ${LETTER_COLUMNS} FROM reciprocal.letters
          WHERE status IN ('PENDING', 'APPROVED') AND departs_on <= $1::date
            AND ($2::date IS NULL OR (departs_on, id) > ($2::date, $3::uuid))
          ORDER BY departs_on, id LIMIT $4`,
        [lastDay, after?.departsOn ?? null, after?.id ?? null, limit],
      );
      return rows;
    },

    /** The newest ledger entry's id for each letter that has one (the contract's blockchainTxId). */
    async ledgerTxIds(letterIds: readonly string[]): Promise<Map<string, string>> {
      if (letterIds.length === 0) return new Map();
      const { rows } = await db.query<{ entityId: string; id: string }>(
        `SELECT DISTINCT ON (entity_id) entity_id AS "entityId", id FROM reciprocal.ledger_entries
          WHERE entity_kind = 'letter' AND entity_id = ANY($1::uuid[])
          ORDER BY entity_id, created_at DESC, id DESC`,
        [letterIds],
      );
      return new Map(rows.map((row) => [row.entityId, row.id]));
    },

    async addChange(change: LetterChangeRow): Promise<void> {
      await db.query(
        `INSERT INTO reciprocal.letter_changes (id, letter_id, home_club_id, host_club_id, from_status, to_status,
           reason, changed_by, changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          change.id,
          change.letterId,
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

    async listChanges(letterId: string): Promise<LetterChangeRow[]> {
      const { rows } = await db.query<LetterChangeRow>(
        `SELECT id, letter_id AS "letterId", home_club_id AS "homeClubId", host_club_id AS "hostClubId",
                from_status AS "fromStatus", to_status AS "toStatus", reason, changed_by AS "changedBy",
                changed_at AS "changedAt"
           FROM reciprocal.letter_changes WHERE letter_id = $1 ORDER BY changed_at, id`,
        [letterId],
      );
      return rows;
    },
  };
}

function withoutTotal(row: LetterRow & { total: string }): LetterRow {
  const { total: _total, ...letter } = row;
  return letter;
}

function totalOf(rows: readonly { total: string }[]): number {
  return rows.length === 0 ? 0 : Number(rows[0]!.total);
}
