import { ClubStatus } from '@clubland/contract/member/v1';
import { SQL_STATE, sqlStateOf, type Tx } from '@clubland/db';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MemberServiceHarness, networkAdminCaller, setupMemberService } from './setup.ts';

/**
 * Issue 27, item 10: the member tables that carry a club id. A club's status history is that
 * club's (row-level security); reviews and favourites are network-wide and the catalogue says why.
 */
describe('club scope of the member tables', () => {
  let harness: MemberServiceHarness;
  const admin = networkAdminCaller();
  let clubA: string;
  let clubB: string;
  let clubC: string;

  beforeAll(async () => {
    harness = await setupMemberService();
    [clubA, clubB, clubC] = [await harness.seedClub(), await harness.seedClub(), await harness.seedClub()];
    for (const clubId of [clubA, clubB]) {
      await harness.clubRegistry.setClubStatus({
        caller: admin,
        clubId,
        status: ClubStatus.SUSPENDED,
        reason: 'dues unpaid',
      });
    }
  });
  afterAll(() => harness?.close());

  const statusChangesSeenBy = (clubId: string | null) => {
    const read = (tx: Tx) =>
      tx.query<{ club_id: string }>('SELECT club_id FROM member.club_status_changes ORDER BY club_id');
    return clubId === null ? harness.db.transaction(read) : harness.db.withTenant(clubId, read);
  };

  it("shows a third club's transaction none of the status changes of others, and a club only its own", async () => {
    expect((await statusChangesSeenBy(clubC)).rows).toEqual([]);
    expect((await statusChangesSeenBy(clubA)).rows).toEqual([{ club_id: clubA }]);
    expect((await statusChangesSeenBy(clubB)).rows).toEqual([{ club_id: clubB }]);
    // Tenant-owned: outside any club nothing shows; the owner still sees both.
    expect((await statusChangesSeenBy(null)).rows).toEqual([]);
    const { rows } = await harness.db.asOwner((tx) =>
      tx.query<{ n: number }>('SELECT count(*)::int AS n FROM member.club_status_changes'),
    );
    expect(rows[0]?.n).toBe(2);
  });

  it("refuses to record a status change of another club from a club's transaction", async () => {
    const attempt = harness.db.withTenant(clubA, (tx) =>
      tx.query(
        `INSERT INTO member.club_status_changes (id, club_id, from_status, to_status, reason, changed_by, changed_at)
         VALUES ($1, $2, 'ACTIVE', 'SUSPENDED', 'forged', $3, now())`,
        [uuidv7(), clubB, admin.userId],
      ),
    );
    await expect(attempt).rejects.toSatisfy((error) => sqlStateOf(error) === SQL_STATE.insufficientPrivilege);
  });

  it('says in the catalogue why reviews and favourites are network-wide', async () => {
    const { rows } = await harness.db.asOwner((tx) =>
      tx.query<{ name: string; comment: string | null; rls: boolean }>(
        `SELECT c.relname AS name, obj_description(c.oid, 'pg_class') AS comment, c.relrowsecurity AS rls
         FROM pg_class c WHERE c.oid IN ('member.club_reviews'::regclass, 'member.favourite_clubs'::regclass)
         ORDER BY 1`,
      ),
    );
    expect(rows).toEqual([
      { name: 'club_reviews', comment: expect.stringMatching(/^network-wide: /), rls: false },
      { name: 'favourite_clubs', comment: expect.stringMatching(/^network-wide: /), rls: false },
    ]);
  });
});
