import { randomUUID } from 'node:crypto';
import { readOutbox } from '@clubland/notify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHarness, type GraphqlBody, setupGateway } from './setup.ts';

const PASSWORD = 'correct horse battery staple';
const ROSTER = 'query($clubId: ID) { members(clubId: $clubId) { pageInfo { total } } }';
const ME = '{ me { id permissions roleGrants { role clubId } } }';
const REFRESH =
  'mutation($refreshToken: String!) { refreshToken(refreshToken: $refreshToken) { token refreshToken } }';
const GRANT =
  'mutation($userId: ID!, $role: String!, $clubId: ID) { grantRole(userId: $userId, role: $role, clubId: $clubId) { id } }';
const REVOKE =
  'mutation($userId: ID!, $role: String!, $clubId: ID) { revokeRole(userId: $userId, role: $role, clubId: $clubId) { id } }';
const REVIEW = 'mutation($clubId: ID!) { reviewClub(clubId: $clubId, rating: 4) { rating } }';

interface Session {
  userId: string;
  token: string;
  refreshToken: string;
}

/**
 * A change to what an account may do takes effect on its next request, through the gateway: the
 * auth service counts it (the account's authorisation version) and announces it, the gateway
 * refuses tokens minted before it with UNAUTHENTICATED and `reason: TOKEN_OUTDATED`, and the
 * refreshed token carries the roles in force, which `me.permissions` shows. Redis carries the
 * announcements when REDIS_URL is set.
 */
describe('role and status changes take effect on the next request', () => {
  let harness: GatewayHarness;
  let admin: string;
  const clubs = { home: '', other: '' };

  beforeAll(async () => {
    harness = await setupGateway({ redisWhenConfigured: true });
    admin = await harness.networkAdminToken();
    for (const key of ['home', 'other'] as const) {
      const { body } = await harness.as(admin)(
        'mutation($input: CreateClubInput!) { createClub(input: $input) { id } }',
        { input: { name: `Club ${key}`, slug: `access-${key}-${randomUUID().slice(0, 8)}` } },
      );
      clubs[key] = body.data?.createClub.id;
    }
  });
  afterAll(async () => {
    await harness.close();
  });

  /** Registers at the home club; `isVerified`: and opens the link of the verification email. */
  async function register(email: string, options: { isVerified?: boolean } = {}): Promise<Session> {
    const { body } = await harness.post(
      'mutation($input: RegisterInput!) { register(input: $input) { token refreshToken user { id } } }',
      { input: { email, password: PASSWORD, clubId: clubs.home, firstName: 'Ada', lastName: 'Access' } },
    );
    const payload = body.data?.register;
    const session = { userId: payload.user.id, token: payload.token, refreshToken: payload.refreshToken };
    if (!options.isVerified) return session;
    const mail = (await readOutbox(harness.mailDir)).findLast(
      (m) => m.to === email && m.template === 'auth.verify-email',
    );
    const token = new URL(String(mail?.data.link)).searchParams.get('token');
    const verified = await harness.post('mutation($token: String!) { verifyEmail(token: $token) }', {
      token,
    });
    expect(verified.body.errors).toBeUndefined();
    return session;
  }

  async function refresh(session: Session): Promise<Session> {
    const { body } = await harness.post(REFRESH, { refreshToken: session.refreshToken });
    expect(body.errors).toBeUndefined();
    return {
      ...session,
      token: body.data?.refreshToken.token,
      refreshToken: body.data?.refreshToken.refreshToken,
    };
  }

  /** Announcements cross Redis asynchronously; the in-memory cache delivers them at once. */
  async function eventually(body: () => Promise<GraphqlBody>, accept: (body: GraphqlBody) => boolean) {
    const deadline = Date.now() + 3_000;
    for (;;) {
      const answer = await body();
      if (accept(answer) || Date.now() > deadline) return answer;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  const isOutdated = (body: GraphqlBody) =>
    body.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED' &&
    body.errors[0].extensions.reason === 'TOKEN_OUTDATED';

  it('revokeRole(STAFF): the STAFF-era token is refused at once; the refreshed one reads no roster, and me.permissions says so', async () => {
    let staff = await register(`staff-${randomUUID()}@example.org`);
    await harness.as(admin)(GRANT, { userId: staff.userId, role: 'STAFF', clubId: clubs.home });
    // The grant made the registration token outdated too: refreshing picks up STAFF.
    staff = await refresh(staff);
    const before = await harness.as(staff.token)(ROSTER, { clubId: clubs.home });
    expect(before.body.errors).toBeUndefined();
    expect(before.body.data?.members.pageInfo.total).toBeGreaterThanOrEqual(0);

    const revoked = await harness.as(admin)(REVOKE, {
      userId: staff.userId,
      role: 'STAFF',
      clubId: clubs.home,
    });
    expect(revoked.body.errors).toBeUndefined();

    const stale = await eventually(
      async () => (await harness.as(staff.token)(ROSTER, { clubId: clubs.home })).body,
      isOutdated,
    );
    expect(stale.data?.members ?? null).toBeNull();
    expect(stale.errors?.[0]?.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'TOKEN_OUTDATED',
    });
    const staleMe = await harness.as(staff.token)(ME);
    expect(isOutdated(staleMe.body)).toBe(true);

    staff = await refresh(staff);
    const me = await harness.as(staff.token)(ME);
    expect(me.body.errors).toBeUndefined();
    const permissions: string[] = me.body.data?.me.permissions;
    expect(permissions).not.toContain('member:read');
    const after = await harness.as(staff.token)(ROSTER, { clubId: clubs.home });
    expect(after.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // And back: granted again, the refreshed token reads the roster and me.permissions lists member:read.
    await harness.as(admin)(GRANT, { userId: staff.userId, role: 'STAFF', clubId: clubs.home });
    expect(
      isOutdated(await eventually(async () => (await harness.as(staff.token)(ME)).body, isOutdated)),
    ).toBe(true);
    staff = await refresh(staff);
    const regranted = await harness.as(staff.token)(ME);
    expect(regranted.body.data?.me.permissions).toContain('member:read');
    const roster = await harness.as(staff.token)(ROSTER, { clubId: clubs.home });
    expect(roster.body.errors).toBeUndefined();
  });

  it("a member record's suspension withholds the account's MEMBER grant at that club, on the next request", async () => {
    let member = await register(`member-${randomUUID()}@example.org`, { isVerified: true });
    const created = await harness.as(admin)(
      'mutation($input: CreateMemberInput!) { createMember(input: $input) { id } }',
      {
        input: {
          clubId: clubs.home,
          memberNumber: `M-${randomUUID().slice(0, 8)}`,
          userId: member.userId,
          firstName: 'Ada',
          lastName: 'Access',
          email: `record-${randomUUID()}@example.org`,
          membershipType: 'REGULAR',
        },
      },
    );
    expect(created.body.errors).toBeUndefined();
    const memberId: string = created.body.data?.createMember.id;
    const activated = await harness.as(admin)(
      'mutation($id: ID!, $clubId: ID) { activateMember(id: $id, clubId: $clubId) { status } }',
      { id: memberId, clubId: clubs.home },
    );
    expect(activated.body.data?.activateMember.status).toBe('ACTIVE');
    // Verified and now accepted by the club: the MEMBER grant comes into force on the next request.
    await eventually(async () => (await harness.as(member.token)(ME)).body, isOutdated);
    member = await refresh(member);
    const reviewed = await harness.as(member.token)(REVIEW, { clubId: clubs.other });
    expect(reviewed.body.errors).toBeUndefined();

    const suspended = await harness.as(admin)(
      'mutation($id: ID!, $clubId: ID) { suspendMember(id: $id, reason: "unpaid dues", clubId: $clubId) { status } }',
      { id: memberId, clubId: clubs.home },
    );
    expect(suspended.body.data?.suspendMember.status).toBe('SUSPENDED');

    const stale = await eventually(
      async () => (await harness.as(member.token)(REVIEW, { clubId: clubs.other })).body,
      isOutdated,
    );
    expect(isOutdated(stale)).toBe(true);
    member = await refresh(member);
    const me = await harness.as(member.token)(ME);
    expect(me.body.data?.me.permissions).not.toContain('review:write');
    expect(me.body.data?.me.roleGrants).not.toContainEqual({ role: 'MEMBER', clubId: clubs.home });
    const refused = await harness.as(member.token)(REVIEW, { clubId: clubs.other });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // Reinstated: the grant is in force again after the next refresh.
    await harness.as(admin)(
      'mutation($id: ID!, $clubId: ID) { reactivateMember(id: $id, clubId: $clubId) { status } }',
      { id: memberId, clubId: clubs.home },
    );
    await eventually(async () => (await harness.as(member.token)(ME)).body, isOutdated);
    member = await refresh(member);
    const reinstated = await harness.as(member.token)(ME);
    expect(reinstated.body.data?.me.permissions).toContain('review:write');
    const again = await harness.as(member.token)(REVIEW, { clubId: clubs.other });
    expect(again.body.errors).toBeUndefined();
  });

  it('suspending the account refuses its token at once, and its refresh token too', async () => {
    const user = await register(`suspended-${randomUUID()}@example.org`);
    const suspended = await harness.as(admin)(
      'mutation($id: ID!) { updateUser(id: $id, status: SUSPENDED) { status } }',
      { id: user.userId },
    );
    expect(suspended.body.data?.updateUser.status).toBe('SUSPENDED');
    const stale = await eventually(
      async () => (await harness.as(user.token)(ME)).body,
      (body) => body.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED',
    );
    expect(stale.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const refreshed = await harness.post(REFRESH, { refreshToken: user.refreshToken });
    expect(refreshed.body.data).toBeNull();
    expect(refreshed.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
