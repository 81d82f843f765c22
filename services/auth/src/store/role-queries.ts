import type { RoleGrant } from '@clubland/authz';
import type { Queryable } from '@clubland/db';
import { isMemberGrantInForce, type MemberGrantFacts } from '../domain/member-standing.ts';

/** Queries on auth.role_grants. Only active (unrevoked) grants count anywhere. */
export function createRoleQueries(db: Queryable) {
  return {
    /**
     * The grants in force: unrevoked, and a MEMBER grant only with a verified email and the club's
     * acceptance, while no record there withholds it (domain/member-standing.ts). Tokens, `me` and
     * every decision read this one list, so what a client is shown is what is enforced.
     */
    async activeGrants(userId: string): Promise<RoleGrant[]> {
      const { rows } = await db.query<RoleGrant & MemberGrantFacts>(
        `SELECT g.role, g.club_id AS "clubId", u.email_verified_at IS NOT NULL AS "isEmailVerified",
                (SELECT m.status FROM auth.club_memberships m
                  WHERE m.user_id = g.user_id AND m.club_id = g.club_id
                  ORDER BY m.changed_at DESC LIMIT 1) AS standing,
                EXISTS (SELECT 1 FROM auth.club_invitations i
                         WHERE i.accepted_by = g.user_id AND i.club_id = g.club_id) AS "isInvited"
           FROM auth.role_grants g JOIN auth.users u ON u.id = g.user_id
          WHERE g.user_id = $1 AND g.revoked_at IS NULL
          ORDER BY g.granted_at, g.id`,
        [userId],
      );
      return rows
        .filter((row) => row.role !== 'MEMBER' || isMemberGrantInForce(row))
        .map(({ role, clubId }) => ({ role, clubId }));
    },

    /** Grants the role unless the user holds it there already; true when this call granted it. */
    async grant(
      grant: RoleGrant & { id: string; userId: string; grantedBy: string | null; now: Date },
    ): Promise<boolean> {
      const { rowCount } = await db.query(
        `INSERT INTO auth.role_grants (id, user_id, role, club_id, granted_by, granted_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT DO NOTHING`,
        [grant.id, grant.userId, grant.role, grant.clubId, grant.grantedBy, grant.now],
      );
      return rowCount === 1;
    },

    /** Whether anyone holds the role now (active grants only). */
    async isHeldByAnyone(role: RoleGrant['role']): Promise<boolean> {
      const { rows } = await db.query<{ held: boolean }>(
        'SELECT EXISTS (SELECT 1 FROM auth.role_grants WHERE role = $1 AND revoked_at IS NULL) AS held',
        [role],
      );
      return rows[0]?.held === true;
    },

    /**
     * How many accounts other than `userId` hold NETWORK_ADMIN now and are in one of `statuses`
     * (those that can sign in): the network must never be left without one.
     */
    async otherNetworkAdmins(userId: string, statuses: readonly string[]): Promise<number> {
      const { rows } = await db.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM auth.role_grants g JOIN auth.users u ON u.id = g.user_id
          WHERE g.role = 'NETWORK_ADMIN' AND g.revoked_at IS NULL AND g.user_id <> $1
            AND u.status = ANY($2::text[])`,
        [userId, statuses],
      );
      return rows[0]?.count ?? 0;
    },

    /**
     * Serialises changes that could remove the last network administrator (suspending or demoting
     * one), so two admins acting on each other at once cannot both pass the check: held until the
     * transaction ends.
     */
    async lockNetworkAdmins(): Promise<void> {
      await db.query(`SELECT pg_advisory_xact_lock(hashtext('clubland.auth.network_admins'))`);
    },

    /**
     * Serialises the first-administrator bootstrap across every process (several instances may start
     * with the same bootstrap variables): held until the transaction ends.
     */
    async lockNetworkAdminBootstrap(): Promise<void> {
      await db.query(`SELECT pg_advisory_xact_lock(hashtext('clubland.auth.network_admin_bootstrap'))`);
    },

    /** Revokes the active grant; true when there was one. */
    async revoke(grant: RoleGrant & { userId: string; revokedBy: string; now: Date }): Promise<boolean> {
      const { rowCount } = await db.query(
        `UPDATE auth.role_grants SET revoked_at = $5, revoked_by = $4
          WHERE user_id = $1 AND role = $2 AND club_id IS NOT DISTINCT FROM $3::uuid AND revoked_at IS NULL`,
        [grant.userId, grant.role, grant.clubId, grant.revokedBy, grant.now],
      );
      return rowCount === 1;
    },
  };
}
