import { authorize } from '@clubland/authz';
import type { Tx } from '@clubland/db';
import { invalidInput, notFound } from '@clubland/errors';
import {
  orderedPair,
  periodBounds,
  type StatementTotal,
  statementHash,
  statementTotals,
  type VisitLine,
  visitLinesOf,
} from '../domain/settlement.ts';
import { statementCsv } from '../domain/statement-csv.ts';
import {
  createSettlementQueries,
  type DisputeRow,
  type LineRow,
  type StatementRow,
} from '../store/settlement-queries.ts';
import type { ReciprocalDeps, UseCaseContext } from './deps.ts';
import { requirePeriod } from './settlement-periods.ts';

/**
 * A club's statements with its partners (settlement:manage at the club), read inside the club's
 * tenant transaction: row-level security shows a statement to its two clubs only, so a third club
 * finds none. Reads go straight to the store; the domain computes lines, hashes and totals.
 */

export interface StatementLineView {
  /** Null on a preview: nothing is stored yet. */
  id: string | null;
  lineNo: number;
  kind: 'VISIT' | 'ADJUSTMENT';
  visitId: string | null;
  agreementId: string | null;
  visitDate: string | null;
  payerClubId: string;
  payeeClubId: string;
  amount: number;
  currency: string;
  adjustsLineId: string | null;
  note: string | null;
}

export interface StatementView {
  /** Null on a preview. */
  id: string | null;
  period: string;
  clubId: string;
  partnerClubId: string;
  /** ISSUED: stored when its period closed; PREVIEW: computed now from the visits (period open). */
  status: 'ISSUED' | 'PREVIEW';
  issuedAt: Date | null;
  disputableUntil: Date | null;
  linesHash: string;
  visitCount: number;
  lines: StatementLineView[];
  disputes: DisputeRow[];
  /** From the club's side, per currency, adjustments included. */
  totals: StatementTotal[];
}

export async function getSettlementStatement(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  clubId: string,
  partnerClubId: string,
  period: string,
): Promise<StatementView> {
  authorize(context.principal, 'settlement:manage', clubId);
  requirePeriod(period);
  if (partnerClubId === clubId)
    throw invalidInput('partnerClubId', 'a statement is between two different clubs');
  const { clubA, clubB } = orderedPair(clubId, partnerClubId);
  return deps.db.withTenant(clubId, async (tx) => {
    const stored = await createSettlementQueries(tx).findStatement(period, clubA, clubB);
    if (stored) return issuedView(tx, stored, clubId);
    const lines = await recomputeLines(tx, period, clubA, clubB);
    return {
      id: null,
      period,
      clubId,
      partnerClubId,
      status: 'PREVIEW',
      issuedAt: null,
      disputableUntil: null,
      linesHash: statementHash({ period, clubA, clubB, lines }),
      visitCount: lines.length,
      lines: lines.map(visitLineView),
      disputes: [],
      totals: statementTotals(clubId, lines),
    };
  });
}

export interface StatementSummary {
  statement: StatementRow;
  partnerClubId: string;
  totals: StatementTotal[];
}

/** The club's issued statements of a period, one per partner, with their totals. */
export async function listSettlementStatements(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  clubId: string,
  period: string,
): Promise<StatementSummary[]> {
  authorize(context.principal, 'settlement:manage', clubId);
  requirePeriod(period);
  return deps.db.withTenant(clubId, async (tx) => {
    const settlement = createSettlementQueries(tx);
    const statements = await settlement.statementsOf(clubId, period);
    const sums = await settlement.lineSums(statements.map((statement) => statement.id));
    return statements.map((statement) => ({
      statement,
      partnerClubId: statement.clubAId === clubId ? statement.clubBId : statement.clubAId,
      totals: statementTotals(
        clubId,
        sums.filter((sum) => sum.statementId === statement.id),
      ),
    }));
  });
}

/**
 * Recomputes an issued statement's visit lines from the recorded visits and compares the hash with
 * the one stored at issue: equal, the statement is what the visits say.
 */
export async function verifySettlementStatement(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  clubId: string,
  statementId: string,
): Promise<{ matches: boolean; storedHash: string; recomputedHash: string }> {
  authorize(context.principal, 'settlement:manage', clubId);
  return deps.db.withTenant(clubId, async (tx) => {
    const statement = await requireStatement(tx, statementId);
    const lines = await recomputeLines(tx, statement.period, statement.clubAId, statement.clubBId);
    const recomputedHash = statementHash({
      period: statement.period,
      clubA: statement.clubAId,
      clubB: statement.clubBId,
      lines,
    });
    return {
      matches: recomputedHash === statement.linesHash,
      storedHash: statement.linesHash,
      recomputedHash,
    };
  });
}

/** An issued statement as CSV (RFC 4180), every line including adjustments. */
export async function exportStatementCsv(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  clubId: string,
  statementId: string,
): Promise<string> {
  authorize(context.principal, 'settlement:manage', clubId);
  return deps.db.withTenant(clubId, async (tx) => {
    const statement = await requireStatement(tx, statementId);
    const lines = await createSettlementQueries(tx).linesOf(statement.id);
    const lineNos = new Map(lines.map((line) => [line.id, line.lineNo]));
    return statementCsv(
      statement,
      lines.map((line) => ({
        ...line,
        adjustsLineNo: line.adjustsLineId === null ? null : (lineNos.get(line.adjustsLineId) ?? null),
      })),
    );
  });
}

async function requireStatement(tx: Tx, statementId: string): Promise<StatementRow> {
  // Row-level security: a statement of other clubs reads as missing, exactly as an unknown id.
  const statement = await createSettlementQueries(tx).findStatementById(statementId);
  if (!statement) throw notFound('settlement statement', statementId);
  return statement;
}

async function recomputeLines(tx: Tx, period: string, clubA: string, clubB: string): Promise<VisitLine[]> {
  const { startsOn, endsOn } = periodBounds(period);
  return visitLinesOf(await createSettlementQueries(tx).settledVisits(startsOn, endsOn, { clubA, clubB }));
}

async function issuedView(tx: Tx, statement: StatementRow, clubId: string): Promise<StatementView> {
  const settlement = createSettlementQueries(tx);
  const lines = await settlement.linesOf(statement.id);
  return {
    id: statement.id,
    period: statement.period,
    clubId,
    partnerClubId: statement.clubAId === clubId ? statement.clubBId : statement.clubAId,
    status: 'ISSUED',
    issuedAt: statement.issuedAt,
    disputableUntil: statement.disputableUntil,
    linesHash: statement.linesHash,
    visitCount: statement.visitCount,
    lines: lines.map(storedLineView),
    disputes: await settlement.disputesOf(statement.id),
    totals: statementTotals(clubId, lines),
  };
}

function visitLineView(line: VisitLine): StatementLineView {
  return { ...line, id: null, kind: 'VISIT', adjustsLineId: null, note: null };
}

function storedLineView(line: LineRow): StatementLineView {
  return {
    id: line.id,
    lineNo: line.lineNo,
    kind: line.kind,
    visitId: line.visitId,
    agreementId: line.agreementId,
    visitDate: line.visitDate,
    payerClubId: line.payerClubId,
    payeeClubId: line.payeeClubId,
    amount: line.amount,
    currency: line.currency,
    adjustsLineId: line.adjustsLineId,
    note: line.note,
  };
}
