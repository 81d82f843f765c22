import { randomUUID } from 'node:crypto';
import { migrate } from '@clubland/db';
import { createTestDb, type TestDb } from '@clubland/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authMigrations } from '../src/index.ts';

/**
 * Issue 29, item 3: each audit entry names who acted and the club it belongs to (migration 0011),
 * so club admins can read their club's entries. Entries written before the migration get both from
 * what they already said: details.by and details.clubId, else the account and its home club.
 */
describe('audit entries written before migration 0011', () => {
  let db: TestDb;
  const clubA = randomUUID();
  const clubB = randomUUID();
  const member = randomUUID();
  const admin = randomUUID();

  beforeAll(async () => {
    db = await createTestDb();
    const migrations = await authMigrations();
    await migrate(db, { schema: 'auth', migrations: migrations.filter((m) => m.version < 11) });
    await db.asOwner(async (tx) => {
      for (const [id, clubId, email] of [
        [member, clubA, 'member@example.org'],
        [admin, null, 'admin@example.org'],
      ] as const) {
        await tx.query(
          `INSERT INTO auth.users (id, club_id, email, status, created_at, updated_at)
           VALUES ($1, $2, $3, 'ACTIVE', now(), now())`,
          [id, clubId, email],
        );
      }
      const entries: [string | null, string, Record<string, unknown>][] = [
        [member, 'login.succeeded', { method: 'password' }],
        [member, 'role.granted', { role: 'STAFF', clubId: clubB, by: admin }],
        [admin, 'network_admin.bootstrapped', { role: 'NETWORK_ADMIN' }],
        [null, 'login.failed', { reason: 'unknown_email' }],
        [member, 'user.updated', { by: 'not-an-id', clubId: 'nor-this' }],
      ];
      for (const [userId, event, details] of entries) {
        await tx.query('INSERT INTO auth.audit_log (user_id, event, details) VALUES ($1, $2, $3::jsonb)', [
          userId,
          event,
          JSON.stringify(details),
        ]);
      }
    });
    await migrate(db, { schema: 'auth', migrations });
  });
  afterAll(() => db?.close());

  it('takes the actor from details.by and the club from details.clubId, else the account and its home club', async () => {
    const { rows } = await db.asOwner((tx) =>
      tx.query<{ event: string; actor: string | null; club: string | null }>(
        'SELECT event, actor_id AS actor, club_id AS club FROM auth.audit_log ORDER BY id',
      ),
    );
    expect(rows).toEqual([
      { event: 'login.succeeded', actor: member, club: clubA },
      { event: 'role.granted', actor: admin, club: clubB },
      { event: 'network_admin.bootstrapped', actor: admin, club: null },
      { event: 'login.failed', actor: null, club: null },
      { event: 'user.updated', actor: member, club: clubA },
    ]);
  });
});
