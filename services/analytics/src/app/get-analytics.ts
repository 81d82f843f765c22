import { assertClubId } from '@clubland/db';
import { ClubError, invalidInput, notFound } from '@clubland/errors';
import { NETWORK_TIME_ZONE, startOfMonthContaining } from '../domain/months.ts';
import { averageMinutes, type Period, resolvePeriod } from '../domain/period.ts';
import { type Scope, scopeFor } from '../domain/scope.ts';
import { segmentsOf, tieredSegmentsOf } from '../domain/segments.ts';
import { createRollupQueries, type MembershipRow, type VisitBucketRow } from '../store/rollup-queries.ts';
import type { AnalyticsDeps, UseCaseContext } from './deps.ts';

export interface GetAnalyticsInput {
  /** null: the caller's own club (a network admin: the network). */
  clubId: string | null;
  startDate: Date | null;
  endDate: Date | null;
}

export interface MonthCount {
  month: string;
  count: number;
}

export interface AnalyticsReport {
  /** null: the network. */
  clubId: string | null;
  timeZone: string;
  from: Date;
  to: Date;
  visits: {
    totalVisits: number;
    monthlyVisits: MonthCount[];
    topDestinations: { clubId: string; count: number }[];
    averageVisitMinutes: number | null;
  };
  members: {
    totalMembers: number;
    activeMembers: number;
    newMembersThisMonth: number;
    membershipDistribution: { type: string; count: number }[];
  };
  reciprocals: {
    totalAgreements: number;
    activeAgreements: number;
    pendingAgreements: number;
    monthlyReciprocalUsage: MonthCount[];
  };
}

/**
 * A club's report (or the network's): authorise first (scope.ts), then the club's time zone, the
 * range, and the rollups read together in one read-only transaction: the club's tenant transaction,
 * or a network one for the network admin.
 */
export async function getAnalytics(
  deps: AnalyticsDeps,
  context: UseCaseContext,
  input: GetAnalyticsInput,
): Promise<AnalyticsReport> {
  if (context.principal === null) throw new ClubError('request.unauthenticated', 'sign in first');
  // A club named is a UUID (BAD_USER_INPUT naming clubId otherwise) before its grants are read.
  const requested = input.clubId === null ? null : assertClubId(input.clubId);
  const check = scopeFor(context.principal, requested);
  if (!check.ok) throw new ClubError(check.code, check.message);
  const { scope } = check;

  const timeZone = await timeZoneOf(deps, scope);
  const now = context.clock();
  const resolved = resolvePeriod(input, now, timeZone);
  if (!resolved.ok) throw invalidInput(resolved.field, resolved.message);
  const { period } = resolved;

  const clubId = scope.kind === 'club' ? scope.clubId : null;
  const monthStart = startOfMonthContaining(now, timeZone);
  const [buckets, destinations, membership, agreements] = await deps.db.readAtOnce(clubId, (tx) => {
    const rollups = createRollupQueries(tx);
    return Promise.all([
      rollups.visitsByBucket(clubId, segmentsOf(period.months)),
      rollups.topDestinations(
        clubId,
        // The network's destinations come from visit_days: no month tier.
        clubId === null ? { months: [], ...segmentsOf([period]) } : tieredSegmentsOf(period),
      ),
      rollups.membership(clubId, monthStart),
      rollups.agreements(clubId),
    ]);
  });

  const visits = visitFigures(period, buckets, clubId === null);
  return {
    clubId,
    timeZone,
    from: period.from,
    to: period.to,
    visits: {
      totalVisits: visits.total,
      monthlyVisits: visits.monthly,
      topDestinations: destinations.map((row) => ({ clubId: row.clubId, count: row.visits })),
      averageVisitMinutes: visits.averageMinutes,
    },
    members: memberFigures(membership),
    reciprocals: {
      totalAgreements: agreements.total,
      activeAgreements: agreements.active,
      pendingAgreements: agreements.pending,
      monthlyReciprocalUsage: visits.monthlyUsage,
    },
  };
}

async function timeZoneOf(deps: AnalyticsDeps, scope: Scope): Promise<string> {
  if (scope.kind === 'network') return NETWORK_TIME_ZONE;
  const zone = await deps.timeZones.of(scope.clubId);
  if (zone === null) throw notFound('club', scope.clubId);
  return zone;
}

/**
 * Monthly series with every month of the range (zeros too). Visits: both sides (for the network,
 * host rows only, so each visit once); usage: the club's members' visits elsewhere (HOME rows; the
 * network: every visit).
 */
function visitFigures(period: Period, rows: readonly VisitBucketRow[], isNetwork: boolean) {
  const all = period.months.map(() => 0);
  const usage = period.months.map(() => 0);
  let seconds = 0;
  let completed = 0;
  for (const row of rows) {
    const index = row.bucket - 1;
    if (index < 0 || index >= all.length) continue;
    all[index] = (all[index] ?? 0) + row.visits;
    if (isNetwork || row.side === 'HOME') usage[index] = (usage[index] ?? 0) + row.visits;
    seconds += row.seconds;
    completed += row.completed;
  }
  return {
    total: all.reduce((sum, count) => sum + count, 0),
    monthly: period.months.map((month, i) => ({ month: month.month, count: all[i] ?? 0 })),
    monthlyUsage: period.months.map((month, i) => ({ month: month.month, count: usage[i] ?? 0 })),
    averageMinutes: averageMinutes(seconds, completed),
  };
}

function memberFigures(rows: readonly MembershipRow[]): AnalyticsReport['members'] {
  const sum = (pick: (row: MembershipRow) => number) => rows.reduce((total, row) => total + pick(row), 0);
  return {
    totalMembers: sum((row) => row.total),
    activeMembers: sum((row) => row.active),
    newMembersThisMonth: sum((row) => row.joinedSince),
    membershipDistribution: rows
      .filter((row) => row.total > 0)
      .map((row) => ({ type: row.membershipType ?? 'UNKNOWN', count: row.total }))
      .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type)),
  };
}
