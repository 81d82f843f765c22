import type { Queryable } from '@clubland/db';
import { utcDayOf } from '../domain/segments.ts';

/**
 * Writes to the fact tables (migrations/0002-facts.sql), one statement per event. Each keeps the
 * newest news: a status older than the one recorded (an event redelivered late) changes nothing.
 */

export interface VisitFact {
  visitId: string;
  homeClubId: string;
  hostClubId: string;
  status: string;
  checkedInAt: Date | null;
  checkedOutAt: Date | null;
  changedAt: Date;
}

export interface MemberCreatedFact {
  clubId: string;
  memberId: string;
  membershipType: string;
  status: string;
  joinedAt: Date;
}

export interface AgreementFact {
  agreementId: string;
  proposerClubId: string;
  partnerClubId: string;
  status: string;
  changedAt: Date;
}

export function createFactQueries(db: Queryable) {
  return {
    /**
     * Both clubs' rows of a visit (a time once known stays known: a later event may omit it), and
     * the daily rollups of the days the visit was and is counted on, recomputed from the facts.
     * Their months are locked first (a transaction-scoped advisory lock per UTC month), so two
     * consumers changing visits of one month recount it one after the other, each seeing the
     * other's facts.
     */
    async recordVisit(fact: VisitFact): Promise<void> {
      const { rows: before } = await db.query<{ day: string }>(
        `SELECT to_char(checked_in_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day FROM analytics.visit_facts
          WHERE club_id = $1 AND visit_id = $2 AND checked_in_at IS NOT NULL`,
        [fact.hostClubId, fact.visitId],
      );
      const days = [
        ...new Set([
          ...before.map((row) => row.day),
          ...(fact.checkedInAt ? [utcDayOf(fact.checkedInAt)] : []),
        ]),
      ].sort();
      if (days.length > 0) {
        // Per UTC month (a day's recount also recounts its month), in order: no two consumers wait
        // for each other's locks.
        await db.query(
          `SELECT pg_advisory_xact_lock(hashtextextended('analytics.visit_month:' || month, 0))
             FROM (SELECT DISTINCT left(day, 7) AS month FROM unnest($1::text[]) AS day) AS months
            ORDER BY month`,
          [days],
        );
      }
      await db.query(
        `INSERT INTO analytics.visit_facts
           (club_id, visit_id, side, other_club_id, status, checked_in_at, checked_out_at, changed_at)
         VALUES ($1, $3, 'HOST', $2, $4, $5, $6, $7), ($2, $3, 'HOME', $1, $4, $5, $6, $7)
         ON CONFLICT (club_id, visit_id) DO UPDATE SET
           status = CASE WHEN analytics.visit_facts.changed_at <= EXCLUDED.changed_at
                         THEN EXCLUDED.status ELSE analytics.visit_facts.status END,
           changed_at = greatest(analytics.visit_facts.changed_at, EXCLUDED.changed_at),
           checked_in_at = coalesce(EXCLUDED.checked_in_at, analytics.visit_facts.checked_in_at),
           checked_out_at = coalesce(EXCLUDED.checked_out_at, analytics.visit_facts.checked_out_at)`,
        [
          fact.hostClubId,
          fact.homeClubId,
          fact.visitId,
          fact.status,
          fact.checkedInAt,
          fact.checkedOutAt,
          fact.changedAt,
        ],
      );
      for (const day of days) await recomputeDay(db, [fact.hostClubId, fact.homeClubId], day);
    },

    /** A member joined; a status or type heard before (out of order) is kept. */
    async recordMemberCreated(fact: MemberCreatedFact): Promise<void> {
      await db.query(
        `INSERT INTO analytics.member_facts (club_id, member_id, membership_type, status, joined_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (club_id, member_id) DO UPDATE SET
           joined_at = EXCLUDED.joined_at,
           membership_type = CASE WHEN analytics.member_facts.type_changed_at IS NULL
                                  THEN EXCLUDED.membership_type ELSE analytics.member_facts.membership_type END,
           status = CASE WHEN analytics.member_facts.status_changed_at IS NULL
                         THEN EXCLUDED.status ELSE analytics.member_facts.status END`,
        [fact.clubId, fact.memberId, fact.membershipType, fact.status, fact.joinedAt],
      );
    },

    async recordMemberStatus(
      clubId: string,
      memberId: string,
      status: string,
      changedAt: Date,
    ): Promise<void> {
      await db.query(
        `INSERT INTO analytics.member_facts (club_id, member_id, status, status_changed_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (club_id, member_id) DO UPDATE SET
           status = EXCLUDED.status, status_changed_at = EXCLUDED.status_changed_at
         WHERE analytics.member_facts.status_changed_at IS NULL
            OR analytics.member_facts.status_changed_at <= EXCLUDED.status_changed_at`,
        [clubId, memberId, status, changedAt],
      );
    },

    /** A new membership type; a member not heard of yet is recorded PENDING until member.created says more. */
    async recordMembershipType(
      clubId: string,
      memberId: string,
      membershipType: string,
      changedAt: Date,
    ): Promise<void> {
      await db.query(
        `INSERT INTO analytics.member_facts (club_id, member_id, membership_type, status, type_changed_at)
         VALUES ($1, $2, $3, 'PENDING', $4)
         ON CONFLICT (club_id, member_id) DO UPDATE SET
           membership_type = EXCLUDED.membership_type, type_changed_at = EXCLUDED.type_changed_at
         WHERE analytics.member_facts.type_changed_at IS NULL
            OR analytics.member_facts.type_changed_at <= EXCLUDED.type_changed_at`,
        [clubId, memberId, membershipType, changedAt],
      );
    },

    /** Both parties' rows of an agreement. */
    async recordAgreement(fact: AgreementFact): Promise<void> {
      await db.query(
        `INSERT INTO analytics.agreement_facts (club_id, agreement_id, side, other_club_id, status, changed_at)
         VALUES ($1, $3, 'PROPOSER', $2, $4, $5), ($2, $3, 'PARTNER', $1, $4, $5)
         ON CONFLICT (club_id, agreement_id) DO UPDATE SET
           status = EXCLUDED.status, changed_at = EXCLUDED.changed_at
         WHERE analytics.agreement_facts.changed_at <= EXCLUDED.changed_at`,
        [fact.proposerClubId, fact.partnerClubId, fact.agreementId, fact.status, fact.changedAt],
      );
    },
  };
}

/**
 * One UTC day's rollups of `clubs`, recomputed from their facts: the day's old rows out (both
 * tables in one statement, a data-modifying WITH), its counts and destinations back in, then its
 * month's destinations recounted from its days.
 */
async function recomputeDay(db: Queryable, clubs: readonly string[], day: string): Promise<void> {
  const params = [clubs, day];
  const counted = `club_id = ANY($1::uuid[]) AND status IN ('CHECKED_IN', 'CHECKED_OUT')
    AND checked_in_at >= ($2::date)::timestamp AT TIME ZONE 'UTC'
    AND checked_in_at < ($2::date + 1)::timestamp AT TIME ZONE 'UTC'`;
  await db.query(
    `WITH gone AS (DELETE FROM analytics.visit_days WHERE club_id = ANY($1::uuid[]) AND day = $2::date)
     DELETE FROM analytics.destination_days WHERE club_id = ANY($1::uuid[]) AND day = $2::date`,
    params,
  );
  await db.query(
    `INSERT INTO analytics.visit_days (club_id, side, day, visits, completed, seconds)
     SELECT club_id, side, $2::date, count(*), count(checked_out_at),
            coalesce(sum(extract(epoch FROM checked_out_at - checked_in_at)), 0)
       FROM analytics.visit_facts WHERE ${counted} GROUP BY club_id, side`,
    params,
  );
  await db.query(
    `INSERT INTO analytics.destination_days (club_id, other_club_id, day, visits)
     SELECT club_id, other_club_id, $2::date, count(*)
       FROM analytics.visit_facts WHERE ${counted} AND side = 'HOME' GROUP BY club_id, other_club_id`,
    params,
  );
  // The day's month, from its days: the caller holds the month's lock, so no other writer changes
  // one of its days meanwhile, and each statement here reads what they committed before.
  await db.query(
    `DELETE FROM analytics.destination_months
      WHERE club_id = ANY($1::uuid[]) AND month = date_trunc('month', $2::date)::date`,
    params,
  );
  await db.query(
    `INSERT INTO analytics.destination_months (club_id, other_club_id, month, visits)
     SELECT club_id, other_club_id, date_trunc('month', $2::date)::date, sum(visits)
       FROM analytics.destination_days
      WHERE club_id = ANY($1::uuid[]) AND day >= date_trunc('month', $2::date)::date
        AND day < (date_trunc('month', $2::date) + interval '1 month')::date
      GROUP BY club_id, other_club_id`,
    params,
  );
}
