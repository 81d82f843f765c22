import type { Queryable } from '@clubland/db';
import type { PreferenceFacts } from '../app/deps.ts';

export interface PreferenceRow extends PreferenceFacts {
  id: string;
  userId: string;
  clubId: string | null;
  digestFrequency: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `id, user_id AS "userId", club_id AS "clubId", email_enabled AS "emailEnabled",
  sms_enabled AS "smsEnabled", push_enabled AS "pushEnabled", in_app_enabled AS "inAppEnabled",
  quiet_hours_enabled AS "quietHoursEnabled", quiet_hours_start AS "quietHoursStart",
  quiet_hours_end AS "quietHoursEnd", digest_enabled AS "digestEnabled", digest_frequency AS "digestFrequency",
  timezone, muted_categories AS "mutedCategories", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** What a person gets before they choose anything: in-app, email and push; no quiet hours. */
export const DEFAULT_PREFERENCES: PreferenceFacts & { digestFrequency: string | null } = {
  emailEnabled: true,
  smsEnabled: false,
  pushEnabled: true,
  inAppEnabled: true,
  quietHoursEnabled: false,
  quietHoursStart: null,
  quietHoursEnd: null,
  digestEnabled: false,
  digestFrequency: null,
  timezone: 'UTC',
  mutedCategories: {},
};

export function createPreferenceQueries(db: Queryable) {
  return {
    async of(userId: string): Promise<PreferenceRow | null> {
      const { rows } = await db.query<PreferenceRow>(
        `SELECT ${COLUMNS} FROM notification.preferences WHERE user_id = $1`,
        [userId],
      );
      return rows[0] ?? null;
    },

    /** Several people's preferences at once (a club's announcement); absent: the defaults. */
    async ofMany(userIds: readonly string[]): Promise<Map<string, PreferenceRow>> {
      if (userIds.length === 0) return new Map();
      const { rows } = await db.query<PreferenceRow>(
        `SELECT ${COLUMNS} FROM notification.preferences WHERE user_id = ANY ($1::uuid[])`,
        [userIds],
      );
      return new Map(rows.map((row) => [row.userId, row]));
    },

    async upsert(row: Omit<PreferenceRow, 'createdAt'> & { createdAt: Date }): Promise<PreferenceRow> {
      const { rows } = await db.query<PreferenceRow>(
        `INSERT INTO notification.preferences (id, user_id, club_id, email_enabled, sms_enabled, push_enabled,
           in_app_enabled, quiet_hours_enabled, quiet_hours_start, quiet_hours_end, digest_enabled,
           digest_frequency, timezone, muted_categories, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb, $15, $16)
         ON CONFLICT (user_id) DO UPDATE SET email_enabled = EXCLUDED.email_enabled,
           sms_enabled = EXCLUDED.sms_enabled, push_enabled = EXCLUDED.push_enabled,
           in_app_enabled = EXCLUDED.in_app_enabled, quiet_hours_enabled = EXCLUDED.quiet_hours_enabled,
           quiet_hours_start = EXCLUDED.quiet_hours_start, quiet_hours_end = EXCLUDED.quiet_hours_end,
           digest_enabled = EXCLUDED.digest_enabled, digest_frequency = EXCLUDED.digest_frequency,
           timezone = EXCLUDED.timezone, muted_categories = EXCLUDED.muted_categories,
           updated_at = EXCLUDED.updated_at
         RETURNING ${COLUMNS}`,
        [
          row.id,
          row.userId,
          row.clubId,
          row.emailEnabled,
          row.smsEnabled,
          row.pushEnabled,
          row.inAppEnabled,
          row.quietHoursEnabled,
          row.quietHoursStart,
          row.quietHoursEnd,
          row.digestEnabled,
          row.digestFrequency,
          row.timezone,
          JSON.stringify(row.mutedCategories),
          row.createdAt,
          row.updatedAt,
        ],
      );
      return rows[0]!;
    },
  };
}
