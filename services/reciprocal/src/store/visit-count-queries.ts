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
     * Counts one more visit in `period` unless that reaches past `limit` (null: no limit), in one
     * statement: the row's lock serialises concurrent desks, and the second re-reads the first's
     * count after it commits, so the limit holds without a read-then-write in code. Returns the new
     * count, or null when the limit was reached (nothing written).
     */
    async increment(key: VisitCountKey, period: string, limit: number | null): Promise<number | null> {
      const { rows } = await db.query<{ visits: number }>(
        `INSERT INTO reciprocal.visit_counts (home_club_id, host_club_id, member_id, period, visits)
         SELECT $1, $2, $3, $4, 1 WHERE $5::int IS NULL OR $5::int > 0
         ON CONFLICT (home_club_id, member_id, host_club_id, period) DO UPDATE
           SET visits = reciprocal.visit_counts.visits + 1
           WHERE $5::int IS NULL OR reciprocal.visit_counts.visits < $5::int
         RETURNING visits`,
        [key.homeClubId, key.hostClubId, key.memberId, period, limit],
      );
      return rows[0]?.visits ?? null;
    },
  };
}
