import type { Queryable } from '@clubland/db';

export interface AuditRow {
  userId: string | null;
  event: string;
  ip: string;
  userAgent: string;
  details: Record<string, unknown>;
  occurredAt: Date;
}

/** Queries on auth.audit_log. */
export function createAuditQueries(db: Queryable) {
  return {
    async insert(entry: AuditRow): Promise<void> {
      await db.query(
        `INSERT INTO auth.audit_log (user_id, event, ip, user_agent, details, occurred_at)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6)`,
        [
          entry.userId,
          entry.event,
          entry.ip,
          entry.userAgent,
          JSON.stringify(entry.details),
          entry.occurredAt,
        ],
      );
    },

    async forUser(userId: string): Promise<AuditRow[]> {
      const { rows } = await db.query<AuditRow>(
        `SELECT user_id AS "userId", event, ip, user_agent AS "userAgent", details, occurred_at AS "occurredAt"
           FROM auth.audit_log WHERE user_id = $1 ORDER BY id`,
        [userId],
      );
      return rows;
    },
  };
}
