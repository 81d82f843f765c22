import { createTestDb, type TestDb } from '@clubland/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateAll } from '../src/schemas.ts';

/**
 * Issue 27, item 10: every table of every service that carries a club id either has row-level
 * security (enabled, forced, with a policy) or says in its comment why it is network-wide. A new
 * table with a club_id and neither fails here. On PGlite, and on PostgreSQL with DATABASE_URL.
 */
describe('tables that carry a club id', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
    await migrateAll(db);
  });
  afterAll(() => db?.close());

  it('are confined to their club by row-level security, or say why they are network-wide', async () => {
    const { rows } = await db.asOwner((tx) =>
      tx.query<{ name: string; isPoliced: boolean; comment: string | null }>(
        `SELECT n.nspname || '.' || c.relname AS name,
                c.relrowsecurity AND c.relforcerowsecurity
                  AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid) AS "isPoliced",
                obj_description(c.oid, 'pg_class') AS comment
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'club_id' AND NOT a.attisdropped
         WHERE c.relkind IN ('r', 'p') AND n.nspname IN ('member', 'auth', 'analytics')
         ORDER BY 1`,
      ),
    );
    const unexplained = rows.filter((row) => !row.isPoliced && !row.comment?.startsWith('network-wide: '));
    expect(unexplained.map((row) => row.name)).toEqual([]);
    expect(rows.filter((row) => row.isPoliced).map((row) => row.name)).toEqual([
      'analytics.agreement_facts',
      'analytics.destination_days',
      'analytics.destination_months',
      'analytics.member_facts',
      'analytics.stale_days',
      'analytics.visit_days',
      'analytics.visit_facts',
      'auth.club_invitations',
      'auth.club_memberships',
      'auth.role_grants',
      'member.account_links',
      'member.card_signing_keys',
      'member.club_status_changes',
      'member.member_counts',
      'member.member_directory',
      'member.members',
      'member.privacy_audit',
      'member.status_changes',
    ]);
    expect(rows.filter((row) => !row.isPoliced).map((row) => row.name)).toEqual([
      'auth.audit_log',
      'auth.users',
      'member.club_reviews',
      'member.favourite_clubs',
    ]);
  });
});
