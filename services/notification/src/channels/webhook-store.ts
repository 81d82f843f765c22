import type { Tx } from '@clubland/db';

/** The webhook tables of migration 0010, as queries over one transaction's connection. */

export interface WebhookEndpointRow {
  id: string;
  clubId: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  enabled: boolean;
  createdBy: string;
  createdAt: Date;
}

export interface WebhookMessageRow {
  id: string;
  clubId: string;
  endpointId: string;
  eventType: string;
  sourceEventId: string;
  body: string;
  status: 'PENDING' | 'DELIVERED' | 'DEAD';
  attempts: number;
  totalAttempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
  deadAt: Date | null;
}

/** A message a dispatcher has claimed, with what it needs to sign and send it. */
export interface ClaimedWebhookMessage extends WebhookMessageRow {
  url: string;
  secret: string;
}

export interface WebhookAttemptRow {
  messageId: string;
  attempt: number;
  attemptedAt: Date;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

const ENDPOINT_COLUMNS = `id, club_id AS "clubId", url, description, event_types AS "eventTypes", enabled,
  created_by AS "createdBy", created_at AS "createdAt"`;
const MESSAGE_COLUMNS = `m.id, m.club_id AS "clubId", m.endpoint_id AS "endpointId", m.event_type AS "eventType",
  m.source_event_id AS "sourceEventId", m.body, m.status, m.attempts, m.total_attempts AS "totalAttempts",
  m.next_attempt_at AS "nextAttemptAt", m.last_error AS "lastError", m.created_at AS "createdAt",
  m.delivered_at AS "deliveredAt", m.dead_at AS "deadAt"`;

export function createWebhookQueries(tx: Tx) {
  return {
    /** Every endpoint's stored secret (a network transaction: re-sealing at start). */
    async storedSecrets(): Promise<{ id: string; secret: string }[]> {
      const { rows } = await tx.query<{ id: string; secret: string }>(
        'SELECT id, secret FROM notification.webhook_endpoints',
      );
      return rows;
    },

    async replaceSecret(id: string, stored: string, expected: string): Promise<void> {
      await tx.query('UPDATE notification.webhook_endpoints SET secret = $2 WHERE id = $1 AND secret = $3', [
        id,
        stored,
        expected,
      ]);
    },

    async insertEndpoint(row: WebhookEndpointRow & { secret: string }): Promise<void> {
      await tx.query(
        `INSERT INTO notification.webhook_endpoints
           (id, club_id, url, description, secret, event_types, enabled, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          row.id,
          row.clubId,
          row.url,
          row.description,
          row.secret,
          row.eventTypes,
          row.enabled,
          row.createdBy,
          row.createdAt,
        ],
      );
    },

    async listEndpoints(clubId: string): Promise<WebhookEndpointRow[]> {
      const { rows } = await tx.query<WebhookEndpointRow>(
        `SELECT ${ENDPOINT_COLUMNS} FROM notification.webhook_endpoints WHERE club_id = $1 ORDER BY created_at, id`,
        [clubId],
      );
      return rows;
    },

    /** Which of these clubs have an enabled endpoint (a network transaction: events of many clubs). */
    async clubsWithEndpoints(clubIds: readonly string[]): Promise<Set<string>> {
      const { rows } = await tx.query<{ clubId: string }>(
        `SELECT DISTINCT club_id AS "clubId" FROM notification.webhook_endpoints
          WHERE club_id = ANY ($1::uuid[]) AND enabled`,
        [clubIds],
      );
      return new Set(rows.map((row) => row.clubId));
    },

    /** The club's enabled endpoints that want `eventType`. */
    async endpointsFor(clubId: string, eventType: string): Promise<{ id: string }[]> {
      const { rows } = await tx.query<{ id: string }>(
        `SELECT id FROM notification.webhook_endpoints
          WHERE club_id = $1 AND enabled AND (event_types = '{}' OR $2 = ANY (event_types))
          ORDER BY id`,
        [clubId, eventType],
      );
      return rows;
    },

    /** Inserts the messages not queued before (by endpoint and source event); returns the new ones' ids. */
    async insertMessages(
      rows: Pick<
        WebhookMessageRow,
        'id' | 'clubId' | 'endpointId' | 'eventType' | 'sourceEventId' | 'body' | 'createdAt'
      >[],
    ): Promise<string[]> {
      if (rows.length === 0) return [];
      const { rows: inserted } = await tx.query<{ id: string }>(
        `INSERT INTO notification.webhook_messages
           (id, club_id, endpoint_id, event_type, source_event_id, body, status, next_attempt_at, created_at)
         SELECT id, club_id, endpoint_id, event_type, source_event_id, body, 'PENDING', created_at, created_at
           FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::uuid[], $6::text[], $7::timestamptz[])
             AS t (id, club_id, endpoint_id, event_type, source_event_id, body, created_at)
         ON CONFLICT (club_id, endpoint_id, source_event_id) DO NOTHING
         RETURNING id`,
        [
          rows.map((row) => row.id),
          rows.map((row) => row.clubId),
          rows.map((row) => row.endpointId),
          rows.map((row) => row.eventType),
          rows.map((row) => row.sourceEventId),
          rows.map((row) => row.body),
          rows.map((row) => row.createdAt),
        ],
      );
      return inserted.map((row) => row.id);
    },

    async findMessage(id: string): Promise<WebhookMessageRow | undefined> {
      const { rows } = await tx.query<WebhookMessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM notification.webhook_messages m WHERE m.id = $1`,
        [id],
      );
      return rows[0];
    },

    /** The club's dead letters, newest first; `before` pages by dead_at, id. */
    async listDeadLetters(
      clubId: string,
      limit: number,
      before?: { deadAt: Date; id: string },
    ): Promise<WebhookMessageRow[]> {
      const { rows } = await tx.query<WebhookMessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM notification.webhook_messages m
          WHERE m.club_id = $1 AND m.status = 'DEAD'
            AND ($3::timestamptz IS NULL OR (m.dead_at, m.id) < ($3, $4::uuid))
          ORDER BY m.dead_at DESC, m.id DESC LIMIT $2`,
        [clubId, limit, before?.deadAt ?? null, before?.id ?? null],
      );
      return rows;
    },

    /** A dead letter back in the queue, due now, with a fresh retry schedule; false unless it was DEAD. */
    async requeueDeadLetter(id: string, now: Date): Promise<boolean> {
      const { rowCount } = await tx.query(
        `UPDATE notification.webhook_messages
            SET status = 'PENDING', attempts = 0, next_attempt_at = $2, dead_at = NULL
          WHERE id = $1 AND status = 'DEAD'`,
        [id, now],
      );
      return rowCount === 1;
    },

    /**
     * Takes up to `limit` due messages of enabled endpoints, counting the attempt now and moving their
     * due time to `leaseUntil`: another dispatcher skips them (SKIP LOCKED while this transaction
     * runs, the lease after it), and if this one dies mid-send they come due again when the lease ends.
     */
    async claimDue(now: Date, leaseUntil: Date, limit: number): Promise<ClaimedWebhookMessage[]> {
      const { rows } = await tx.query<ClaimedWebhookMessage>(
        `WITH due AS (
           SELECT m.id FROM notification.webhook_messages m
             JOIN notification.webhook_endpoints e ON e.club_id = m.club_id AND e.id = m.endpoint_id
            WHERE m.status = 'PENDING' AND m.next_attempt_at <= $1 AND e.enabled
            ORDER BY m.next_attempt_at
            LIMIT $3
            FOR UPDATE OF m SKIP LOCKED)
         UPDATE notification.webhook_messages m
            SET attempts = m.attempts + 1, total_attempts = m.total_attempts + 1, next_attempt_at = $2
           FROM due, notification.webhook_endpoints e
          WHERE m.id = due.id AND e.club_id = m.club_id AND e.id = m.endpoint_id
         RETURNING ${MESSAGE_COLUMNS}, e.url, e.secret`,
        [now, leaseUntil, limit],
      );
      return rows;
    },

    /**
     * Records the outcome of attempt `attempt`, unless the message has moved on since it was claimed
     * (its lease ran out and another dispatcher took it: that one's result counts). Returns whether
     * it was recorded.
     */
    async recordAttempt(
      message: Pick<ClaimedWebhookMessage, 'id' | 'clubId' | 'totalAttempts'>,
      attempt: Omit<WebhookAttemptRow, 'messageId' | 'attempt'>,
      outcome:
        | { status: 'DELIVERED'; at: Date }
        | { status: 'PENDING'; nextAttemptAt: Date; error: string }
        | { status: 'DEAD'; at: Date; error: string },
    ): Promise<boolean> {
      const { rowCount } = await tx.query(
        `UPDATE notification.webhook_messages
            SET status = $3,
                next_attempt_at = $4,
                delivered_at = $5,
                dead_at = $6,
                last_error = $7
          WHERE id = $1 AND total_attempts = $2 AND status = 'PENDING'`,
        [
          message.id,
          message.totalAttempts,
          outcome.status,
          outcome.status === 'PENDING' ? outcome.nextAttemptAt : null,
          outcome.status === 'DELIVERED' ? outcome.at : null,
          outcome.status === 'DEAD' ? outcome.at : null,
          outcome.status === 'DELIVERED' ? null : outcome.error,
        ],
      );
      if (rowCount !== 1) return false;
      await tx.query(
        `INSERT INTO notification.webhook_attempts
           (message_id, club_id, attempt, attempted_at, status_code, error, duration_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          message.id,
          message.clubId,
          message.totalAttempts,
          attempt.attemptedAt,
          attempt.statusCode,
          attempt.error,
          attempt.durationMs,
        ],
      );
      return true;
    },

    async listAttempts(messageId: string): Promise<WebhookAttemptRow[]> {
      const { rows } = await tx.query<WebhookAttemptRow>(
        `SELECT message_id AS "messageId", attempt, attempted_at AS "attemptedAt", status_code AS "statusCode",
                error, duration_ms AS "durationMs"
           FROM notification.webhook_attempts WHERE message_id = $1 ORDER BY attempt`,
        [messageId],
      );
      return rows;
    },
  };
}

export type WebhookQueries = ReturnType<typeof createWebhookQueries>;
