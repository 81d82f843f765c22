import { limitSql, type Queryable } from '@clubland/db';

export interface AuditRow {
  userId: string | null;
  event: string;
  ip: string;
  userAgent: string;
  details: Record<string, unknown>;
  occurredAt: Date;
}

/** What the audit() helper writes: the row, who acted and, when known, its club. */
export interface NewAuditRow extends AuditRow {
  actorId: string | null;
  /** Null: the subject's home club, read in the same statement (null again for none). */
  clubId: string | null;
}

/** An entry as its readers see it (the API's audit log, a person's export). */
export interface AuditEntryRow {
  id: string;
  event: string;
  actorId: string | null;
  subjectId: string | null;
  clubId: string | null;
  ip: string;
  userAgent: string;
  details: Record<string, unknown>;
  occurredAt: Date;
}

/** What narrows a page of the log; a null club reads every club (the network's view). */
export interface AuditFilter {
  clubId: string | null;
  actorId: string | null;
  subjectId: string | null;
  event: string | null;
  from: Date | null;
  to: Date | null;
}

const ENTRY_COLUMNS = `a.id::text AS id, a.event, a.actor_id AS "actorId", a.user_id AS "subjectId",
  a.club_id AS "clubId", a.ip, a.user_agent AS "userAgent", a.details, a.occurred_at AS "occurredAt"`;

/** Queries on auth.audit_log. */
export function createAuditQueries(db: Queryable) {
  return {
    async insert(entry: NewAuditRow): Promise<void> {
      await db.query(
        `INSERT INTO auth.audit_log (user_id, actor_id, club_id, event, ip, user_agent, details, occurred_at)
         VALUES ($1, $2, coalesce($3::uuid, (SELECT u.club_id FROM auth.users u WHERE u.id = $1::uuid)),
                 $4, $5, $6, $7::jsonb, $8)`,
        [
          entry.userId,
          entry.actorId,
          entry.clubId,
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

    /** Every entry about the account (it is the subject), oldest first: for the person's export. */
    async aboutSubject(userId: string): Promise<AuditEntryRow[]> {
      const { rows } = await db.query<AuditEntryRow>(
        `SELECT ${ENTRY_COLUMNS} FROM auth.audit_log a WHERE a.user_id = $1 ORDER BY a.id`,
        [userId],
      );
      return rows;
    },

    /**
     * One page of the log, newest first: up to `limit` entries with an id below `beforeId` (the
     * last one a previous page showed), with how many match in all. Keyset by id, so entries
     * written during a walk never shift it (they land before its first page).
     */
    async page(
      filter: AuditFilter,
      beforeId: string | null,
      limit: number,
    ): Promise<{ rows: AuditEntryRow[]; total: number }> {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (condition: (placeholder: string) => string, value: unknown) => {
        params.push(value);
        where.push(condition(`$${params.length}`));
      };
      if (filter.clubId !== null) add((p) => `a.club_id = ${p}::uuid`, filter.clubId);
      if (filter.actorId !== null) add((p) => `a.actor_id = ${p}::uuid`, filter.actorId);
      if (filter.subjectId !== null) add((p) => `a.user_id = ${p}::uuid`, filter.subjectId);
      if (filter.event !== null) add((p) => `a.event = ${p}`, filter.event);
      if (filter.from !== null) add((p) => `a.occurred_at >= ${p}::timestamptz`, filter.from);
      if (filter.to !== null) add((p) => `a.occurred_at < ${p}::timestamptz`, filter.to);
      const matching = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const { rows: counted } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM auth.audit_log a ${matching}`,
        params,
      );
      const pageWhere = [...where];
      const pageParams = [...params];
      if (beforeId !== null) {
        pageParams.push(beforeId);
        pageWhere.push(`a.id < $${pageParams.length}::bigint`);
      }
      const { rows } = await db.query<AuditEntryRow>(
        `SELECT ${ENTRY_COLUMNS} FROM auth.audit_log a
          ${pageWhere.length > 0 ? `WHERE ${pageWhere.join(' AND ')}` : ''}
          ORDER BY a.id DESC ${limitSql(limit, 0, () => '')}`,
        pageParams,
      );
      return { rows: rows.slice(0, limit), total: Number(counted[0]?.n ?? 0) };
    },
  };
}
