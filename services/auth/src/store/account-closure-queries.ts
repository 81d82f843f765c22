import type { RoleGrant } from '@clubland/authz';
import type { Queryable } from '@clubland/db';

/**
 * Queries that carry out an erasure on the auth side (app/member-erasure.ts): drop a club's tie,
 * or close the account and remove everything that names the person. Each is a no-op when already
 * done, so an erasure applied twice changes nothing the second time.
 */
export function createAccountClosureQueries(db: Queryable) {
  return {
    /**
     * Locks the account until the transaction ends, so two erasures of one account's records (at
     * two clubs) are decided one after the other and the second sees the first's. Null: unknown.
     */
    async lockAccount(userId: string): Promise<{ closedAt: Date | null; email: string } | null> {
      const { rows } = await db.query<{ closedAt: Date | null; email: string }>(
        'SELECT closed_at AS "closedAt", email FROM auth.users WHERE id = $1 FOR UPDATE',
        [userId],
      );
      return rows[0] ?? null;
    },

    /**
     * Records the member record as erased (its standing INACTIVE from then on), even when no
     * earlier event about it arrived; true when this call erased it.
     */
    async markRecordErased(record: { memberId: string; userId: string; clubId: string; at: Date }) {
      const { rowCount } = await db.query(
        `INSERT INTO auth.club_memberships AS m (member_id, user_id, club_id, status, changed_at, erased_at)
         VALUES ($1, $2, $3, 'INACTIVE', $4, $4)
         ON CONFLICT (member_id) DO UPDATE
            SET status = 'INACTIVE', erased_at = EXCLUDED.erased_at,
                changed_at = greatest(m.changed_at, EXCLUDED.changed_at)
          WHERE m.erased_at IS NULL`,
        [record.memberId, record.userId, record.clubId, record.at],
      );
      return rowCount === 1;
    },

    /** Ends the MEMBER role at the club; true when it was held. */
    async revokeMemberRoleAt(userId: string, clubId: string, now: Date): Promise<boolean> {
      const { rowCount } = await db.query(
        `UPDATE auth.role_grants SET revoked_at = $3
          WHERE user_id = $1 AND role = 'MEMBER' AND club_id = $2 AND revoked_at IS NULL`,
        [userId, clubId, now],
      );
      return rowCount > 0;
    },

    /** Every role still held (unrevoked), in force or withheld: each is a tie to the network. */
    async heldRoles(userId: string): Promise<RoleGrant[]> {
      const { rows } = await db.query<RoleGrant>(
        `SELECT role, club_id AS "clubId" FROM auth.role_grants WHERE user_id = $1 AND revoked_at IS NULL`,
        [userId],
      );
      return rows;
    },

    /** Clubs where the account holds a member record not erased, other than `memberId`. */
    async otherRecordClubIds(userId: string, memberId: string): Promise<string[]> {
      const { rows } = await db.query<{ clubId: string }>(
        `SELECT DISTINCT club_id AS "clubId" FROM auth.club_memberships
          WHERE user_id = $1 AND member_id <> $2 AND erased_at IS NULL`,
        [userId, memberId],
      );
      return rows.map((row) => row.clubId);
    },

    /**
     * Closes the account: no names, no username, no Hanko link, `email` (a placeholder) in place of
     * the address, INACTIVE; then removes every credential and device (password, passkeys and
     * their ceremonies, TOTP and recovery codes, MFA challenges, known devices, emailed links) and
     * ends every role. The rows that record what happened keep the account id and lose where it
     * happened from: sessions and audit entries their address and browser, audit entries the
     * Hanko subject. Invitations to the person's address are withdrawn and lose it.
     * False when the account was closed already (nothing done).
     */
    async close(account: {
      userId: string;
      formerEmail: string;
      email: string;
      now: Date;
    }): Promise<boolean> {
      const { userId, now } = account;
      const { rowCount } = await db.query(
        `UPDATE auth.users
            SET email = $2, username = NULL, first_name = '', last_name = '', hanko_subject = NULL,
                status = 'INACTIVE', closed_at = $3, updated_at = $3
          WHERE id = $1 AND closed_at IS NULL`,
        [userId, account.email, now],
      );
      if (rowCount !== 1) return false;
      for (const table of [
        'password_credentials',
        'passkeys',
        'webauthn_challenges',
        'totp_factors',
        'recovery_codes',
        'mfa_challenges',
        'known_devices',
        'one_time_tokens',
      ]) {
        await db.query(`DELETE FROM auth.${table} WHERE user_id = $1`, [userId]);
      }
      await db.query(
        'UPDATE auth.role_grants SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL',
        [userId, now],
      );
      await db.query(`UPDATE auth.sessions SET ip = '', user_agent = '' WHERE user_id = $1`, [userId]);
      await db.query(
        `UPDATE auth.club_invitations
            SET email = $2, superseded_at = CASE WHEN accepted_at IS NULL THEN coalesce(superseded_at, $3) ELSE superseded_at END
          WHERE accepted_by = $1 OR lower(email) = lower($4)`,
        [userId, account.email, now, account.formerEmail],
      );
      return true;
    },
  };
}
