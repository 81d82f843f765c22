import type { Queryable } from '@clubland/db';

export interface AccountLink {
  clubId: string;
  memberId: string;
}

/**
 * A person's links to member records across clubs (member.account_links, kept by a trigger on
 * member.members). Run inside `db.transaction` (no tenant): the first statement names the person
 * for this transaction only (`set_config(..., true)`), and the `own_links` policy
 * (0010-account-links.sql) then shows exactly that person's links, read-only, whatever the WHERE
 * says. `userId` must be the caller's verified id: the policy trusts the setting as
 * tenant_isolation trusts the tenant.
 */
export function createAccountLinkQueries(db: Queryable) {
  return {
    async listForPerson(userId: string): Promise<AccountLink[]> {
      // Sent together, in this order: the setting the row-level policy reads, then the read.
      const [, { rows }] = await Promise.all([
        db.query(`SELECT set_config('app.user_id', $1, true)`, [userId]),
        db.query<AccountLink>(
          `SELECT club_id AS "clubId", member_id AS "memberId" FROM member.account_links WHERE user_id = $1`,
          [userId],
        ),
      ]);
      return rows;
    },
  };
}
