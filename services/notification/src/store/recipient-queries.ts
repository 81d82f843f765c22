import type { Queryable } from '@clubland/db';

/**
 * This service's read models of people, clubs' members and clubs' staff, kept from other
 * services' events (src/app/follow-people.ts), never read from their tables.
 */
export function createRecipientQueries(db: Queryable) {
  return {
    async saveRecipient(row: {
      userId: string;
      homeClubId: string | null;
      email: string;
      firstName: string;
      lastName: string;
      now: Date;
    }): Promise<void> {
      await db.query(
        `INSERT INTO notification.recipients (user_id, home_club_id, email, first_name, last_name, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (user_id) DO UPDATE SET home_club_id = EXCLUDED.home_club_id, email = EXCLUDED.email,
           first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name, updated_at = EXCLUDED.updated_at`,
        [row.userId, row.homeClubId, row.email, row.firstName, row.lastName, row.now],
      );
    },

    /**
     * A person's SMS number and language, from their member record. Kept apart from what
     * user.registered brings (saveRecipient leaves them alone), whichever event comes first.
     */
    async saveContact(row: {
      userId: string;
      phone: string | null;
      locale: string | null;
      now: Date;
    }): Promise<void> {
      await db.query(
        `INSERT INTO notification.recipients (user_id, phone, locale, updated_at)
         VALUES ($1, $2, coalesce($3, 'en'), $4)
         ON CONFLICT (user_id) DO UPDATE SET phone = EXCLUDED.phone, locale = EXCLUDED.locale,
           updated_at = EXCLUDED.updated_at`,
        [row.userId, row.phone, row.locale, row.now],
      );
    },

    /** The person's member record was erased: their number goes with it, their notices fall back to en. */
    async forgetContact(userId: string, now: Date): Promise<void> {
      await db.query(
        `UPDATE notification.recipients SET phone = NULL, locale = 'en', updated_at = $2 WHERE user_id = $1`,
        [userId, now],
      );
    },

    async homeClubOf(userId: string): Promise<string | null> {
      const { rows } = await db.query<{ homeClubId: string | null }>(
        `SELECT home_club_id AS "homeClubId" FROM notification.recipients WHERE user_id = $1`,
        [userId],
      );
      return rows[0]?.homeClubId ?? null;
    },

    async saveMember(row: {
      memberId: string;
      clubId: string;
      userId: string | null;
      status: string;
      now: Date;
    }): Promise<void> {
      await db.query(
        `INSERT INTO notification.club_members (member_id, club_id, user_id, status, updated_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (member_id) DO UPDATE SET user_id = coalesce(EXCLUDED.user_id, notification.club_members.user_id),
           status = EXCLUDED.status, updated_at = EXCLUDED.updated_at`,
        [row.memberId, row.clubId, row.userId, row.status, row.now],
      );
    },

    async forgetMember(memberId: string): Promise<void> {
      await db.query(`DELETE FROM notification.club_members WHERE member_id = $1`, [memberId]);
    },

    /** A club's notifications to a person, and their deliveries (ON DELETE CASCADE): an erasure. */
    async forgetNoticesOf(clubId: string, userId: string): Promise<void> {
      await db.query(`DELETE FROM notification.notifications WHERE club_id = $1 AND user_id = $2`, [
        clubId,
        userId,
      ]);
    },

    /** Of `userIds`, those with a member record at `clubId` that is not INACTIVE. */
    async membersAmong(clubId: string, userIds: readonly string[]): Promise<Set<string>> {
      const { rows } = await db.query<{ userId: string }>(
        `SELECT DISTINCT user_id AS "userId" FROM notification.club_members
          WHERE club_id = $1 AND user_id = ANY ($2::uuid[]) AND status <> 'INACTIVE'`,
        [clubId, userIds],
      );
      return new Set(rows.map((row) => row.userId));
    },

    async grantRole(clubId: string, userId: string, role: 'STAFF' | 'CLUB_ADMIN'): Promise<void> {
      await db.query(
        `INSERT INTO notification.club_staff (club_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [clubId, userId, role],
      );
    },

    async revokeRole(clubId: string, userId: string, role: 'STAFF' | 'CLUB_ADMIN'): Promise<void> {
      await db.query(
        `DELETE FROM notification.club_staff WHERE club_id = $1 AND user_id = $2 AND role = $3`,
        [clubId, userId, role],
      );
    },

    /** The club admins of each of `clubIds`. */
    /** Every club's administrators, each once (an account may administer several clubs). */
    async everyClubAdmin(): Promise<string[]> {
      const { rows } = await db.query<{ userId: string }>(
        `SELECT DISTINCT user_id AS "userId" FROM notification.club_staff WHERE role = 'CLUB_ADMIN' ORDER BY 1`,
      );
      return rows.map((row) => row.userId);
    },

    async adminsOf(clubIds: readonly string[]): Promise<{ clubId: string; userId: string }[]> {
      const { rows } = await db.query<{ clubId: string; userId: string }>(
        `SELECT club_id AS "clubId", user_id AS "userId" FROM notification.club_staff
          WHERE club_id = ANY ($1::uuid[]) AND role = 'CLUB_ADMIN' ORDER BY club_id, user_id`,
        [clubIds],
      );
      return rows;
    },
  };
}
