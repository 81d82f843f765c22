import type { Queryable } from '@clubland/db';
import type { DaySegment, InstantSegment, MonthSegment } from '../domain/segments.ts';

/**
 * The reports' reads: figures per club (or for the network) with GROUP BY, visits from the daily
 * rollups and the facts at the range's edges, members and agreements from their facts. A club's
 * read filters club_id itself (the index's leading column) as well as running
 * in its tenant transaction, where row-level security has the last word. Each method issues one
 * statement, so the use case sends them together (readAtOnce).
 */

/** The club whose figures to read; null: the network (every club, each visit and agreement once). */
export type ClubOrNetwork = string | null;

/** What to read from the daily rollups and what from the facts (src/domain/segments.ts). */
export interface Segments {
  days: readonly DaySegment[];
  instants: readonly InstantSegment[];
}

/** The same with whole UTC months first, for the rollups kept per month too. */
export interface TieredSegments extends Segments {
  /** Network reads take none: their days come from visit_days. */
  months: readonly MonthSegment[];
}

export interface VisitBucketRow {
  /** 1-based: the month of the range. */
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

/** The facts that count as visits (a column of visit_facts, qualified by the caller). */
const COUNTED = `status IN ('CHECKED_IN', 'CHECKED_OUT')`;
const TOP_DESTINATIONS = 10;

export function createRollupQueries(db: Queryable) {
  return {
    /**
     * Visits per bucket (a local month) and side: whole UTC days from visit_days, the edges from
     * the facts (segments.ts). Rows may repeat a bucket and side; the caller sums them.
     */
    async visitsByBucket(clubId: ClubOrNetwork, segments: Segments): Promise<VisitBucketRow[]> {
      const { days, instants } = segments;
      const { rows } = await db.query<{
        bucket: number;
        side: 'HOST' | 'HOME';
        visits: number;
        completed: number;
        seconds: number | null;
      }>(
        `SELECT s.bucket, r.side, sum(r.visits)::int AS visits, sum(r.completed)::int AS completed,
                sum(r.seconds)::float8 AS seconds
           FROM unnest($2::int[], $3::date[], $4::date[]) AS s(bucket, from_day, to_day)
           JOIN analytics.visit_days r
             ON ${clubId === null ? `r.side = 'HOST' AND $1::uuid IS NULL` : 'r.club_id = $1'}
            AND r.day >= s.from_day AND r.day < s.to_day
          GROUP BY 1, 2
         UNION ALL
         SELECT s.bucket, f.side, count(*)::int, count(f.checked_out_at)::int,
                sum(extract(epoch FROM f.checked_out_at - f.checked_in_at))::float8
           FROM unnest($5::int[], $6::timestamptz[], $7::timestamptz[]) AS s(bucket, from_at, to_at)
           JOIN analytics.visit_facts f
             ON ${clubId === null ? `f.side = 'HOST'` : 'f.club_id = $1'} AND f.${COUNTED}
            AND f.checked_in_at >= s.from_at AND f.checked_in_at < s.to_at
          GROUP BY 1, 2`,
        [
          clubId,
          days.map((d) => d.bucket),
          days.map((d) => d.fromDay),
          days.map((d) => d.toDay),
          instants.map((i) => i.bucket),
          instants.map((i) => i.from),
          instants.map((i) => i.to),
        ],
      );
      return rows.map((row) => ({ ...row, seconds: row.seconds ?? 0 }));
    },

    /**
     * The clubs visited most over a range read in tiers (tieredSegmentsOf): by the club's members
     * (destination_months, destination_days, then the facts), or by anyone (the network: each club's
     * hosted visits, from visit_days and the facts).
     */
    async topDestinations(clubId: ClubOrNetwork, segments: TieredSegments): Promise<DestinationRow[]> {
      const { months, days, instants } = segments;
      const byClub = clubId !== null;
      const { rows } = await db.query<DestinationRow>(
        `SELECT "clubId", sum(visits)::int AS visits FROM (
           SELECT r.other_club_id AS "clubId", sum(r.visits) AS visits
             FROM unnest($2::date[], $3::date[]) AS s(from_month, to_month)
             JOIN analytics.destination_months r
               ON r.club_id = $1 AND r.month >= s.from_month AND r.month < s.to_month
            GROUP BY 1
           UNION ALL
           SELECT ${byClub ? 'r.other_club_id' : 'r.club_id'}, sum(r.visits)
             FROM unnest($4::date[], $5::date[]) AS s(from_day, to_day)
             JOIN ${
               byClub
                 ? 'analytics.destination_days r ON r.club_id = $1'
                 : `analytics.visit_days r ON r.side = 'HOST' AND $1::uuid IS NULL`
             } AND r.day >= s.from_day AND r.day < s.to_day
            GROUP BY 1
           UNION ALL
           SELECT ${byClub ? 'f.other_club_id' : 'f.club_id'}, count(*)
             FROM unnest($6::timestamptz[], $7::timestamptz[]) AS s(from_at, to_at)
             JOIN analytics.visit_facts f
               ON ${byClub ? `f.club_id = $1 AND f.side = 'HOME'` : `f.side = 'HOST'`} AND f.${COUNTED}
              AND f.checked_in_at >= s.from_at AND f.checked_in_at < s.to_at
            GROUP BY 1
         ) AS counted
         GROUP BY "clubId" ORDER BY visits DESC, "clubId" LIMIT ${TOP_DESTINATIONS}`,
        [
          clubId,
          months.map((m) => m.fromMonth),
          months.map((m) => m.toMonth),
          days.map((d) => d.fromDay),
          days.map((d) => d.toDay),
          instants.map((i) => i.from),
          instants.map((i) => i.to),
        ],
      );
      return rows;
    },

    /** Members by membership type as they stand: on the roster (not INACTIVE), ACTIVE, and on it having joined since `since`. */
    async membership(clubId: ClubOrNetwork, since: Date): Promise<MembershipRow[]> {
      const { rows } = await db.query<MembershipRow>(
        `SELECT membership_type AS "membershipType",
                count(*) FILTER (WHERE status <> 'INACTIVE')::int AS total,
                count(*) FILTER (WHERE status = 'ACTIVE')::int AS active,
                count(*) FILTER (WHERE joined_at >= $2 AND status <> 'INACTIVE')::int AS "joinedSince"
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
