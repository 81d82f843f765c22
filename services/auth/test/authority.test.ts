import { UserStatus } from '@clubland/contract/auth/v1';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AuthHarness,
  meta,
  registerUser,
  setupAuthService,
  strongPassword,
  tokenFromOutbox,
} from './setup.ts';

const admin = { email: 'root@clubland.test', password: 'First-Admin-Password-1' };

describe('authority over accounts', () => {
  let harness: AuthHarness;
  let adminToken: string;
  let adminId: string;
  beforeEach(async () => {
    harness = await setupAuthService();
    await harness.service.bootstrapNetworkAdmin(admin);
    const session = await harness.auth.login({ meta: meta(), ...admin });
    adminToken = session.accessToken;
    adminId = session.user!.id;
  });
  afterEach(async () => {
    await harness.close();
  });

  async function accountState(userId: string) {
    const { rows } = await harness.db.asOwner((tx) =>
      tx.query(
        `SELECT u.status,
                (SELECT count(*)::int FROM auth.role_grants g WHERE g.user_id = u.id AND g.revoked_at IS NULL) AS grants,
                (SELECT count(*)::int FROM auth.sessions s WHERE s.user_id = u.id AND s.revoked_at IS NULL) AS sessions
           FROM auth.users u WHERE u.id = $1`,
        [userId],
      ),
    );
    return rows[0];
  }

  it('never suspends or demotes the last network administrator who can sign in', async () => {
    const before = await accountState(adminId);
    for (const status of [UserStatus.SUSPENDED, UserStatus.LOCKED, UserStatus.INACTIVE]) {
      await expect(
        harness.auth.updateUser({ meta: meta(adminToken), userId: adminId, status }),
      ).rejects.toMatchObject({ code: 'entity.conflict' });
    }
    await expect(
      harness.auth.revokeRole({ meta: meta(adminToken), userId: adminId, role: 'NETWORK_ADMIN', clubId: '' }),
    ).rejects.toMatchObject({ code: 'entity.conflict' });
    expect(await accountState(adminId)).toEqual(before);

    // With a second one, either may suspend the other, but not then themself.
    const second = await registerUser(harness);
    await harness.auth.grantRole({
      meta: meta(adminToken),
      userId: second.userId,
      role: 'NETWORK_ADMIN',
      clubId: '',
    });
    const secondToken = (
      await harness.auth.login({ meta: meta(), email: second.email, password: second.password })
    ).accessToken;
    await harness.auth.updateUser({ meta: meta(secondToken), userId: adminId, status: UserStatus.SUSPENDED });
    await expect(
      harness.auth.updateUser({
        meta: meta(secondToken),
        userId: second.userId,
        status: UserStatus.SUSPENDED,
      }),
    ).rejects.toMatchObject({ code: 'entity.conflict' });
    await expect(
      harness.auth.revokeRole({
        meta: meta(secondToken),
        userId: second.userId,
        role: 'NETWORK_ADMIN',
        clubId: '',
      }),
    ).rejects.toMatchObject({ code: 'entity.conflict' });
    // Renaming is no threat to the network: the last administrator may still rename themself.
    await expect(
      harness.auth.updateUser({ meta: meta(secondToken), userId: second.userId, firstName: 'Last' }),
    ).resolves.toMatchObject({ user: { firstName: 'Last' } });
  });

  it('answers the member service who an account is and whether it belongs to a club', async () => {
    const other = await harness.createClub('athenaeum');
    const home = await registerUser(harness);
    expect(
      await harness.auth.describeAccount({ userId: home.userId, clubId: harness.club.id }),
    ).toMatchObject({
      found: true,
      homeClubId: harness.club.id,
      // Registered only: its MEMBER grant is not in force (unverified, not accepted by the club).
      roles: [],
      belongsToClub: true,
    });
    expect(await harness.auth.describeAccount({ userId: home.userId, clubId: other.id })).toMatchObject({
      found: true,
      belongsToClub: false,
    });

    // Accepting the other club's invitation ties the account to it, even once the role is revoked.
    await harness.auth.inviteToClub({
      meta: meta(adminToken),
      clubId: other.id,
      email: home.email,
      role: 'MEMBER',
    });
    const token = await tokenFromOutbox(harness, home.email, 'auth.club-invitation');
    await harness.auth.acceptClubInvitation({ meta: meta(), token, password: strongPassword });
    await harness.auth.revokeRole({
      meta: meta(adminToken),
      userId: home.userId,
      role: 'MEMBER',
      clubId: other.id,
    });
    expect(await harness.auth.describeAccount({ userId: home.userId, clubId: other.id })).toMatchObject({
      belongsToClub: true,
      // Verified by the invitation's link now, but the home club has not accepted the person yet.
      roles: [],
    });

    expect(
      await harness.auth.describeAccount({
        userId: '0190b7a6-0000-7000-8000-0000000000ff',
        clubId: other.id,
      }),
    ).toMatchObject({ found: false, belongsToClub: false, roles: [] });
    await expect(harness.auth.describeAccount({ userId: 'nobody', clubId: other.id })).rejects.toMatchObject({
      code: 'request.invalid_input',
      details: { field: 'userId' },
    });
  });
});
