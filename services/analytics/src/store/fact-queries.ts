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

/** A UTC day (YYYY-MM-DD) whose rollups of `clubs` a write changed. */
export interface TouchedDay {
  day: string;
  clubs: readonly string[];
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
     * Both clubs' rows of a visit (a time once known stays known: a later event may omit it).
     * Answers the UTC days the visit was and is counted on, with its clubs: the rollups to recount
     * (`recount`, once per batch of events). Visit writers take one advisory lock first (held to the
     * commit; taking it again in the same transaction is free): consumers of other replicas write
     * and recount one after the other, each seeing the other's facts, and never wait for each
     * other's locks in a circle. A consumer writes a batch of events in one transaction
     * (follow-facts.ts), so this orders batches, not events.
     */
    /** The facts' writers' lock, held to the commit (taking it again in the same transaction is free). */
    async lockFacts(): Promise<void> {
      await db.query(`SELECT pg_advisory_xact_lock(hashtextextended('analytics.visit_facts', 0))`);
    },

    async recordVisit(fact: VisitFact): Promise<TouchedDay[]> {
      const [, { rows: before }] = await Promise.all([
        db.query(`SELECT pg_advisory_xact_lock(hashtextextended('analytics.visit_facts', 0))`),
        db.query<{ day: string }>(
          `SELECT to_char(checked_in_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day FROM analytics.visit_facts
            WHERE club_id = $1 AND visit_id = $2 AND checked_in_at IS NOT NULL`,
          [fact.hostClubId, fact.visitId],
        ),
      ]);
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
      const days = new Set([
        ...before.map((row) => row.day),
        ...(fact.checkedInAt ? [utcDayOf(fact.checkedInAt)] : []),
      ]);
      return [...days].map((day) => ({ day, clubs: [fact.hostClubId, fact.homeClubId] }));
    },

    /**
     * The daily (and monthly destination) rollups of the days visits touched, recounted from the
     * facts, each day once: its statements issued together, run by the server in the order sent.
     * Call it in the transaction that wrote the facts, after them (the visit writers' lock is held).
     */
    /** Marks the (club, day) pairs `touched` for the rollup job to recount. */
    async markStale(touched: readonly TouchedDay[]): Promise<void> {
      const pairs = touched.flatMap(({ day, clubs }) => clubs.map((club) => [club, day] as const));
      if (pairs.length === 0) return;
      await db.query(
        `INSERT INTO analytics.stale_days (club_id, day)
         SELECT * FROM unnest($1::uuid[], $2::date[]) ON CONFLICT DO NOTHING`,
        [pairs.map(([club]) => club), pairs.map(([, day]) => day)],
      );
    },

    /** Takes every stale (club, day) pair, cleared in this transaction: the days to recount. */
    async takeStale(): Promise<TouchedDay[]> {
      const { rows } = await db.query<{ clubId: string; day: string }>(
        `DELETE FROM analytics.stale_days RETURNING club_id AS "clubId", day::text AS day`,
      );
      return rows.map((row) => ({ day: row.day, clubs: [row.clubId] }));
    },

    async recount(touched: readonly TouchedDay[]): Promise<void> {
      const clubsByDay = new Map<string, Set<string>>();
      for (const { day, clubs } of touched) {
        const set = clubsByDay.get(day) ?? new Set<string>();
        for (const club of clubs) set.add(club);
        clubsByDay.set(day, set);
      }
      await Promise.all(
        [...clubsByDay.keys()].sort().flatMap((day) => recountDay(db, [...(clubsByDay.get(day) ?? [])], day)),
      );
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
 * One UTC day's rollups of `clubs`, recounted from their facts: the day's old rows out (both
 * tables in one statement, a data-modifying WITH), its counts and destinations back in, then its
 * month's destinations recounted from its days. Issued at once, to be awaited together: the server
 * runs them in this order.
 */
function recountDay(db: Queryable, clubs: readonly string[], day: string): Promise<unknown>[] {
  const params = [clubs, day];
  const counted = `club_id = ANY($1::uuid[]) AND status IN ('CHECKED_IN', 'CHECKED_OUT')
    AND checked_in_at >= ($2::date)::timestamp AT TIME ZONE 'UTC'
    AND checked_in_at < ($2::date + 1)::timestamp AT TIME ZONE 'UTC'`;
  const month = `date_trunc('month', $2::date)`;
  return [
    db.query(
      `WITH gone AS (DELETE FROM analytics.visit_days WHERE club_id = ANY($1::uuid[]) AND day = $2::date)
       DELETE FROM analytics.destination_days WHERE club_id = ANY($1::uuid[]) AND day = $2::date`,
      params,
    ),
    db.query(
      `INSERT INTO analytics.visit_days (club_id, side, day, visits, completed, seconds)
       SELECT club_id, side, $2::date, count(*), count(checked_out_at),
              coalesce(sum(extract(epoch FROM checked_out_at - checked_in_at)), 0)
         FROM analytics.visit_facts WHERE ${counted} GROUP BY club_id, side`,
      params,
    ),
    db.query(
      `INSERT INTO analytics.destination_days (club_id, other_club_id, day, visits)
       SELECT club_id, other_club_id, $2::date, count(*)
         FROM analytics.visit_facts WHERE ${counted} AND side = 'HOME' GROUP BY club_id, other_club_id`,
      params,
    ),
    // The day's month, from its days: the caller holds the visit writers' lock, so no other writer
    // changes one of its days meanwhile.
    db.query(
      `DELETE FROM analytics.destination_months WHERE club_id = ANY($1::uuid[]) AND month = ${month}::date`,
      params,
    ),
    db.query(
      `INSERT INTO analytics.destination_months (club_id, other_club_id, month, visits)
       SELECT club_id, other_club_id, ${month}::date, sum(visits)
         FROM analytics.destination_days
        WHERE club_id = ANY($1::uuid[]) AND day >= ${month}::date AND day < (${month} + interval '1 month')::date
        GROUP BY club_id, other_club_id`,
      params,
    ),
  ];
}
