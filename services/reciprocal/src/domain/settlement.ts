import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * Settlement rules, pure. A period is a calendar month ('YYYY-MM'). For each pair of clubs a
 * statement lists every CHECKED_OUT visit of the period between them, one line each: the visitor's
 * home club owes the host the home club's share of the visit's costs (homeClubShare, set at
 * check-out under the agreement's cost sharing). The statement's hash covers its visit lines, so
 * anyone can recompute it from the recorded visits and compare. After issue, either club may contest
 * a line during the dispute window; a resolution adds an adjustment line, never edits one.
 */

/** Days after a statement is issued during which either club may contest a line. */
export const DISPUTE_WINDOW_DAYS = 14;

const PERIOD = /^([0-9]{4})-(0[1-9]|1[0-2])$/;

export function isPeriod(value: string): boolean {
  return PERIOD.test(value);
}

/** First and last day (inclusive) of a period 'YYYY-MM'. */
export function periodBounds(period: string): { startsOn: string; endsOn: string } {
  const match = PERIOD.exec(period);
  if (!match) throw new RangeError(`not a period: ${period}`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { startsOn: `${period}-01`, endsOn: `${period}-${String(lastDay).padStart(2, '0')}` };
}

/** The period a day falls in. */
export function periodOf(day: Date): string {
  return day.toISOString().slice(0, 7);
}

/** The pair in the order statements store it (club_a_id < club_b_id). */
export function orderedPair(x: string, y: string): { clubA: string; clubB: string } {
  return x < y ? { clubA: x, clubB: y } : { clubA: y, clubB: x };
}

/** A checked-out visit as settlement reads it. Amounts in minor units. */
export interface SettledVisit {
  visitId: string;
  agreementId: string;
  /** YYYY-MM-DD */
  visitDate: string;
  homeClubId: string;
  hostClubId: string;
  homeClubShare: number;
  currency: string;
}

/** A line of a statement: `payer` owes `payee` `amount` minor units of `currency`. */
export interface VisitLine {
  lineNo: number;
  visitId: string;
  agreementId: string;
  visitDate: string;
  payerClubId: string;
  payeeClubId: string;
  amount: number;
  currency: string;
}

/** One line per visit, in (visit date, visit id) order: the same visits give the same lines. */
export function visitLinesOf(visits: readonly SettledVisit[]): VisitLine[] {
  return [...visits]
    .sort((a, b) =>
      a.visitDate === b.visitDate ? compare(a.visitId, b.visitId) : compare(a.visitDate, b.visitDate),
    )
    .map((visit, index) => ({
      lineNo: index + 1,
      visitId: visit.visitId,
      agreementId: visit.agreementId,
      visitDate: visit.visitDate,
      payerClubId: visit.homeClubId,
      payeeClubId: visit.hostClubId,
      amount: visit.homeClubShare,
      currency: visit.currency,
    }));
}

/**
 * SHA-256 (hex) of the statement's canonical JSON (RFC 8785): its period, its pair and its visit
 * lines. Recomputing it from the visits and finding the stored hash proves the statement reproducible.
 */
export function statementHash(statement: {
  period: string;
  clubA: string;
  clubB: string;
  lines: readonly VisitLine[];
}): string {
  const lines = statement.lines.map((line) => [
    line.lineNo,
    line.visitId,
    line.agreementId,
    line.visitDate,
    line.payerClubId,
    line.payeeClubId,
    line.amount,
    line.currency,
  ]);
  const text = canonicalize({
    period: statement.period,
    clubA: statement.clubA,
    clubB: statement.clubB,
    lines,
  });
  return createHash('sha256')
    .update(text ?? '')
    .digest('hex');
}

/** What one club and its partner owe each other in one currency, as the club reads it. */
export interface StatementTotal {
  currency: string;
  /** What the club owes its partner. */
  owedByClub: number;
  /** What the partner owes the club. */
  owedToClub: number;
  /** owedToClub − owedByClub: positive, the partner pays the club. */
  net: number;
}

/** Totals per currency over every line (visits and adjustments), from `clubId`'s side. */
export function statementTotals(
  clubId: string,
  lines: readonly { payerClubId: string; amount: number; currency: string }[],
): StatementTotal[] {
  const totals = new Map<string, StatementTotal>();
  for (const line of lines) {
    let total = totals.get(line.currency);
    if (!total) {
      total = { currency: line.currency, owedByClub: 0, owedToClub: 0, net: 0 };
      totals.set(line.currency, total);
    }
    if (line.payerClubId === clubId) total.owedByClub += line.amount;
    else total.owedToClub += line.amount;
    total.net = total.owedToClub - total.owedByClub;
  }
  return [...totals.values()].sort((a, b) => compare(a.currency, b.currency));
}

/** The last instant a statement issued at `issuedAt` may be contested. */
export function disputableUntil(issuedAt: Date): Date {
  return new Date(issuedAt.getTime() + DISPUTE_WINDOW_DAYS * 86_400_000);
}

export type SettlementCheck =
  | { ok: true }
  | {
      ok: false;
      code:
        | 'settlement.dispute_window_closed'
        | 'settlement.line_not_disputable'
        | 'settlement.adjustment_refused';
      message: string;
    };

/** A club may contest a visit line of an issued statement until the window closes. */
export function checkDispute(
  line: { kind: 'VISIT' | 'ADJUSTMENT' },
  until: Date,
  now: Date,
): SettlementCheck {
  if (line.kind !== 'VISIT') {
    return {
      ok: false,
      code: 'settlement.line_not_disputable',
      message: 'only a visit line can be contested',
    };
  }
  if (now > until) {
    return {
      ok: false,
      code: 'settlement.dispute_window_closed',
      message: `the dispute window closed at ${until.toISOString()} (${DISPUTE_WINDOW_DAYS} days after issue)`,
    };
  }
  return { ok: true };
}

/**
 * A resolution corrects a line by `adjustment` minor units (negative: the payer owes less; zero:
 * the line stands). It may give back at most what the line charged.
 */
export function checkAdjustment(lineAmount: number, adjustment: number): SettlementCheck {
  if (!Number.isSafeInteger(adjustment) || adjustment < -lineAmount) {
    return {
      ok: false,
      code: 'settlement.adjustment_refused',
      message: `an adjustment is a whole number of minor units, at least −${lineAmount} (the line's amount)`,
    };
  }
  return { ok: true };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
