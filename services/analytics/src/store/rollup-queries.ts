import type { Queryable } from '@clubland/db';

/**
 * The rollups: figures per club (or for the network) computed from the facts with GROUP BY at
 * query time. A club's read filters club_id itself (the index's leading column) as well as running
 * in its tenant transaction, where row-level security has the last word. Each method issues one
 * statement, so the use case sends them together (readAtOnce).
 */

/** The club whose figures to read; null: the network (every club, each visit and agreement once). */
export type ClubOrNetwork = string | null;

export interface VisitBucketRow {
  /** 1-based index into the month starts passed in. */
  bucket: number;
  /** HOST: visits at the club; HOME: its members' visits elsewhere (the network: always HOST). */
  side: 'HOST' | 'HOME';
  visits: number;
  /** Checked-out visits among them, and their summed length in seconds. */
  completed: number;
  seconds: number;
}

export interface DestinationRow {
  clubId: string;
  visits: number;
}

export interface MembershipRow {
  membershipType: string | null;
  total: number;
  active: number;
  joinedSince: number;
}

export interface AgreementCountsRow {
  total: number;
  active: number;
  pending: number;
}

const COUNTED = `status IN ('CHECKED_IN', 'CHECKED_OUT')`;
const TOP_DESTINATIONS = 10;

export function createRollupQueries(db: Queryable) {
  return {
    /**
     * Visits checked in over [from, to), per month and side. `monthStarts`: each month's first
     * instant within the range, ascending, the first equal to `from`; width_bucket places a check-in
     * in the last month starting at or before it.
     */
    async visitsByMonth(
      clubId: ClubOrNetwork,
      monthStarts: readonly Date[],
      from: Date,
      to: Date,
    ): Promise<VisitBucketRow[]> {
      const { rows } = await db.query<{
        bucket: number;
        side: 'HOST' | 'HOME';
        visits: number;
        completed: number;
        seconds: string | null;
      }>(
        `SELECT width_bucket(checked_in_at, $2::timestamptz[]) AS bucket, side,
                count(*)::int AS visits,
                count(checked_out_at)::int AS completed,
                sum(extract(epoch FROM checked_out_at - checked_in_at))::float8 AS seconds
           FROM analytics.visit_facts
          WHERE ${clubId === null ? `side = 'HOST' AND $1::uuid IS NULL` : 'club_id = $1'}
            AND ${COUNTED} AND checked_in_at >= $3 AND checked_in_at < $4
          GROUP BY 1, 2`,
        [clubId, monthStarts, from, to],
      );
      return rows.map((row) => ({ ...row, seconds: row.seconds === null ? 0 : Number(row.seconds) }));
    },

    /** The clubs visited most over [from, to): by the club's members, or by anyone (network). */
    async topDestinations(clubId: ClubOrNetwork, from: Date, to: Date): Promise<DestinationRow[]> {
      const { rows } = await db.query<DestinationRow>(
        clubId === null
          ? `SELECT club_id AS "clubId", count(*)::int AS visits FROM analytics.visit_facts
              WHERE side = 'HOST' AND ${COUNTED} AND checked_in_at >= $1 AND checked_in_at < $2
              GROUP BY club_id ORDER BY visits DESC, club_id LIMIT ${TOP_DESTINATIONS}`
          : `SELECT other_club_id AS "clubId", count(*)::int AS visits FROM analytics.visit_facts
              WHERE club_id = $3 AND side = 'HOME' AND ${COUNTED} AND checked_in_at >= $1 AND checked_in_at < $2
              GROUP BY other_club_id ORDER BY visits DESC, other_club_id LIMIT ${TOP_DESTINATIONS}`,
        clubId === null ? [from, to] : [from, to, clubId],
      );
      return rows;
    },

    /** Members by membership type as they stand: on the roster (not INACTIVE), ACTIVE, joined since `since`. */
    async membership(clubId: ClubOrNetwork, since: Date): Promise<MembershipRow[]> {
      const { rows } = await db.query<MembershipRow>(
        `SELECT membership_type AS "membershipType",
                count(*) FILTER (WHERE status <> 'INACTIVE')::int AS total,
                count(*) FILTER (WHERE status = 'ACTIVE')::int AS active,
                count(*) FILTER (WHERE joined_at >= $2)::int AS "joinedSince"
           FROM analytics.member_facts
          WHERE ${clubId === null ? '$1::uuid IS NULL' : 'club_id = $1'}
          GROUP BY membership_type`,
        [clubId, since],
      );
      return rows;
    },

    /** Agreements as they stand: every one but drafts, ACTIVE, and PENDING or APPROVED. */
    async agreements(clubId: ClubOrNetwork): Promise<AgreementCountsRow> {
      const { rows } = await db.query<AgreementCountsRow>(
        `SELECT count(*) FILTER (WHERE status <> 'DRAFT')::int AS total,
                count(*) FILTER (WHERE status = 'ACTIVE')::int AS active,
                count(*) FILTER (WHERE status IN ('PENDING', 'APPROVED'))::int AS pending
           FROM analytics.agreement_facts
          WHERE ${clubId === null ? `side = 'PROPOSER' AND $1::uuid IS NULL` : 'club_id = $1'}`,
        [clubId],
      );
      return rows[0] ?? { total: 0, active: 0, pending: 0 };
    },
  };
}
