import { authorize } from '@clubland/authz';
import type { Tx } from '@clubland/db';
import { ClubError, invalidInput } from '@clubland/errors';
import {
  disputableUntil,
  isPeriod,
  orderedPair,
  periodBounds,
  periodOf,
  type SettledVisit,
  statementHash,
  visitLinesOf,
} from '../domain/settlement.ts';
import {
  createSettlementQueries,
  type LineRow,
  type PeriodRow,
  type StatementRow,
} from '../store/settlement-queries.ts';
import type { ReciprocalDeps, UseCaseContext } from './deps.ts';
import { type LedgerEntryInput, recordLedgerEntries } from './ledger-port.ts';

/**
 * Settlement periods, network-wide: a network admin opens a month and closes it; closing issues a
 * statement for every pair of clubs with checked-out visits in it, each with the hash of its lines
 * and its dispute window, and puts each on the ledger port. The scheduled job
 * (closeDueSettlementPeriods) does the same for months that have ended, and opens the current one.
 */

export function requirePeriod(period: string): string {
  if (!isPeriod(period)) throw invalidInput('period', 'period must be a month, YYYY-MM');
  return period;
}

export async function openSettlementPeriod(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  period: string,
): Promise<PeriodRow> {
  authorize(context.principal, 'network:manage', null);
  const row = newPeriod(requirePeriod(period), context.clock());
  const created = await deps.db.transaction((tx) => createSettlementQueries(tx).insertPeriod(row));
  if (!created) throw new ClubError('settlement.period_exists', `the period ${period} exists already`);
  return row;
}

export async function closeSettlementPeriod(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  period: string,
): Promise<{ period: PeriodRow; statementsIssued: number }> {
  authorize(context.principal, 'network:manage', null);
  requirePeriod(period);
  return deps.db.transaction((tx) => closePeriodIn(tx, context, period, context.principal!.userId));
}

/** The scheduled job: closes every open period whose last day has passed, and opens the current month. */
export async function closeDueSettlementPeriods(
  deps: ReciprocalDeps,
  world: Pick<UseCaseContext, 'clock' | 'newId'>,
): Promise<string[]> {
  const now = world.clock();
  const context: UseCaseContext = { ...world, principal: null, correlationId: null };
  const due = await deps.db.transaction((tx) =>
    createSettlementQueries(tx).duePeriods(now.toISOString().slice(0, 10)),
  );
  for (const period of due) {
    // One transaction per period: a period closed meanwhile by an admin is skipped, not an error.
    await deps.db.transaction(async (tx) => {
      const current = await createSettlementQueries(tx).findPeriod(period, { forUpdate: true });
      if (current?.status === 'OPEN') await closePeriodIn(tx, context, period, null);
    });
  }
  await deps.db.transaction((tx) => createSettlementQueries(tx).insertPeriod(newPeriod(periodOf(now), now)));
  return due;
}

function newPeriod(period: string, now: Date): PeriodRow {
  const { startsOn, endsOn } = periodBounds(period);
  return { period, startsOn, endsOn, status: 'OPEN', openedAt: now, closedBy: null, closedAt: null };
}

async function closePeriodIn(
  tx: Tx,
  context: UseCaseContext,
  period: string,
  closedBy: string | null,
): Promise<{ period: PeriodRow; statementsIssued: number }> {
  const settlement = createSettlementQueries(tx);
  // FOR UPDATE: two closings of one period serialise; the second finds it CLOSED and issues nothing.
  const current = await settlement.findPeriod(period, { forUpdate: true });
  if (current?.status !== 'OPEN') {
    throw new ClubError('settlement.period_not_open', `the period ${period} is not open`, { period });
  }
  const now = context.clock();
  const visits = await settlement.settledVisits(current.startsOn, current.endsOn);
  // Built in memory, written in batches: a round trip per statement took minutes for 20,000 pairs.
  const statements: StatementRow[] = [];
  const lines: LineRow[] = [];
  const entries: LedgerEntryInput[] = [];
  for (const pairVisits of byPair(visits)) {
    const first = pairVisits[0]!;
    const { clubA, clubB } = orderedPair(first.homeClubId, first.hostClubId);
    const visitLines = visitLinesOf(pairVisits);
    const statementId = context.newId();
    const linesHash = statementHash({ period, clubA, clubB, lines: visitLines });
    statements.push({
      id: statementId,
      period,
      clubAId: clubA,
      clubBId: clubB,
      linesHash,
      visitCount: visitLines.length,
      issuedAt: now,
      disputableUntil: disputableUntil(now),
    });
    for (const line of visitLines) {
      lines.push({
        ...line,
        id: context.newId(),
        statementId,
        clubAId: clubA,
        clubBId: clubB,
        kind: 'VISIT',
        adjustsLineId: null,
        note: null,
        createdAt: now,
      });
    }
    entries.push({
      id: context.newId(),
      entityKind: 'settlement',
      entityId: statementId,
      fact: 'settlement.statement_issued',
      clubId: clubA,
      counterpartyClubId: clubB,
      payload: { statementId, period, clubA, clubB, linesHash, visitCount: visitLines.length },
      at: now,
    });
  }
  await settlement.insertStatements(statements);
  await settlement.insertLines(lines);
  await recordLedgerEntries(tx, entries);
  const statementsIssued = statements.length;
  return { period: await settlement.closePeriod(period, closedBy, now), statementsIssued };
}

/** Visits ordered by pair (settledVisits' order), split into one run per pair. */
function* byPair(visits: readonly SettledVisit[]): Generator<SettledVisit[]> {
  let run: SettledVisit[] = [];
  let key = '';
  for (const visit of visits) {
    const { clubA, clubB } = orderedPair(visit.homeClubId, visit.hostClubId);
    const pairKey = `${clubA}|${clubB}`;
    if (pairKey !== key && run.length > 0) {
      yield run;
      run = [];
    }
    key = pairKey;
    run.push(visit);
  }
  if (run.length > 0) yield run;
}
