import type { Queryable } from '@clubland/db';

/** An agreement as the read model holds it (0011-visitor-directory.sql). */
export interface AgreementFact {
  agreementId: string;
  proposerClubId: string;
  partnerClubId: string;
  status: string;
  /** YYYY-MM-DD */
  startsOn: string;
  endsOn: string | null;
  changedAt: Date;
}

/**
 * What DescribeVisitor reads beside a club's roster: which club holds a member id (the member
 * directory, read in a network transaction), and the agreements read model.
 */
export function createVisitorQueries(db: Queryable) {
  return {
    /** The club holding the record; run in a network transaction (`db.transaction`). */
    async clubOfMember(memberId: string): Promise<string | null> {
      const { rows } = await db.query<{ clubId: string }>(
        `SELECT club_id AS "clubId" FROM member.member_directory WHERE member_id = $1`,
        [memberId],
      );
      return rows[0]?.clubId ?? null;
    },

    /**
     * Whether the two clubs hold an ACTIVE agreement. Its dates are the reciprocal service's to
     * judge, in the host's calendar (an expiry job moves it on at its end date).
     */
    async isAgreementActive(clubA: string, clubB: string): Promise<boolean> {
      const { rows } = await db.query(
        `SELECT 1 FROM member.reciprocal_agreements
          WHERE least(proposer_club_id, partner_club_id) = least($1::uuid, $2::uuid)
            AND greatest(proposer_club_id, partner_club_id) = greatest($1::uuid, $2::uuid)
            AND status = 'ACTIVE'`,
        [clubA, clubB],
      );
      return rows.length > 0;
    },

    /** Records an agreement's newest status; an event older than the stored one changes nothing. */
    async applyAgreementChange(fact: AgreementFact): Promise<void> {
      await db.query(
        `INSERT INTO member.reciprocal_agreements
           (agreement_id, proposer_club_id, partner_club_id, status, starts_on, ends_on, changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (agreement_id) DO UPDATE SET
           status = EXCLUDED.status, starts_on = EXCLUDED.starts_on, ends_on = EXCLUDED.ends_on,
           changed_at = EXCLUDED.changed_at
         WHERE member.reciprocal_agreements.changed_at <= EXCLUDED.changed_at`,
        [
          fact.agreementId,
          fact.proposerClubId,
          fact.partnerClubId,
          fact.status,
          fact.startsOn,
          fact.endsOn,
          fact.changedAt,
        ],
      );
    },
  };
}
