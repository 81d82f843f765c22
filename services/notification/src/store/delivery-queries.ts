import type { Queryable } from '@clubland/db';
import type { Channel } from '../app/deps.ts';

export type DeliveryChannel = Exclude<Channel, 'IN_APP'>;
export type DeliveryStatus = 'PENDING' | 'SENT' | 'DELIVERED' | 'FAILED';

/** One notification's delivery by one channel. */
export interface DeliveryRow {
  id: string;
  notificationId: string;
  clubId: string | null;
  userId: string;
  channel: DeliveryChannel;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  providerMessageId: string | null;
  sentAt: Date | null;
  failedAt: Date | null;
}

const COLUMNS = `id, notification_id AS "notificationId", club_id AS "clubId", user_id AS "userId", channel,
  status, attempts, next_attempt_at AS "nextAttemptAt", last_error AS "lastError",
  provider_message_id AS "providerMessageId", sent_at AS "sentAt", failed_at AS "failedAt"`;

/** A claimed delivery with what sending it needs: the notification's text and the person's addresses. */
export interface ClaimedDelivery extends DeliveryRow {
  title: string;
  body: string;
  type: string;
  category: string;
  expiresAt: Date | null;
  email: string | null;
  firstName: string | null;
  phone: string | null;
  deviceToken: string | null;
  locale: string;
  /** The club's name from club.created; null for a notice of no club or a club not heard of. */
}

export function createDeliveryQueries(db: Queryable) {
  return {
    async insert(
      all: readonly {
        id: string;
        notificationId: string;
        clubId: string | null;
        userId: string;
        channel: DeliveryChannel;
        nextAttemptAt: Date;
        now: Date;
      }[],
    ): Promise<void> {
      // 7 parameters a row: 5,000 rows a statement stay under PostgreSQL's 65,535.
      for (let start = 0; start < all.length; start += 5_000) {
        const rows = all.slice(start, start + 5_000);
        const params: unknown[] = [];
        const values = rows.map((row) => {
          params.push(
            row.id,
            row.notificationId,
            row.clubId,
            row.userId,
            row.channel,
            row.nextAttemptAt,
            row.now,
          );
          const n = params.length;
          return `($${n - 6}::uuid, $${n - 5}::uuid, $${n - 4}::uuid, $${n - 3}::uuid, $${n - 2}, 'PENDING', $${n - 1}::timestamptz, $${n}::timestamptz, $${n}::timestamptz)`;
        });
        await db.query(
          `INSERT INTO notification.deliveries
           (id, notification_id, club_id, user_id, channel, status, next_attempt_at, created_at, updated_at)
         VALUES ${values.join(', ')} ON CONFLICT (notification_id, channel) DO NOTHING`,
          params,
        );
      }
    },

    /**
     * Claims up to `limit` due deliveries: each attempt is counted and the row pushed out by
     * `leaseMs`, so if this sender dies mid-send the row comes back after the lease (at least once
     * to the provider, which the message id lets it recognise). SKIP LOCKED: instances share the work.
     */
    async claimDue(now: Date, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
      const { rows } = await db.query<ClaimedDelivery>(
        `WITH due AS (
           SELECT id FROM notification.deliveries
            WHERE status = 'PENDING' AND next_attempt_at <= $1
            ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED),
         claimed AS (
           UPDATE notification.deliveries d
              SET attempts = d.attempts + 1, next_attempt_at = $1::timestamptz + make_interval(secs => $3 / 1000.0),
                  updated_at = $1
             FROM due WHERE d.id = due.id
           RETURNING d.*)
         SELECT c.id, c.notification_id AS "notificationId", c.club_id AS "clubId", c.user_id AS "userId",
                c.channel, c.status, c.attempts, c.next_attempt_at AS "nextAttemptAt", c.last_error AS "lastError",
                c.provider_message_id AS "providerMessageId", c.sent_at AS "sentAt", c.failed_at AS "failedAt",
                n.title, n.body, n.type, n.category, n.expires_at AS "expiresAt",
                r.email, r.first_name AS "firstName", r.phone, r.device_token AS "deviceToken",
                coalesce(r.locale, 'en') AS locale
           FROM claimed c
           JOIN notification.notifications n ON n.id = c.notification_id
           LEFT JOIN notification.recipients r ON r.user_id = c.user_id`,
        [now, limit, leaseMs],
      );
      return rows;
    },

    /** Deliveries a sender accepted, all recorded SENT in one statement (a batch's successes). */
    async markSent(
      sent: readonly { id: string; providerMessageId: string | null }[],
      now: Date,
    ): Promise<void> {
      if (sent.length === 0) return;
      await db.query(
        `UPDATE notification.deliveries d SET status = 'SENT', provider_message_id = s.provider_message_id,
           sent_at = $3, last_error = NULL, updated_at = $3
           FROM unnest($1::uuid[], $2::text[]) AS s (id, provider_message_id)
          WHERE d.id = s.id`,
        [sent.map((d) => d.id), sent.map((d) => d.providerMessageId), now],
      );
    },

    async scheduleRetry(id: string, error: string, at: Date, now: Date): Promise<void> {
      await db.query(
        `UPDATE notification.deliveries SET last_error = $2, next_attempt_at = $3, updated_at = $4 WHERE id = $1`,
        [id, error.slice(0, 500), at, now],
      );
    },

    async markFailed(id: string, error: string, now: Date): Promise<void> {
      await db.query(
        `UPDATE notification.deliveries SET status = 'FAILED', last_error = $2, failed_at = $3, updated_at = $3
          WHERE id = $1`,
        [id, error.slice(0, 500), now],
      );
    },

    /** A failed delivery tried again from now, its attempts counted afresh. */
    async retry(id: string, now: Date): Promise<DeliveryRow | null> {
      const { rows } = await db.query<DeliveryRow>(
        `UPDATE notification.deliveries SET status = 'PENDING', attempts = 0, next_attempt_at = $2,
           failed_at = NULL, updated_at = $2 WHERE id = $1 AND status = 'FAILED' RETURNING ${COLUMNS}`,
        [id, now],
      );
      return rows[0] ?? null;
    },

    async find(id: string): Promise<DeliveryRow | null> {
      const { rows } = await db.query<DeliveryRow>(
        `SELECT ${COLUMNS} FROM notification.deliveries WHERE id = $1`,
        [id],
      );
      return rows[0] ?? null;
    },

    async ofNotification(notificationId: string): Promise<DeliveryRow[]> {
      const { rows } = await db.query<DeliveryRow>(
        `SELECT ${COLUMNS} FROM notification.deliveries WHERE notification_id = $1 ORDER BY channel`,
        [notificationId],
      );
      return rows;
    },
  };
}
