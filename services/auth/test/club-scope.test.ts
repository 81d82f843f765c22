import { randomUUID } from 'node:crypto';
import { SQL_STATE, sqlStateOf, type Tx } from '@clubland/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, meta, registerUser, setupAuthService } from './setup.ts';

/**
 * Issue 27, item 10: role grants and invitations each belong to a club. A club's transaction sees
 * and writes only its own; the network's (sign-in, decisions, an invitation's link) sees them all.
 */
describe('club scope of role grants and invitations', () => {
  let harness: AuthHarness;
  let clubA: string;
  let clubB: string;
  let clubC: string;
  /** The account registered at club A: its MEMBER grant is there. */
  let memberOfA: string;
  const admin = { email: 'root@clubland.test', password: 'First-Admin-Password-1' };

  beforeAll(async () => {
    harness = await setupAuthService();
    clubA = harness.club.id;
    clubB = (await harness.createClub(`b-${randomUUID().slice(0, 8)}`)).id;
    clubC = (await harness.createClub(`c-${randomUUID().slice(0, 8)}`)).id;
    await harness.service.bootstrapNetworkAdmin(admin);
    const adminToken = (await harness.auth.login({ meta: meta(), ...admin })).accessToken;
    for (const clubId of [clubA, clubB]) {
      const { userId } = await registerUser(harness, { clubId });
      if (clubId === clubA) memberOfA = userId;
      await harness.auth.inviteToClub({
        meta: meta(adminToken),
        clubId,
        email: `staff-${randomUUID().slice(0, 8)}@example.org`,
        role: 'STAFF',
      });
    }
  });
  afterAll(() => harness?.close());

  const seenBy = <R>(clubId: string | null, sql: string) => {
    const read = async (tx: Tx) => (await tx.query<R>(sql)).rows;
    return clubId === null ? harness.db.transaction(read) : harness.db.withTenant(clubId, read);
  };
  const grantsSeenBy = (clubId: string | null) =>
    seenBy<{ club_id: string | null; role: string }>(
      clubId,
      'SELECT club_id, role FROM auth.role_grants ORDER BY role, club_id',
    );
  const invitationClubsSeenBy = (clubId: string | null) =>
    seenBy<{ club_id: string }>(clubId, 'SELECT club_id FROM auth.club_invitations ORDER BY club_id');
  const refused = (error: unknown) => sqlStateOf(error) === SQL_STATE.insufficientPrivilege;

  it("shows a third club's transaction no role grant, and a club only its own, never a network-wide one", async () => {
    expect(await grantsSeenBy(clubC)).toEqual([]);
    expect(await grantsSeenBy(clubA)).toEqual([{ club_id: clubA, role: 'MEMBER' }]);
    expect(await grantsSeenBy(clubB)).toEqual([{ club_id: clubB, role: 'MEMBER' }]);
    // The network reads an account's grants at once: every one of them, the network admin's too.
    expect(await grantsSeenBy(null)).toEqual(
      expect.arrayContaining([
        { club_id: clubA, role: 'MEMBER' },
        { club_id: clubB, role: 'MEMBER' },
        { club_id: null, role: 'NETWORK_ADMIN' },
      ]),
    );
  });

  it("refuses a club's transaction a grant at another club or a network-wide one, and revokes nothing there", async () => {
    const userId = memberOfA;
    const insert = (clubId: string | null, role: string) =>
      harness.db.withTenant(clubA, (tx) =>
        tx.query(
          'INSERT INTO auth.role_grants (id, user_id, role, club_id, granted_at) VALUES ($1, $2, $3, $4, now())',
          [randomUUID(), userId, role, clubId],
        ),
      );
    await expect(insert(clubB, 'STAFF')).rejects.toSatisfy(refused);
    await expect(insert(null, 'NETWORK_ADMIN')).rejects.toSatisfy(refused);
    const moved = harness.db.withTenant(clubA, (tx) =>
      tx.query('UPDATE auth.role_grants SET club_id = $1 WHERE user_id = $2', [clubB, userId]),
    );
    await expect(moved).rejects.toSatisfy(refused);
    const revoked = await harness.db.withTenant(clubA, (tx) =>
      tx.query('UPDATE auth.role_grants SET revoked_at = now() WHERE club_id = $1 OR club_id IS NULL', [
        clubB,
      ]),
    );
    expect(revoked.rowCount).toBe(0);
    expect(await harness.count('role_grants', 'revoked_at IS NOT NULL')).toBe(0);
  });

  it("shows a third club's transaction no invitation, and a club only its own; it cannot invite to another", async () => {
    expect(await invitationClubsSeenBy(clubC)).toEqual([]);
    expect(await invitationClubsSeenBy(clubA)).toEqual([{ club_id: clubA }]);
    expect(await invitationClubsSeenBy(clubB)).toEqual([{ club_id: clubB }]);
    // Acceptance finds an invitation by its link's secret before anyone knows its club.
    expect(await invitationClubsSeenBy(null)).toHaveLength(2);
    const forged = harness.db.withTenant(clubA, (tx) =>
      tx.query(
        `INSERT INTO auth.club_invitations (id, token_hash, club_id, email, role, created_at, expires_at)
         VALUES ($1, $2, $3, 'eve@example.org', 'CLUB_ADMIN', now(), now() + interval '1 day')`,
        [randomUUID(), 'f'.repeat(64), clubB],
      ),
    );
    await expect(forged).rejects.toSatisfy(refused);
  });
});
