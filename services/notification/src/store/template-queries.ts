import type { Queryable } from '@clubland/db';
import type { Channel } from '../app/deps.ts';

export interface TemplateRow {
  id: string;
  clubId: string;
  name: string;
  channel: Channel;
  eventType: string | null;
  locale: string;
  bodyTemplate: string;
  htmlTemplate: string | null;
  variables: string[];
  isActive: boolean;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `id, club_id AS "clubId", name, channel, event_type AS "eventType", locale,
  body_template AS "bodyTemplate", html_template AS "htmlTemplate", variables, is_active AS "isActive",
  created_by AS "createdBy", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** A club's templates; run inside the club's tenant transaction (row-level security by club_id). */
export function createTemplateQueries(db: Queryable) {
  return {
    async insert(row: TemplateRow): Promise<TemplateRow> {
      const { rows } = await db.query<TemplateRow>(
        `INSERT INTO notification.templates (id, club_id, name, channel, event_type, locale, body_template,
           html_template, variables, is_active, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text[], $10, $11, $12, $13)
         RETURNING ${COLUMNS}`,
        [
          row.id,
          row.clubId,
          row.name,
          row.channel,
          row.eventType,
          row.locale,
          row.bodyTemplate,
          row.htmlTemplate,
          row.variables,
          row.isActive,
          row.createdBy,
          row.createdAt,
          row.updatedAt,
        ],
      );
      return rows[0]!;
    },

    async update(row: TemplateRow): Promise<TemplateRow> {
      const { rows } = await db.query<TemplateRow>(
        `UPDATE notification.templates SET name = $2, body_template = $3, html_template = $4,
           variables = $5::text[], is_active = $6, updated_at = $7 WHERE id = $1 RETURNING ${COLUMNS}`,
        [row.id, row.name, row.bodyTemplate, row.htmlTemplate, row.variables, row.isActive, row.updatedAt],
      );
      return rows[0]!;
    },

    async find(id: string, forUpdate = false): Promise<TemplateRow | null> {
      const { rows } = await db.query<TemplateRow>(
        `SELECT ${COLUMNS} FROM notification.templates WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
        [id],
      );
      return rows[0] ?? null;
    },

    async delete(id: string): Promise<boolean> {
      const { rowCount } = await db.query(`DELETE FROM notification.templates WHERE id = $1`, [id]);
      return rowCount > 0;
    },

    async page(
      channel: Channel | null,
      limit: number,
      offset: number,
    ): Promise<{ rows: TemplateRow[]; total: number }> {
      const where = channel ? 'WHERE channel = $1' : '';
      const params: unknown[] = channel ? [channel] : [];
      const total = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM notification.templates ${where}`,
        params,
      );
      const { rows } = await db.query<TemplateRow>(
        `SELECT ${COLUMNS} FROM notification.templates ${where} ORDER BY name, channel, locale
         LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, limit, offset],
      );
      return { rows, total: Number(total.rows[0]?.n ?? 0) };
    },
  };
}
