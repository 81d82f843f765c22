import type { Queryable } from '@clubland/db';
import type { Obligation } from '../domain/netting.ts';
import type { SettledVisit } from '../domain/settlement.ts';

export interface PeriodRow {
  /** 'YYYY-MM' */
  period: string;
  startsOn: string;
  endsOn: string;
  status: 'OPEN' | 'CLOSED';
  openedAt: Date;
  closedBy: string | null;
  closedAt: Date | null;
}

export interface StatementRow {
  id: string;
  period: string;
  clubAId: string;
  clubBId: string;
  linesHash: string;
  visitCount: number;
  issuedAt: Date;
  disputableUntil: Date;
}

export interface LineRow {
  id: string;
  statementId: string;
  clubAId: string;
  clubBId: string;
  lineNo: number;
  kind: 'VISIT' | 'ADJUSTMENT';
  visitId: string | null;
  agreementId: string | null;
  visitDate: string | null;
  payerClubId: string;
  payeeClubId: string;
  /** Minor units of `currency`. */
  amount: number;
  currency: string;
  adjustsLineId: string | null;
  note: string | null;
  createdAt: Date;
}

export interface DisputeRow {
  id: string;
  statementId: string;
  lineId: string;
  clubAId: string;
  clubBId: string;
  raisedByClubId: string;
  raisedBy: string;
  reason: string;
  status: 'OPEN' | 'RESOLVED';
  raisedAt: Date;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  adjustmentLineId: string | null;
}

const PERIOD_COLUMNS = `period, starts_on AS "startsOn", ends_on AS "endsOn", status, opened_at AS "openedAt",
  closed_by AS "closedBy", closed_at AS "closedAt"`;
const STATEMENT_COLUMNS = `id, period, club_a_id AS "clubAId", club_b_id AS "clubBId", lines_hash AS "linesHash",
  visit_count AS "visitCount", issued_at AS "issuedAt", disputable_until AS "disputableUntil"`;
// float8: bigint arrives as a string; amounts stay exact up to 2^53 minor units.
const LINE_COLUMNS = `id, statement_id AS "statementId", club_a_id AS "clubAId", club_b_id AS "clubBId",
  line_no AS "lineNo", kind, visit_id AS "visitId", agreement_id AS "agreementId", visit_date AS "visitDate",
  payer_club_id AS "payerClubId", payee_club_id AS "payeeClubId", amount::float8 AS amount, currency,
  adjusts_line_id AS "adjustsLineId", note, created_at AS "createdAt"`;
const DISPUTE_COLUMNS = `id, statement_id AS "statementId", line_id AS "lineId", club_a_id AS "clubAId",
  club_b_id AS "clubBId", raised_by_club_id AS "raisedByClubId", raised_by AS "raisedBy", reason, status,
  raised_at AS "raisedAt", resolved_by AS "resolvedBy", resolved_at AS "resolvedAt",
  adjustment_line_id AS "adjustmentLineId"`;

/** A visit's costs as settlement reads them: no costs recorded reads as nothing owed ('XXX': no currency). */
const SETTLED_VISIT = `id AS "visitId", agreement_id AS "agreementId", visit_date AS "visitDate",
  home_club_id AS "homeClubId", host_club_id AS "hostClubId",
  coalesce((costs->>'homeClubShare')::bigint, 0)::float8 AS "homeClubShare",
  coalesce(costs->>'currency', 'XXX') AS currency`;

const ROWS_PER_INSERT = 5000;

/**
 * reciprocal.settlement_*: periods (network-wide), statements, lines and disputes (shared rows:
 * row-level security shows a statement to its two clubs and the network only), and the reads of
 * checked-out visits settlement is computed from.
 */
export function createSettlementQueries(db: Queryable) {
  return {
    /** False when the period exists already. */
    async insertPeriod(row: PeriodRow): Promise<boolean> {
      const { rowCount } = await db.query(
        `INSERT INTO reciprocal.settlement_periods (period, starts_on, ends_on, status, opened_at, closed_by, closed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (period) DO NOTHING`,
        [row.period, row.startsOn, row.endsOn, row.status, row.openedAt, row.closedBy, row.closedAt],
      );
      return rowCount === 1;
    },

    async findPeriod(period: string, options: { forUpdate?: boolean } = {}): Promise<PeriodRow | null> {
      const { rows } = await db.query<PeriodRow>(
        `SELECT ${PERIOD_COLUMNS} FROM reciprocal.settlement_periods WHERE period = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
        [period],
      );
      return rows[0] ?? null;
    },

    /** Open periods whose last day is before `today` (YYYY-MM-DD): the scheduled job closes them. */
    async duePeriods(today: string): Promise<string[]> {
      const { rows } = await db.query<{ period: string }>(
        `SELECT period FROM reciprocal.settlement_periods WHERE status = 'OPEN' AND ends_on < $1 ORDER BY period`,
        [today],
      );
      return rows.map((row) => row.period);
    },

    async closePeriod(period: string, closedBy: string | null, at: Date): Promise<PeriodRow> {
      const { rows } = await db.query<PeriodRow>(
        `UPDATE reciprocal.settlement_periods SET status = 'CLOSED', closed_by = $2, closed_at = $3
          WHERE period = $1 RETURNING ${PERIOD_COLUMNS}`,
        [period, closedBy, at],
      );
      return rows[0]!;
    },

    /**
     * The checked-out visits of the days given (inclusive), between one pair of clubs (either way
     * round) or, without a pair, of the whole network, ordered by pair, day and id.
     */
    async settledVisits(
      startsOn: string,
      endsOn: string,
      pair?: { clubA: string; clubB: string },
    ): Promise<SettledVisit[]> {
      const between = pair
        ? ` AND ((home_club_id = $3 AND host_club_id = $4) OR (home_club_id = $4 AND host_club_id = $3))`
        : '';
      const { rows } = await db.query<SettledVisit>(
        `SELECT ${SETTLED_VISIT} FROM reciprocal.visits
          WHERE status = 'CHECKED_OUT' AND visit_date BETWEEN $1 AND $2${between}
          ORDER BY least(home_club_id, host_club_id), greatest(home_club_id, host_club_id), visit_date, id`,
        pair ? [startsOn, endsOn, pair.clubA, pair.clubB] : [startsOn, endsOn],
      );
      return rows;
    },

    /**
     * What each club owes each other in the period, per currency, summed in the database: the
     * home club's share of every checked-out visit, plus the adjustments of resolved disputes on the
     * period's statements. One row per (payer, payee, currency): what netting needs, nothing more.
     */
    async networkObligations(period: string, startsOn: string, endsOn: string): Promise<Obligation[]> {
      // Hash the groups (at most clubs² × currencies) rather than sort a million rows: the parties
      // policy's OR of current_setting() makes the planner expect ~0.2% of the period's visits, so
      // it picks a sort, which spilled ~80 MB a worker to disk (1.6 s for 1,000,000 visits on
      // PostgreSQL 15; hashed: 0.8 s). Local to this transaction, which runs this query alone.
      await db.query(`SELECT set_config('enable_sort', 'off', true), set_config('work_mem', '32MB', true)`);
      const { rows } = await db.query<Obligation>(
        `SELECT payer, payee, currency, sum(amount)::float8 AS amount FROM (
           SELECT home_club_id AS payer, host_club_id AS payee, coalesce(costs->>'currency', 'XXX') AS currency,
                  sum(coalesce((costs->>'homeClubShare')::bigint, 0)) AS amount
             FROM reciprocal.visits
            WHERE status = 'CHECKED_OUT' AND visit_date BETWEEN $2 AND $3
            GROUP BY home_club_id, host_club_id, costs->>'currency'
           UNION ALL
           SELECT l.payer_club_id, l.payee_club_id, l.currency, sum(l.amount)
             FROM reciprocal.settlement_lines l
             JOIN reciprocal.settlement_statements s ON s.id = l.statement_id
            WHERE s.period = $1 AND l.kind = 'ADJUSTMENT'
            GROUP BY l.payer_club_id, l.payee_club_id, l.currency
         ) owed
         GROUP BY payer, payee, currency`,
        [period, startsOn, endsOn],
      );
      return rows;
    },

    /** Statements in batches of a few thousand: closing a period issues one per pair of clubs. */
    async insertStatements(statements: readonly StatementRow[]): Promise<void> {
      for (let start = 0; start < statements.length; start += ROWS_PER_INSERT) {
        const batch = statements.slice(start, start + ROWS_PER_INSERT);
        const column = <K extends keyof StatementRow>(key: K) => batch.map((statement) => statement[key]);
        await db.query(
          `INSERT INTO reciprocal.settlement_statements (id, period, club_a_id, club_b_id, lines_hash, visit_count,
             issued_at, disputable_until)
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::int[],
             $7::timestamptz[], $8::timestamptz[])`,
          [
            column('id'),
            column('period'),
            column('clubAId'),
            column('clubBId'),
            column('linesHash'),
            column('visitCount'),
            batch.map((statement) => statement.issuedAt.toISOString()),
            batch.map((statement) => statement.disputableUntil.toISOString()),
          ],
        );
      }
    },

    /** Lines in batches of a few thousand: a statement per line would be a round trip per visit. */
    async insertLines(lines: readonly LineRow[]): Promise<void> {
      for (let start = 0; start < lines.length; start += ROWS_PER_INSERT) {
        const batch = lines.slice(start, start + ROWS_PER_INSERT);
        const column = <K extends keyof LineRow>(key: K) => batch.map((line) => line[key]);
        await db.query(
          `INSERT INTO reciprocal.settlement_lines (id, statement_id, club_a_id, club_b_id, line_no, kind, visit_id,
             agreement_id, visit_date, payer_club_id, payee_club_id, amount, currency, adjusts_line_id, note, created_at)
           SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::int[], $6::text[], $7::uuid[],
             $8::uuid[], $9::date[], $10::uuid[], $11::uuid[], $12::bigint[], $13::text[], $14::uuid[], $15::text[],
             $16::timestamptz[])`,
          [
            column('id'),
            column('statementId'),
            column('clubAId'),
            column('clubBId'),
            column('lineNo'),
            column('kind'),
            column('visitId'),
            column('agreementId'),
            column('visitDate'),
            column('payerClubId'),
            column('payeeClubId'),
            column('amount'),
            column('currency'),
            column('adjustsLineId'),
            column('note'),
            batch.map((line) => line.createdAt.toISOString()),
          ],
        );
      }
    },

    async findStatement(period: string, clubA: string, clubB: string): Promise<StatementRow | null> {
      const { rows } = await db.query<StatementRow>(
        `SELECT ${STATEMENT_COLUMNS} FROM reciprocal.settlement_statements
          WHERE period = $1 AND club_a_id = $2 AND club_b_id = $3`,
        [period, clubA, clubB],
      );
      return rows[0] ?? null;
    },

    async findStatementById(id: string, options: { forUpdate?: boolean } = {}): Promise<StatementRow | null> {
      const { rows } = await db.query<StatementRow>(
        `SELECT ${STATEMENT_COLUMNS} FROM reciprocal.settlement_statements WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
        [id],
      );
      return rows[0] ?? null;
    },

    /** A club's statements of a period, by partner. */
    async statementsOf(clubId: string, period: string): Promise<StatementRow[]> {
      const { rows } = await db.query<StatementRow>(
        `SELECT ${STATEMENT_COLUMNS} FROM reciprocal.settlement_statements
          WHERE period = $2 AND (club_a_id = $1 OR club_b_id = $1)
          ORDER BY CASE WHEN club_a_id = $1 THEN club_b_id ELSE club_a_id END`,
        [clubId, period],
      );
      return rows;
    },

    /** Sums per statement, payer and currency: what totals need without reading every line. */
    async lineSums(
      statementIds: readonly string[],
    ): Promise<{ statementId: string; payerClubId: string; currency: string; amount: number }[]> {
      if (statementIds.length === 0) return [];
      const { rows } = await db.query<{
        statementId: string;
        payerClubId: string;
        currency: string;
        amount: number;
      }>(
        `SELECT statement_id AS "statementId", payer_club_id AS "payerClubId", currency, sum(amount)::float8 AS amount
           FROM reciprocal.settlement_lines WHERE statement_id = ANY($1::uuid[])
          GROUP BY statement_id, payer_club_id, currency`,
        [statementIds],
      );
      return rows;
    },

    async linesOf(statementId: string): Promise<LineRow[]> {
      const { rows } = await db.query<LineRow>(
        `SELECT ${LINE_COLUMNS} FROM reciprocal.settlement_lines WHERE statement_id = $1 ORDER BY line_no`,
        [statementId],
      );
      return rows;
    },

    async findLine(id: string): Promise<LineRow | null> {
      const { rows } = await db.query<LineRow>(
        `SELECT ${LINE_COLUMNS} FROM reciprocal.settlement_lines WHERE id = $1`,
        [id],
      );
      return rows[0] ?? null;
    },

    async nextLineNo(statementId: string): Promise<number> {
      const { rows } = await db.query<{ next: number }>(
        `SELECT coalesce(max(line_no), 0) + 1 AS next FROM reciprocal.settlement_lines WHERE statement_id = $1`,
        [statementId],
      );
      return rows[0]!.next;
    },

    /** False when the line is contested already (one dispute per line). */
    async insertDispute(row: DisputeRow): Promise<boolean> {
      const { rowCount } = await db.query(
        `INSERT INTO reciprocal.settlement_disputes (id, statement_id, line_id, club_a_id, club_b_id, raised_by_club_id,
           raised_by, reason, status, raised_at, resolved_by, resolved_at, adjustment_line_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (line_id) DO NOTHING`,
        [
          row.id,
          row.statementId,
          row.lineId,
          row.clubAId,
          row.clubBId,
          row.raisedByClubId,
          row.raisedBy,
          row.reason,
          row.status,
          row.raisedAt,
          row.resolvedBy,
          row.resolvedAt,
          row.adjustmentLineId,
        ],
      );
      return rowCount === 1;
    },

    async findDispute(id: string, options: { forUpdate?: boolean } = {}): Promise<DisputeRow | null> {
      const { rows } = await db.query<DisputeRow>(
        `SELECT ${DISPUTE_COLUMNS} FROM reciprocal.settlement_disputes WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
        [id],
      );
      return rows[0] ?? null;
    },

    async disputesOf(statementId: string): Promise<DisputeRow[]> {
      const { rows } = await db.query<DisputeRow>(
        `SELECT ${DISPUTE_COLUMNS} FROM reciprocal.settlement_disputes WHERE statement_id = $1 ORDER BY raised_at, id`,
        [statementId],
      );
      return rows;
    },

    async resolveDispute(
      id: string,
      resolvedBy: string,
      at: Date,
      adjustmentLineId: string,
    ): Promise<DisputeRow> {
      const { rows } = await db.query<DisputeRow>(
        `UPDATE reciprocal.settlement_disputes
            SET status = 'RESOLVED', resolved_by = $2, resolved_at = $3, adjustment_line_id = $4
          WHERE id = $1 RETURNING ${DISPUTE_COLUMNS}`,
        [id, resolvedBy, at, adjustmentLineId],
      );
      return rows[0]!;
    },
  };
}
