import type { Queryable } from '@clubland/db';

/** Devices kept per account; a client that never keeps its token cannot grow the table beyond it. */
const MAX_DEVICES_PER_USER = 50;

/** Queries on auth.known_devices: the devices that have signed in to an account. */
export function createDeviceQueries(db: Queryable) {
  return {
    /** The device holding this token, if it is the account's and has not expired. */
    async findLive(tokenHash: string, userId: string, now: Date): Promise<string | null> {
      const { rows } = await db.query<{ id: string }>(
        `SELECT id FROM auth.known_devices WHERE token_hash = $1 AND user_id = $2 AND expires_at > $3`,
        [tokenHash, userId, now],
      );
      return rows[0]?.id ?? null;
    },

    /** Seen again: it stays known for another full term. */
    async touch(id: string, now: Date, expiresAt: Date): Promise<void> {
      await db.query('UPDATE auth.known_devices SET last_seen_at = $2, expires_at = $3 WHERE id = $1', [
        id,
        now,
        expiresAt,
      ]);
    },

    /** A new device of the account; the account's expired devices, and those beyond the newest
     *  MAX_DEVICES_PER_USER, go at the same time. */
    async insert(device: { id: string; userId: string; tokenHash: string; now: Date; expiresAt: Date }) {
      await db.query(
        `INSERT INTO auth.known_devices (id, user_id, token_hash, created_at, last_seen_at, expires_at)
         VALUES ($1, $2, $3, $4, $4, $5)`,
        [device.id, device.userId, device.tokenHash, device.now, device.expiresAt],
      );
      await db.query(
        `DELETE FROM auth.known_devices
          WHERE user_id = $1
            AND (expires_at <= $2
                 OR id NOT IN (SELECT id FROM auth.known_devices WHERE user_id = $1
                                ORDER BY last_seen_at DESC, id DESC LIMIT ${MAX_DEVICES_PER_USER}))`,
        [device.userId, device.now],
      );
    },
  };
}
