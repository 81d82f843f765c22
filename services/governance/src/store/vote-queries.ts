import type { Queryable } from '@clubland/db';
import type { VoteChoice } from '../domain/proposal.ts';

export interface VoteRow {
  id: string;
  proposalId: string;
  clubId: string;
  proposerClubId: string;
  choice: VoteChoice;
  weight: number;
  comments: string | null;
  isAnonymous: boolean;
  voterUserId: string;
  voterMemberId: string;
  castAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `v.id, v.proposal_id AS "proposalId", v.club_id AS "clubId", v.proposer_club_id AS "proposerClubId",
  v.choice, v.weight, v.comments, v.is_anonymous AS "isAnonymous", v.voter_user_id AS "voterUserId",
  v.voter_member_id AS "voterMemberId", v.cast_at AS "castAt", v.created_at AS "createdAt",
  v.updated_at AS "updatedAt"`;

export function createVoteQueries(db: Queryable) {
  return {
    async insert(row: VoteRow): Promise<void> {
      await db.query(
        `INSERT INTO governance.votes (id, proposal_id, club_id, proposer_club_id, choice, weight, comments,
           is_anonymous, voter_user_id, voter_member_id, cast_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          row.id,
          row.proposalId,
          row.clubId,
          row.proposerClubId,
          row.choice,
          row.weight,
          row.comments,
          row.isAnonymous,
          row.voterUserId,
          row.voterMemberId,
          row.castAt,
          row.createdAt,
          row.updatedAt,
        ],
      );
    },

    async update(row: VoteRow): Promise<void> {
      await db.query(
        `UPDATE governance.votes SET choice = $2, comments = $3, voter_user_id = $4, voter_member_id = $5,
           cast_at = $6, updated_at = $7 WHERE id = $1`,
        [row.id, row.choice, row.comments, row.voterUserId, row.voterMemberId, row.castAt, row.updatedAt],
      );
    },

    async delete(id: string): Promise<boolean> {
      const { rows } = await db.query(`DELETE FROM governance.votes WHERE id = $1 RETURNING id`, [id]);
      return rows.length === 1;
    },

    async findById(id: string): Promise<VoteRow | null> {
      const { rows } = await db.query<VoteRow>(`SELECT ${COLUMNS} FROM governance.votes v WHERE v.id = $1`, [
        id,
      ]);
      return rows[0] ?? null;
    },

    async findByClub(proposalId: string, clubId: string): Promise<VoteRow | null> {
      const { rows } = await db.query<VoteRow>(
        `SELECT ${COLUMNS} FROM governance.votes v WHERE v.proposal_id = $1 AND v.club_id = $2`,
        [proposalId, clubId],
      );
      return rows[0] ?? null;
    },

    /** A proposal's votes, newest first, with their number. */
    async listForProposal(
      proposalId: string,
      page: { limit: number; offset: number },
    ): Promise<{ votes: VoteRow[]; total: number }> {
      const [list, count] = await Promise.all([
        db.query<VoteRow>(
          `SELECT ${COLUMNS} FROM governance.votes v WHERE v.proposal_id = $1
            ORDER BY v.cast_at DESC, v.id DESC LIMIT $2 OFFSET $3`,
          [proposalId, page.limit, page.offset],
        ),
        db.query<{ total: number }>(
          `SELECT count(*)::integer AS total FROM governance.votes WHERE proposal_id = $1`,
          [proposalId],
        ),
      ]);
      return { votes: list.rows, total: count.rows[0]?.total ?? 0 };
    },

    /** The votes of `clubIds`, newest first, with their number. */
    async listForClubs(
      clubIds: readonly string[],
      page: { limit: number; offset: number },
    ): Promise<{ votes: VoteRow[]; total: number }> {
      const [list, count] = await Promise.all([
        db.query<VoteRow>(
          `SELECT ${COLUMNS} FROM governance.votes v WHERE v.club_id = ANY($1::uuid[])
            ORDER BY v.cast_at DESC, v.id DESC LIMIT $2 OFFSET $3`,
          [clubIds, page.limit, page.offset],
        ),
        db.query<{ total: number }>(
          `SELECT count(*)::integer AS total FROM governance.votes WHERE club_id = ANY($1::uuid[])`,
          [clubIds],
        ),
      ]);
      return { votes: list.rows, total: count.rows[0]?.total ?? 0 };
    },
  };
}
