import { ClubStatus } from '@clubland/contract/member/v1';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { networkAdminCaller } from '../../member/test/setup.ts';
import { INVITATION_TTL_SECONDS } from '../src/domain/invitation.ts';
import {
  type AuthHarness,
  meta,
  registerUser,
  setupAuthService,
  strongPassword,
  tokenFromOutbox,
} from './setup.ts';

const TEMPLATE = 'auth.club-invitation';
const admin = { email: 'root@clubland.test', password: 'First-Admin-Password-1' };

describe('club invitations', () => {
  let harness: AuthHarness;
  let adminToken: string;
  beforeEach(async () => {
    harness = await setupAuthService();
    await harness.service.bootstrapNetworkAdmin(admin);
    adminToken = (await harness.auth.login({ meta: meta(), ...admin })).accessToken;
  });
  afterEach(async () => {
    await harness.close();
  });

  async function invite(email: string, role = 'CLUB_ADMIN', token = adminToken, clubId = harness.club.id) {
    const { invitation } = await harness.auth.inviteToClub({ meta: meta(token), clubId, email, role });
    return { invitation: invitation!, token: await tokenFromOutbox(harness, email, TEMPLATE) };
  }

  const accept = (token: string, password = strongPassword) =>
    harness.auth.acceptClubInvitation({
      meta: meta(),
      token,
      password,
      firstName: 'Edith',
      lastName: 'Wharton',
    });

  it('appoints a club’s first admin: a mailed single-use link creates the account, verified, and signs it in', async () => {
    const { invitation, token } = await invite('edith@example.org');
    expect(invitation).toMatchObject({
      clubId: harness.club.id,
      email: 'edith@example.org',
      role: 'CLUB_ADMIN',
    });
    const [mail] = (await harness.outbox()).filter((m) => m.template === TEMPLATE);
    expect(mail).toMatchObject({
      to: 'edith@example.org',
      data: { clubName: harness.club.name, role: 'CLUB_ADMIN' },
    });
    expect(mail!.data.link).toMatch(/^https:\/\/app\.clubland\.test\/accept-invitation\?token=/);

    const signedIn = await accept(token);
    expect(signedIn.accessToken).not.toBe('');
    expect(signedIn.user).toMatchObject({
      email: 'edith@example.org',
      clubId: harness.club.id,
      emailVerified: true,
      roles: [{ role: 'CLUB_ADMIN', clubId: harness.club.id }],
    });
    expect(await harness.count('audit_log', "event = 'invitation.accepted'")).toBe(1);
    await expect
      .poll(() => harness.published.map((e) => e.type))
      .toEqual(expect.arrayContaining(['user.registered', 'user.role_granted']));
  });

  it('refuses a link used twice, and changes nothing the second time', async () => {
    const { token } = await invite('edith@example.org');
    await accept(token);
    const users = await harness.count('users');
    const grants = await harness.count('role_grants');
    await expect(accept(token, 'Another-Password-22')).rejects.toMatchObject({
      code: 'request.invalid_input',
      details: { field: 'token' },
    });
    expect(await harness.count('users')).toBe(users);
    expect(await harness.count('role_grants')).toBe(grants);
  });

  it('refuses a link after it expired, and a link a newer invitation replaced', async () => {
    const { token: expired } = await invite('edith@example.org');
    harness.clock.advance(INVITATION_TTL_SECONDS * 1000 + 1000);
    await expect(accept(expired)).rejects.toMatchObject({
      code: 'request.invalid_input',
      details: { field: 'token' },
    });
    expect(await harness.count('users', "email = 'edith@example.org'")).toBe(0);

    adminToken = (await harness.auth.login({ meta: meta(), ...admin })).accessToken; // a week later
    const { token: older } = await invite('grace@example.org');
    const { token: newer } = await invite('grace@example.org');
    await expect(accept(older)).rejects.toMatchObject({ details: { field: 'token' } });
    await expect(accept(newer)).resolves.toMatchObject({ user: { email: 'grace@example.org' } });
  });

  it('links an address that has an account only with that account’s password, keeping its home club', async () => {
    const clubB = await harness.createClub('athenaeum');
    const existing = await registerUser(harness, { clubId: clubB.id, email: 'ada@example.org' });
    const { token } = await invite('ada@example.org');
    await expect(accept(token, 'Not-Her-Password-99')).rejects.toMatchObject({
      code: 'auth.invalid_credentials',
    });
    expect(await harness.count('role_grants', `user_id = '${existing.userId}'`)).toBe(1);

    const linked = await accept(token, existing.password);
    // The link proved the mailbox: the address counts as verified now.
    expect(linked.user).toMatchObject({ id: existing.userId, clubId: clubB.id, emailVerified: true });
    // Its registration's MEMBER grant at club B is not in force: club B has not accepted the person.
    expect(linked.user?.roles.map((g) => [g.role, g.clubId])).toEqual([['CLUB_ADMIN', harness.club.id]]);
    expect(await harness.count('role_grants', `user_id = '${existing.userId}'`)).toBe(2);
  });

  it('lets a club admin invite staff at their club only; members invite nobody', async () => {
    const clubAdmin = await accept((await invite('edith@example.org')).token);
    const staff = await invite('dorothy@example.org', 'STAFF', clubAdmin.accessToken);
    expect(staff.invitation.role).toBe('STAFF');
    const clubB = await harness.createClub('athenaeum');
    await expect(
      harness.auth.inviteToClub({
        meta: meta(clubAdmin.accessToken),
        clubId: clubB.id,
        email: 'x@example.org',
        role: 'STAFF',
      }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
    const member = await registerUser(harness);
    await expect(
      harness.auth.inviteToClub({
        meta: meta(member.accessToken),
        clubId: harness.club.id,
        email: 'y@example.org',
        role: 'MEMBER',
      }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
    await expect(
      harness.auth.inviteToClub({
        meta: meta(),
        clubId: harness.club.id,
        email: 'z@example.org',
        role: 'MEMBER',
      }),
    ).rejects.toMatchObject({ code: 'request.unauthenticated' });
    await expect(
      harness.auth.inviteToClub({
        meta: meta(adminToken),
        clubId: harness.club.id,
        email: 'z@example.org',
        role: 'NETWORK_ADMIN',
      }),
    ).rejects.toMatchObject({ code: 'request.invalid_input', details: { field: 'role' } });
    expect(await harness.count('club_invitations')).toBe(2);
  });

  it('refuses to invite to a club that is not active', async () => {
    await harness.member.clubRegistry.setClubStatus({
      caller: networkAdminCaller(),
      clubId: harness.club.id,
      status: ClubStatus.SUSPENDED,
      reason: 'dues unpaid',
    });
    await expect(invite('edith@example.org')).rejects.toMatchObject({
      code: 'request.invalid_input',
      details: { field: 'clubId' },
    });
    expect(await harness.count('club_invitations')).toBe(0);
  });

  it('limits invitations per inviter and per address: RATE_LIMITED with a retry time, nothing sent', async () => {
    await harness.close();
    harness = await setupAuthService({
      rateLimits: {
        invitationsPerInviter: { limit: 3, windowSeconds: 3600 },
        invitationsPerAddress: { limit: 2, windowSeconds: 3600 },
      },
    });
    await harness.service.bootstrapNetworkAdmin(admin);
    adminToken = (await harness.auth.login({ meta: meta(), ...admin })).accessToken;
    const sendTo = (email: string) =>
      harness.auth.inviteToClub({
        meta: meta(adminToken),
        clubId: harness.club.id,
        email,
        role: 'CLUB_ADMIN',
      });

    // The same address, again and again: the third invitation to it is refused.
    await sendTo('target@example.org');
    await sendTo('target@example.org');
    await expect(sendTo('target@example.org')).rejects.toMatchObject({
      code: 'request.rate_limited',
      details: { retryAfterSeconds: expect.any(Number) },
    });
    // The inviter's third invitation (a new address) still goes; the fourth does not.
    await sendTo('someone@example.org');
    const sentBefore = (await harness.outbox()).filter((m) => m.template === TEMPLATE).length;
    await expect(sendTo('another@example.org')).rejects.toMatchObject({ code: 'request.rate_limited' });
    const sent = (await harness.outbox()).filter((m) => m.template === TEMPLATE);
    expect(sent).toHaveLength(sentBefore);
    expect(sent.map((m) => m.to)).not.toContain('another@example.org');
  });
});
