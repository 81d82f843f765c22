import type { Queryable } from '@clubland/db';

export interface VisitCountKey {
  homeClubId: string;
  hostClubId: string;
  memberId: string;
}

/**
 * reciprocal.visit_counts: visits counted against an agreement's limits, per member, host and
 * period ('YYYY-MM' or 'YYYY'). Row-level security: the two clubs.
 */
export function createVisitCountQueries(db: Queryable) {
  return {
    /** Visits counted in each period asked; a period with no row counts 0. */
    async counts(key: VisitCountKey, periods: readonly string[]): Promise<Map<string, number>> {
      const { rows } = await db.query<{ period: string; visits: number }>(
        `SELECT period, visits FROM reciprocal.visit_counts
          WHERE home_club_id = $1 AND member_id = $2 AND host_club_id = $3 AND period = ANY($4::text[])`,
        [key.homeClubId, key.memberId, key.hostClubId, periods],
      );
      return new Map(
        periods.map((period) => [period, rows.find((row) => row.period === period)?.visits ?? 0]),
      );
    },

    /**
     * Counts one more visit in each period unless that reaches past its limit (null: no limit), in
     * one statement: each row's lock serialises concurrent desks, and the second re-reads the
     * first's count after it commits, so the limits hold without a read-then-write in code. The
     * periods' rows are locked in the order given: give them in the key's order (the year before its
     * months), as everything else that locks them does. Returns each period's
     * new count, or null for a period whose limit was reached (nothing written for it).
     */
    async increment(
      key: VisitCountKey,
      limits: readonly { period: string; limit: number | null }[],
    ): Promise<Map<string, number | null>> {
      const periods = limits.map((entry) => entry.period);
      const { rows } = await db.query<{ period: string; visits: number }>(
        `INSERT INTO reciprocal.visit_counts (home_club_id, host_club_id, member_id, period, visits)
         SELECT $1, $2, $3, p.period, 1 FROM unnest($4::text[], $5::int[]) AS p (period, cap)
          WHERE p.cap IS NULL OR p.cap > 0
         ON CONFLICT (home_club_id, member_id, host_club_id, period) DO UPDATE
           SET visits = reciprocal.visit_counts.visits + 1
           WHERE reciprocal.visit_counts.visits
                 < coalesce(($5::int[])[array_position($4::text[], reciprocal.visit_counts.period)], 2147483647)
         RETURNING period, visits`,
        [key.homeClubId, key.hostClubId, key.memberId, periods, limits.map((entry) => entry.limit)],
      );
      return new Map(
        periods.map((period) => [period, rows.find((row) => row.period === period)?.visits ?? null]),
      );
    },
  };
}
