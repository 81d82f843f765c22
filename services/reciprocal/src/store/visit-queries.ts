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

    /** Writes a transition's effects on the row (check-out, cancel, no-show); the row as it is after. */
    async updateStatus(
      id: string,
      patch: Pick<VisitRow, 'status' | 'statusReason' | 'updatedAt'> &
        Partial<Pick<VisitRow, 'checkedOutAt' | 'facilitiesUsed' | 'costs' | 'notes'>>,
    ): Promise<VisitRow | null> {
      const { rows } = await db.query<VisitRow>(
        `UPDATE reciprocal.visits SET
           status = $2,
           status_reason = $3,
           updated_at = $4,
           checked_out_at = coalesce($5, checked_out_at),
           facilities_used = coalesce($6, facilities_used),
           costs = coalesce($7::jsonb, costs),
           notes = coalesce($8, notes)
         WHERE id = $1 RETURNING ${VISIT_COLUMNS}`,
        [
          id,
          patch.status,
          patch.statusReason,
          patch.updatedAt,
          patch.checkedOutAt ?? null,
          patch.facilitiesUsed ?? null,
          patch.costs ? JSON.stringify(patch.costs) : null,
          patch.notes ?? null,
        ],
      );
      return rows[0] ?? null;
    },

    /**
     * Gives a cancelled check-in's counts back (src/app/cancel-visit.ts): one visit fewer in each
     * period ('YYYY-MM', 'YYYY'), never below zero.
     */
    async giveBackCounts(
      visit: Pick<VisitRow, 'homeClubId' | 'hostClubId' | 'memberId'>,
      periods: readonly string[],
    ): Promise<number> {
      const { rowCount } = await db.query(
        `UPDATE reciprocal.visit_counts SET visits = visits - 1
          WHERE home_club_id = $1 AND member_id = $2 AND host_club_id = $3 AND period = ANY($4::text[])
            AND visits > 0`,
        [visit.homeClubId, visit.memberId, visit.hostClubId, periods],
      );
      return rowCount;
    },

    /** Visits by id with their ledger entry and currency; row-level security decides which are seen. */
    async findViewsByIds(
      ids: readonly string[],
      filter: { memberUserId?: string } = {},
    ): Promise<VisitView[]> {
      if (ids.length === 0) return [];
      const { rows } = await db.query<VisitView>(
        `SELECT ${VIEW_COLUMNS} FROM reciprocal.visits v ${LEDGER_JOIN}
          WHERE v.id = ANY($1::uuid[]) AND ($2::uuid IS NULL OR v.member_user_id = $2::uuid)`,
        [ids, filter.memberUserId ?? null],
      );
      return rows;
    },

    /** A page of visits, newest first, and how many match in all. */
    async list(filter: VisitListFilter, page: { limit: number; offset: number }): Promise<VisitPage> {
      const params: unknown[] = [];
      const where: string[] = [];
      const param = (value: unknown) => {
        params.push(value);
        return `$${params.length}`;
      };
      if (filter.clubId) {
        const club = param(filter.clubId);
        if (filter.side === 'HOST') where.push(`v.host_club_id = ${club}::uuid`);
        else if (filter.side === 'HOME') where.push(`v.home_club_id = ${club}::uuid`);
        else where.push(`(v.host_club_id = ${club}::uuid OR v.home_club_id = ${club}::uuid)`);
      }
      if (filter.memberUserId) where.push(`v.member_user_id = ${param(filter.memberUserId)}::uuid`);
      if (filter.status) where.push(`v.status = ${param(filter.status)}`);
      if (filter.from) where.push(`v.visit_date >= ${param(filter.from)}::date`);
      if (filter.to) where.push(`v.visit_date <= ${param(filter.to)}::date`);
      const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const { rows } = await db.query<VisitView & { total: string }>(
        `SELECT ${VIEW_COLUMNS}, count(*) OVER () AS total FROM reciprocal.visits v ${LEDGER_JOIN} ${clause}
          ORDER BY v.created_at DESC, v.id DESC LIMIT ${param(page.limit)} OFFSET ${param(page.offset)}`,
        params,
      );
      let total = rows.length > 0 ? Number(rows[0]!.total) : 0;
      // A page past the end returns no rows, and so no window count: count on its own.
      if (rows.length === 0 && page.offset > 0) {
        const counted = await db.query<{ total: string }>(
          `SELECT count(*) AS total FROM reciprocal.visits v ${clause}`,
          params.slice(0, -2),
        );
        total = Number(counted.rows[0]?.total ?? 0);
      }
      return { visits: rows.map(({ total: _total, ...view }) => view), total };
    },
  };
}

/** A visit as it is read for display: with its newest ledger entry and the agreement's currency. */
export interface VisitView extends VisitRow {
  ledgerTxId: string | null;
  ledgerStatus: 'PENDING' | 'SUBMITTED' | 'CONFIRMED' | 'FAILED' | null;
  ledgerRecordedAt: Date | null;
  /** The entry's fact (visit.checked_in, ...), and once CONFIRMED its block and when (the ledger's answer). */
  ledgerFact: string | null;
  ledgerBlockNumber: string | null;
  ledgerConfirmedAt: Date | null;
  ledgerError: string | null;
  /** The agreement's cost-sharing currency: the unit of every amount of the visit. */
  currency: string;
}

export interface VisitListFilter {
  /** With `side`: the club's visits as host, as home club, or both. */
  clubId?: string;
  side?: 'HOST' | 'HOME' | 'BOTH';
  memberUserId?: string;
  status?: VisitStatus;
  /** YYYY-MM-DD bounds on visit_date, inclusive. */
  from?: string;
  to?: string;
}

export interface VisitPage {
  visits: VisitView[];
  total: number;
}

const VIEW_COLUMNS = `${VISIT_COLUMNS.replace(/(^|,\s*)([a-z_]+)/g, '$1v.$2')},
  ledger.id AS "ledgerTxId", ledger.status AS "ledgerStatus", ledger.created_at AS "ledgerRecordedAt",
  ledger.fact AS "ledgerFact", ledger.block_number::text AS "ledgerBlockNumber",
  ledger.confirmed_at AS "ledgerConfirmedAt", ledger.error AS "ledgerError",
  coalesce((SELECT a.terms->'costSharing'->>'currency' FROM reciprocal.agreements a WHERE a.id = v.agreement_id), '')
    AS currency`;

/** The newest ledger entry about each visit (what its blockchainTxId names). */
const LEDGER_JOIN = `LEFT JOIN LATERAL (
    SELECT e.id, e.status, e.created_at, e.fact, e.block_number, e.confirmed_at, e.error FROM reciprocal.ledger_entries e
     WHERE e.entity_id = v.id ORDER BY e.created_at DESC, e.id DESC LIMIT 1) ledger ON true`;
