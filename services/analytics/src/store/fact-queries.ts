import type { Queryable } from '@clubland/db';

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
    /** Both clubs' rows of a visit. A time once known stays known (a later event may omit it). */
    async recordVisit(fact: VisitFact): Promise<void> {
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
