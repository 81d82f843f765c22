import type { Queryable } from '@clubland/db';
import type { ClubStatus } from '../domain/club.ts';

export interface ClubStatusChangeRow {
  id: string;
  clubId: string;
  fromStatus: ClubStatus;
  toStatus: ClubStatus;
  reason: string;
  changedBy: string;
  changedAt: Date;
}

const COLUMNS = `id, club_id AS "clubId", from_status AS "fromStatus", to_status AS "toStatus", reason,
  changed_by AS "changedBy", changed_at AS "changedAt"`;

/** The append-only record of club status changes (member.club_status_changes). */
export function createClubStatusQueries(db: Queryable) {
  return {
    async add(change: ClubStatusChangeRow): Promise<void> {
      await db.query(
        `INSERT INTO member.club_status_changes (id, club_id, from_status, to_status, reason, changed_by, changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          change.id,
          change.clubId,
          change.fromStatus,
          change.toStatus,
          change.reason,
          change.changedBy,
          change.changedAt,
        ],
      );
    },

    /** Newest first. */
    async forClub(clubId: string): Promise<ClubStatusChangeRow[]> {
      const { rows } = await db.query<ClubStatusChangeRow>(
        `SELECT ${COLUMNS} FROM member.club_status_changes WHERE club_id = $1 ORDER BY changed_at DESC, id DESC`,
        [clubId],
      );
      return rows;
    },
  };
}
