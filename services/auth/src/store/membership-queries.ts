import type { Queryable } from '@clubland/db';
import type { MemberRecordStatus } from '../domain/member-standing.ts';

export interface MembershipChange {
  memberId: string;
  userId: string;
  clubId: string;
  status: MemberRecordStatus;
  changedAt: Date;
}

/** Queries on auth.club_memberships: accounts' membership records, as the member service announces them. */
export function createMembershipQueries(db: Queryable) {
  return {
    /** The account a record belongs to, when an earlier event said so. */
    async userOf(memberId: string): Promise<string | null> {
      const { rows } = await db.query<{ userId: string }>(
        'SELECT user_id AS "userId" FROM auth.club_memberships WHERE member_id = $1',
        [memberId],
      );
      return rows[0]?.userId ?? null;
    },

    /**
     * Records the change unless a later one is already recorded (events may arrive out of order),
     * the record was erased (nothing about it changes after that), or the account is unknown here;
     * true when it was recorded.
     */
    async record(change: MembershipChange): Promise<boolean> {
      const { rowCount } = await db.query(
        `INSERT INTO auth.club_memberships AS m (member_id, user_id, club_id, status, changed_at)
         SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM auth.users WHERE id = $2)
         ON CONFLICT (member_id) DO UPDATE
            SET user_id = EXCLUDED.user_id, club_id = EXCLUDED.club_id,
                status = EXCLUDED.status, changed_at = EXCLUDED.changed_at
          WHERE m.changed_at <= EXCLUDED.changed_at AND m.erased_at IS NULL`,
        [change.memberId, change.userId, change.clubId, change.status, change.changedAt],
      );
      return rowCount === 1;
    },
  };
}
