import { UserStatus } from '@clubland/contract/auth/v1';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AuthHarness, meta, registerUser, setupAuthService } from './setup.ts';

describe('roles and users across clubs', () => {
  let harness: AuthHarness;
  let clubB: { id: string };
  beforeEach(async () => {
    harness = await setupAuthService();
    clubB = await harness.createClub('athenaeum');
  });
  afterEach(async () => {
    await harness.close();
  });

  /** A user of `clubId` holding `role` there, signed in after the grant (so the token carries it). */
  async function signedIn(clubId: string, role?: 'CLUB_ADMIN' | 'NETWORK_ADMIN') {
    const user = await registerUser(harness, { clubId });
    if (role) await harness.seedRole(user.userId, role, role === 'NETWORK_ADMIN' ? null : clubId);
    const session = await harness.auth.login({ meta: meta(), email: user.email, password: user.password });
    return { ...user, accessToken: session.accessToken };
  }

  it('lets a member of club A neither grant nor read at club B', async () => {
    const memberA = await signedIn(harness.club.id);
    const memberB = await signedIn(clubB.id);
    await expect(
      harness.auth.grantRole({
        meta: meta(memberA.accessToken),
        userId: memberB.userId,
        role: 'STAFF',
        clubId: clubB.id,
      }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
    await expect(
      harness.auth.getUser({ meta: meta(memberA.accessToken), userId: memberB.userId }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
    // Not even at their own club: a plain member grants nothing.
    await expect(
      harness.auth.grantRole({
        meta: meta(memberA.accessToken),
        userId: memberA.userId,
        role: 'CLUB_ADMIN',
        clubId: harness.club.id,
      }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
    expect(await harness.count('role_grants')).toBe(2);
  });

  it('lets a club admin grant and revoke at their club only, audited and announced', async () => {
    const admin = await signedIn(harness.club.id, 'CLUB_ADMIN');
    const member = await signedIn(harness.club.id);
    const outsider = await signedIn(clubB.id);

    const { user } = await harness.auth.grantRole({
      meta: meta(admin.accessToken),
      userId: member.userId,
      role: 'STAFF',
      clubId: harness.club.id,
    });
    // STAFF is an appointment, in force at once; the registration's MEMBER grant waits for a
    // verified email and the club's acceptance (issue 29, item 6).
    expect(user!.roles.map((grant) => grant.role).sort()).toEqual(['STAFF']);
    expect(user!.permissions).toContain('visit:manage');
    expect(await harness.count('audit_log', `event = 'role.granted' AND user_id = '${member.userId}'`)).toBe(
      1,
    );

    await expect(
      harness.auth.grantRole({
        meta: meta(admin.accessToken),
        userId: outsider.userId,
        role: 'STAFF',
        clubId: clubB.id,
      }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });

    // The admin reads members of their club, not of club B.
    await expect(
      harness.auth.getUser({ meta: meta(admin.accessToken), userId: member.userId }),
    ).resolves.toBeDefined();
    await expect(
      harness.auth.getUser({ meta: meta(admin.accessToken), userId: outsider.userId }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });

    const revoked = await harness.auth.revokeRole({
      meta: meta(admin.accessToken),
      userId: member.userId,
      role: 'STAFF',
      clubId: harness.club.id,
    });
    expect(revoked.user!.roles.map((grant) => grant.role)).toEqual([]);
    expect(await harness.count('audit_log', `event = 'role.revoked'`)).toBe(1);

    await expect
      .poll(() =>
        harness.published
          .filter((event) => event.type === 'user.role_granted' && event.data !== null)
          .map((e) => e.data),
      )
      .toContainEqual({
        userId: member.userId,
        role: 'STAFF',
        clubId: harness.club.id,
        grantedBy: admin.userId,
      });
  });

  it('lets nobody but a network admin grant NETWORK_ADMIN', async () => {
    const admin = await signedIn(harness.club.id, 'CLUB_ADMIN');
    const member = await signedIn(harness.club.id);
    await expect(
      harness.auth.grantRole({
        meta: meta(admin.accessToken),
        userId: member.userId,
        role: 'NETWORK_ADMIN',
        clubId: '',
      }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
    await expect(
      harness.auth.grantRole({
        meta: meta(admin.accessToken),
        userId: admin.userId,
        role: 'NETWORK_ADMIN',
        clubId: '',
      }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });

    const network = await signedIn(clubB.id, 'NETWORK_ADMIN');
    const { user } = await harness.auth.grantRole({
      meta: meta(network.accessToken),
      userId: member.userId,
      role: 'NETWORK_ADMIN',
      clubId: '',
    });
    expect(user!.roles).toContainEqual(expect.objectContaining({ role: 'NETWORK_ADMIN', clubId: '' }));
    // And anything anywhere.
    await expect(
      harness.auth.grantRole({
        meta: meta(network.accessToken),
        userId: member.userId,
        role: 'CLUB_ADMIN',
        clubId: harness.club.id,
      }),
    ).resolves.toBeDefined();
  });

  it('refuses malformed grants with the field named', async () => {
    const network = await signedIn(harness.club.id, 'NETWORK_ADMIN');
    const cases = [
      [{ role: 'OWNER', clubId: harness.club.id }, 'role'],
      [{ role: 'NETWORK_ADMIN', clubId: harness.club.id }, 'clubId'],
      [{ role: 'STAFF', clubId: '' }, 'clubId'],
      [{ role: 'STAFF', clubId: '0190b7a6-0000-7000-8000-000000000000' }, 'clubId'],
    ] as const;
    for (const [change, field] of cases) {
      await expect(
        harness.auth.grantRole({ meta: meta(network.accessToken), userId: network.userId, ...change }),
      ).rejects.toMatchObject({ code: 'request.invalid_input', details: { field } });
    }
  });

  it('acts on a revoked CLUB_ADMIN at once, whatever the token still says', async () => {
    const admin = await signedIn(harness.club.id, 'CLUB_ADMIN');
    const member = await signedIn(harness.club.id);
    await harness.db.asOwner((tx) =>
      tx.query(`UPDATE auth.role_grants SET revoked_at = now() WHERE user_id = $1 AND role = 'CLUB_ADMIN'`, [
        admin.userId,
      ]),
    );
    await expect(
      harness.auth.grantRole({
        meta: meta(admin.accessToken),
        userId: member.userId,
        role: 'STAFF',
        clubId: harness.club.id,
      }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
  });

  it('lets users rename themselves but not change their status; a club admin suspends and so ends sessions', async () => {
    const admin = await signedIn(harness.club.id, 'CLUB_ADMIN');
    const member = await signedIn(harness.club.id);

    const renamed = await harness.auth.updateUser({
      meta: meta(member.accessToken),
      userId: '',
      firstName: ' Augusta ',
    });
    expect(renamed.user).toMatchObject({ firstName: 'Augusta', lastName: 'Lovelace' });
    await expect(
      harness.auth.updateUser({
        meta: meta(member.accessToken),
        userId: member.userId,
        status: UserStatus.ACTIVE,
      }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
    await expect(
      harness.auth.updateUser({ meta: meta(member.accessToken), userId: admin.userId, firstName: 'Mallory' }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
    await expect(
      harness.auth.updateUser({ meta: meta(member.accessToken), userId: '', firstName: 'x'.repeat(101) }),
    ).rejects.toMatchObject({ code: 'request.invalid_input', details: { field: 'firstName' } });

    const suspended = await harness.auth.updateUser({
      meta: meta(admin.accessToken),
      userId: member.userId,
      status: UserStatus.SUSPENDED,
    });
    expect(suspended.user!.status).toBe(UserStatus.SUSPENDED);
    await expect(harness.service.verifier.verify(member.accessToken)).rejects.toMatchObject({
      code: 'request.unauthenticated',
    });
    await expect(
      harness.auth.login({ meta: meta(), email: member.email, password: member.password }),
    ).rejects.toMatchObject({ code: 'auth.account_disabled' });
  });
});
