import type { Queryable } from '@clubland/db';
import type { Channel, NotificationStatus, Priority } from '../app/deps.ts';

/** A notification as this service stores it. */
export interface NotificationRow {
  id: string;
  clubId: string | null;
  userId: string;
  type: string;
  category: string;
  channel: Channel;
  channels: Channel[];
  priority: Priority;
  status: NotificationStatus;
  title: string;
  body: string;
  templateId: string | null;
  templateData: Record<string, unknown> | null;
  sourceEventId: string | null;
  sentBy: string | null;
  scheduledFor: Date | null;
  expiresAt: Date | null;
  sentAt: Date | null;
  deliveredAt: Date | null;
  readAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `id, club_id AS "clubId", user_id AS "userId", type, category, channel, channels, priority,
  status, title, body, template_id AS "templateId", template_data AS "templateData",
  source_event_id AS "sourceEventId", sent_by AS "sentBy", scheduled_for AS "scheduledFor",
  expires_at AS "expiresAt", sent_at AS "sentAt", delivered_at AS "deliveredAt", read_at AS "readAt",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

/** In the inbox: due, not expired (PENDING rows are scheduled for later). */
const VISIBLE = `status <> 'PENDING' AND (expires_at IS NULL OR expires_at > $2)`;

/** Notifications over a connection (a transaction the use case opened). */
export function createNotificationQueries(db: Queryable) {
  return {
    /**
     * Inserts notifications; a row whose (source event, recipient) exists already is skipped, so a
     * redelivered event adds nothing. Returns the rows inserted.
     */
    async insert(all: readonly NotificationRow[]): Promise<NotificationRow[]> {
      const inserted: NotificationRow[] = [];
      // 21 parameters a row: 2,000 rows stay under PostgreSQL's 65,535 parameters a statement.
      for (let start = 0; start < all.length; start += 2_000)
        inserted.push(...(await this.insertChunk(all.slice(start, start + 2_000))));
      return inserted;
    },

    async insertChunk(rows: readonly NotificationRow[]): Promise<NotificationRow[]> {
      if (rows.length === 0) return [];
      const params: unknown[] = [];
      const values = rows.map((row) => {
        const fields = [
          row.id,
          row.clubId,
          row.userId,
          row.type,
          row.category,
          row.channel,
          row.channels,
          row.priority,
          row.status,
          row.title,
          row.body,
          row.templateId,
          row.templateData === null ? null : JSON.stringify(row.templateData),
          row.sourceEventId,
          row.sentBy,
          row.scheduledFor,
          row.expiresAt,
          row.sentAt,
          row.deliveredAt,
          row.createdAt,
          row.updatedAt,
        ];
        const start = params.length;
        params.push(...fields);
        return `(${fields.map((_, i) => `$${start + i + 1}${i === 6 ? '::text[]' : i === 12 ? '::jsonb' : ''}`).join(', ')})`;
      });
      const { rows: inserted } = await db.query<NotificationRow>(
        `INSERT INTO notification.notifications (id, club_id, user_id, type, category, channel, channels,
           priority, status, title, body, template_id, template_data, source_event_id, sent_by, scheduled_for,
           expires_at, sent_at, delivered_at, created_at, updated_at)
         VALUES ${values.join(', ')}
         ON CONFLICT (source_event_id, user_id) WHERE source_event_id IS NOT NULL DO NOTHING
         RETURNING ${COLUMNS}`,
        params,
      );
      return inserted;
    },

    async page(
      userId: string,
      now: Date,
      filter: { unreadOnly: boolean; status: NotificationStatus | null; limit: number; offset: number },
    ): Promise<{ rows: NotificationRow[]; total: number }> {
      const where = [`user_id = $1`, VISIBLE];
      const params: unknown[] = [userId, now];
      if (filter.unreadOnly) where.push(`read_at IS NULL`);
      if (filter.status) {
        params.push(filter.status);
        where.push(`status = $${params.length}`);
      }
      const total = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM notification.notifications WHERE ${where.join(' AND ')}`,
        params,
      );
      const { rows } = await db.query<NotificationRow>(
        `SELECT ${COLUMNS} FROM notification.notifications WHERE ${where.join(' AND ')}
         ORDER BY created_at DESC, id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, filter.limit, filter.offset],
      );
      return { rows, total: Number(total.rows[0]?.n ?? 0) };
    },

    /** The person's notification by id; null for anyone else's (no probing of ids). */
    async findOwn(userId: string, id: string): Promise<NotificationRow | null> {
      const { rows } = await db.query<NotificationRow>(
        `SELECT ${COLUMNS} FROM notification.notifications WHERE id = $1 AND user_id = $2`,
        [id, userId],
      );
      return rows[0] ?? null;
    },

    /** Any notification by id, for a caller whose right to it the use case checks (its club's staff). */
    async find(id: string): Promise<NotificationRow | null> {
      const { rows } = await db.query<NotificationRow>(
        `SELECT ${COLUMNS} FROM notification.notifications WHERE id = $1`,
        [id],
      );
      return rows[0] ?? null;
    },

    /** The person's notices waiting for their time (scheduled, quiet hours), soonest first. */
    async pendingOf(userId: string, limit: number): Promise<NotificationRow[]> {
      const { rows } = await db.query<NotificationRow>(
        `SELECT ${COLUMNS} FROM notification.notifications WHERE user_id = $1 AND status = 'PENDING'
         ORDER BY scheduled_for NULLS FIRST, id LIMIT $2`,
        [userId, limit],
      );
      return rows;
    },

    async countUnread(userId: string, now: Date): Promise<number> {
      const { rows } = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM notification.notifications
         WHERE user_id = $1 AND read_at IS NULL AND status IN ('SENT', 'DELIVERED')
           AND (expires_at IS NULL OR expires_at > $2)`,
        [userId, now],
      );
      return Number(rows[0]?.n ?? 0);
    },

    /** Marks the person's notification read; one already read keeps its first reading. */
    async markRead(userId: string, id: string, now: Date): Promise<NotificationRow | null> {
      const { rows } = await db.query<NotificationRow>(
        `UPDATE notification.notifications
            SET read_at = coalesce(read_at, $3), status = 'READ', updated_at = $3
          WHERE id = $1 AND user_id = $2 AND status <> 'PENDING'
          RETURNING ${COLUMNS}`,
        [id, userId, now],
      );
      return rows[0] ?? null;
    },

    async markAllRead(userId: string, now: Date): Promise<number> {
      const { rowCount } = await db.query(
        `UPDATE notification.notifications SET read_at = $2, status = 'READ', updated_at = $2
          WHERE user_id = $1 AND read_at IS NULL AND status IN ('SENT', 'DELIVERED')`,
        [userId, now],
      );
      return rowCount;
    },

    /**
     * In-app notices whose time has come move into the inbox (DELIVERED); returns them so each is
     * announced once. SKIP LOCKED: several instances share the work without waiting on each other.
     */
    async releaseDue(now: Date, limit: number): Promise<NotificationRow[]> {
      // Only notices shown in the app: one that goes by other channels alone becomes SENT when
      // its first delivery goes (markSent).
      const { rows } = await db.query<NotificationRow>(
        `UPDATE notification.notifications
            SET status = 'DELIVERED', delivered_at = $1, sent_at = coalesce(sent_at, $1), updated_at = $1
          WHERE id IN (
            SELECT id FROM notification.notifications
             WHERE status = 'PENDING' AND scheduled_for <= $1 AND 'IN_APP' = ANY (channels)
             ORDER BY scheduled_for LIMIT $2 FOR UPDATE SKIP LOCKED)
          RETURNING ${COLUMNS}`,
        [now, limit],
      );
      return rows;
    },

    /** Records that a channel other than in-app carried each notification (first time only). */
    async markSent(ids: readonly string[], now: Date): Promise<void> {
      if (ids.length === 0) return;
      await db.query(
        `UPDATE notification.notifications SET sent_at = coalesce(sent_at, $2),
           status = CASE WHEN status IN ('PENDING', 'FAILED') THEN 'SENT' ELSE status END, updated_at = $2
         WHERE id = ANY ($1::uuid[])`,
        [[...new Set(ids)], now],
      );
    },
  };
}
