import type { Queryable } from '@clubland/db';
import type { MemberStatus } from '../domain/member.ts';

export interface StatusChangeRow {
  id: string;
  clubId: string;
  memberId: string;
  fromStatus: MemberStatus;
  toStatus: MemberStatus;
  reason: string;
  changedBy: string;
  changedAt: Date;
}

export interface PrivacyAuditRow {
  id: string;
  clubId: string;
  memberId: string;
  action: 'EXPORT' | 'ERASE';
  actorUserId: string;
  reason: string;
  at: Date;
}

/** The append-only history beside a member: status changes and privacy requests. */
export function createMemberHistoryQueries(db: Queryable) {
  return {
    async addStatusChange(change: StatusChangeRow): Promise<void> {
      await db.query(
        `INSERT INTO member.status_changes (id, club_id, member_id, from_status, to_status, reason, changed_by, changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          change.id,
          change.clubId,
          change.memberId,
          change.fromStatus,
          change.toStatus,
          change.reason,
          change.changedBy,
          change.changedAt,
        ],
      );
    },

    async statusChanges(clubId: string, memberId: string): Promise<StatusChangeRow[]> {
      const { rows } = await db.query<StatusChangeRow>(
        `SELECT id, club_id AS "clubId", member_id AS "memberId", from_status AS "fromStatus",
                to_status AS "toStatus", reason, changed_by AS "changedBy", changed_at AS "changedAt"
         FROM member.status_changes WHERE club_id = $1 AND member_id = $2 ORDER BY changed_at DESC, id DESC`,
        [clubId, memberId],
      );
      return rows;
    },

    async addPrivacyAudit(entry: PrivacyAuditRow): Promise<void> {
      await db.query(
        `INSERT INTO member.privacy_audit (id, club_id, member_id, action, actor_user_id, reason, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [entry.id, entry.clubId, entry.memberId, entry.action, entry.actorUserId, entry.reason, entry.at],
      );
    },

    async privacyAudit(clubId: string, memberId: string): Promise<PrivacyAuditRow[]> {
      const { rows } = await db.query<PrivacyAuditRow>(
        `SELECT id, club_id AS "clubId", member_id AS "memberId", action, actor_user_id AS "actorUserId", reason, at
         FROM member.privacy_audit WHERE club_id = $1 AND member_id = $2 ORDER BY at, id`,
        [clubId, memberId],
      );
      return rows;
    },
  };
}
