import type { Queryable } from '@clubland/db';
import type { InvitedRole } from '../domain/invitation.ts';

export interface InvitationRow {
  id: string;
  clubId: string;
  email: string;
  role: InvitedRole;
  invitedBy: string | null;
  createdAt: Date;
  expiresAt: Date;
}

const COLUMNS = `id, club_id AS "clubId", email, role, invited_by AS "invitedBy", created_at AS "createdAt",
  expires_at AS "expiresAt"`;

const OPEN = `WHERE token_hash = $1 AND accepted_at IS NULL AND superseded_at IS NULL AND expires_at > $2`;

/** Queries on auth.club_invitations. */
export function createInvitationQueries(db: Queryable) {
  return {
    /** Stores a new invitation and retires the open one of the same address, club and role. */
    async issue(invitation: InvitationRow & { tokenHash: string }): Promise<void> {
      await db.query(
        `UPDATE auth.club_invitations SET superseded_at = $4
          WHERE lower(email) = lower($1) AND club_id = $2 AND role = $3
            AND accepted_at IS NULL AND superseded_at IS NULL`,
        [invitation.email, invitation.clubId, invitation.role, invitation.createdAt],
      );
      await db.query(
        `INSERT INTO auth.club_invitations (id, token_hash, club_id, email, role, invited_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          invitation.id,
          invitation.tokenHash,
          invitation.clubId,
          invitation.email,
          invitation.role,
          invitation.invitedBy,
          invitation.createdAt,
          invitation.expiresAt,
        ],
      );
    },

    /** An open (unused, unsuperseded, unexpired) invitation by its token's hash. */
    async findOpen(tokenHash: string, now: Date): Promise<InvitationRow | null> {
      const { rows } = await db.query<InvitationRow>(`SELECT ${COLUMNS} FROM auth.club_invitations ${OPEN}`, [
        tokenHash,
        now,
      ]);
      return rows[0] ?? null;
    },

    /** The same, locked until the transaction ends: concurrent redemptions of one link serialise. */
    async findOpenForUpdate(tokenHash: string, now: Date): Promise<InvitationRow | null> {
      const { rows } = await db.query<InvitationRow>(
        `SELECT ${COLUMNS} FROM auth.club_invitations ${OPEN} FOR UPDATE`,
        [tokenHash, now],
      );
      return rows[0] ?? null;
    },

    /** The clubs whose invitations the account redeemed, each once. */
    async acceptedClubIds(userId: string): Promise<string[]> {
      const { rows } = await db.query<{ clubId: string }>(
        `SELECT DISTINCT club_id AS "clubId" FROM auth.club_invitations WHERE accepted_by = $1`,
        [userId],
      );
      return rows.map((row) => row.clubId);
    },

    /** Redeems it; false when it was redeemed meanwhile (so it works once, even under concurrent use). */
    async accept(id: string, userId: string, now: Date): Promise<boolean> {
      const { rowCount } = await db.query(
        `UPDATE auth.club_invitations SET accepted_at = $3, accepted_by = $2
          WHERE id = $1 AND accepted_at IS NULL AND superseded_at IS NULL`,
        [id, userId, now],
      );
      return rowCount === 1;
    },
  };
}
