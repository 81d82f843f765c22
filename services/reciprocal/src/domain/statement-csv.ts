/**
 * A statement as CSV (RFC 4180): a header row, then one row per line; CRLF between records; a field
 * holding a comma, a double quote, CR or LF is quoted, and its quotes doubled. Amounts in minor units.
 */

export const STATEMENT_CSV_HEADER = [
  'period',
  'statement_id',
  'line_no',
  'kind',
  'visit_id',
  'visit_date',
  'agreement_id',
  'payer_club_id',
  'payee_club_id',
  'amount_minor',
  'currency',
  'adjusts_line_no',
  'note',
] as const;

export interface CsvLine {
  lineNo: number;
  kind: 'VISIT' | 'ADJUSTMENT';
  visitId: string | null;
  visitDate: string | null;
  agreementId: string | null;
  payerClubId: string;
  payeeClubId: string;
  amount: number;
  currency: string;
  adjustsLineNo: number | null;
  note: string | null;
}

export function statementCsv(statement: { id: string; period: string }, lines: readonly CsvLine[]): string {
  const rows = lines.map((line) => [
    statement.period,
    statement.id,
    String(line.lineNo),
    line.kind,
    line.visitId ?? '',
    line.visitDate ?? '',
    line.agreementId ?? '',
    line.payerClubId,
    line.payeeClubId,
    String(line.amount),
    line.currency,
    line.adjustsLineNo === null ? '' : String(line.adjustsLineNo),
    line.note ?? '',
  ]);
  // Every record ends with CRLF, the last one included.
  return [[...STATEMENT_CSV_HEADER], ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
