import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@clubland/bus';
import { readOutbox } from '@clubland/notify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHarness, type GraphqlBody, setupGateway } from './setup.ts';

/**
 * Issue 29, item 2, through the gateway over the real auth and member services: erasure is a
 * network-wide fact. Erasing a member record linked to an account reaches every service's view of
 * the person: the member record is blank, their reviews show "Former member" in every club, and
 * the account is closed (cannot sign in, answers as an unknown address, its tokens refused at
 * once) unless it still has another tie, when only the erased club's tie is dropped. Delivered
 * twice, or asked for twice, it changes nothing more.
 */

const PASSWORD = 'Correct-Horse-Battery-9';
const REGISTER =
  'mutation($input: RegisterInput!) { register(input: $input) { token refreshToken user { id } } }';
const LOGIN = 'mutation($input: LoginInput!) { login(input: $input) { token refreshToken } }';
const REFRESH = 'mutation($refreshToken: String!) { refreshToken(refreshToken: $refreshToken) { token } }';
const ME = '{ me { id email firstName lastName roleGrants { role clubId } } }';
const CREATE_CLUB = 'mutation($input: CreateClubInput!) { createClub(input: $input) { id } }';
const CREATE_MEMBER = 'mutation($input: CreateMemberInput!) { createMember(input: $input) { id } }';
const REVIEW =
  'mutation($clubId: ID!, $author: String) { reviewClub(clubId: $clubId, rating: 5, comment: "A fine bridge of a club.", author: $author) { id } }';
const REVIEWS = 'query($clubId: ID!) { clubReviews(clubId: $clubId) { nodes { id rating comment author } } }';
const ERASE =
  'mutation($memberId: ID!, $clubId: ID) { eraseMemberData(memberId: $memberId, reason: "the member asked (GDPR art. 17)", clubId: $clubId) { id memberNumber firstName lastName email erasedAt } }';
const MEMBER =
  'query($id: ID!, $clubId: ID) { member(id: $id, clubId: $clubId) { id memberNumber firstName lastName email phone erasedAt } }';
const ACTIVATE = 'mutation($id: ID!, $clubId: ID) { activateMember(id: $id, clubId: $clubId) { status } }';
const INVITE =
  'mutation($clubId: ID!, $email: String!, $role: String!) { inviteToClub(clubId: $clubId, email: $email, role: $role) { id } }';
const ACCEPT =
  'mutation($input: AcceptClubInvitationInput!) { acceptClubInvitation(input: $input) { token } }';

interface Person {
  id: string;
  email: string;
  token: string;
  refreshToken: string;
}

describe('erasure reaches everything that names the person', () => {
  let harness: GatewayHarness;
  let home: string;
  let other: string;
  const erasures: EventEnvelope[] = [];
  let serial = 0;

  beforeAll(async () => {
    harness = await setupGateway({ redisWhenConfigured: true });
    await harness.bus.subscribe({
      consumer: 'erasure-test-observer',
      types: ['member.erased'],
      handler: async (event) => {
        erasures.push(event);
      },
    });
    home = await createClub();
    other = await createClub();
  });
  afterAll(async () => {
    await harness?.close();
  });

  async function ok(request: Promise<{ body: GraphqlBody }>) {
    const { body } = await request;
    expect(body.errors).toBeUndefined();
    return body.data!;
  }

  async function createClub(): Promise<string> {
    serial += 1;
    const slug = `erasure-${serial}-${randomUUID().slice(0, 8)}`;
    return (await ok(harness.asNetworkAdmin(CREATE_CLUB, { input: { name: `Club ${serial}`, slug } })))
      .createClub.id;
  }

  /** An account at `clubId`, its email verified (the mailed link opened), signed in. */
  async function register(clubId: string, firstName: string, lastName: string): Promise<Person> {
    serial += 1;
    const email = `${firstName.toLowerCase()}-${serial}@example.org`;
    const data = await ok(
      harness.post(REGISTER, { input: { email, password: PASSWORD, clubId, firstName, lastName } }),
    );
    await openMailedLink(email, 'auth.verify-email', (token) =>
      harness.post('mutation($token: String!) { verifyEmail(token: $token) }', { token }),
    );
    const login = await ok(harness.post(LOGIN, { input: { email, password: PASSWORD } }));
    return {
      id: data.register.user.id,
      email,
      token: login.login.token,
      refreshToken: login.login.refreshToken,
    };
  }

  async function openMailedLink<T>(to: string, template: string, open: (token: string) => Promise<T>) {
    const mail = (await readOutbox(harness.mailDir))
      .filter((m) => m.to === to && m.template === template)
      .at(-1);
    const token = new URL(String(mail?.data.link)).searchParams.get('token');
    return open(String(token));
  }

  /**
   * The club's acceptance: a member record linked to the account, activated. Once the auth service
   * has followed it, the person signs in again (the change outdated their tokens) as a member there.
   */
  async function createRecord(clubId: string, person: Person, firstName: string, lastName: string) {
    serial += 1;
    const memberId = (
      await ok(
        harness.asNetworkAdmin(CREATE_MEMBER, {
          input: {
            clubId,
            memberNumber: `E-${serial}`,
            userId: person.id,
            firstName,
            lastName,
            email: `record-${serial}@example.org`,
            phone: '+44 117 000 0000',
            membershipType: 'REGULAR',
          },
        }),
      )
    ).createMember.id as string;
    expect((await ok(harness.asNetworkAdmin(ACTIVATE, { id: memberId, clubId }))).activateMember.status).toBe(
      'ACTIVE',
    );
    const followed = await eventually(
      () =>
        harness.db.asOwner(async (tx) => {
          const { rows } = await tx.query<{ status: string }>(
            'SELECT status FROM auth.club_memberships WHERE member_id = $1',
            [memberId],
          );
          return rows[0]?.status;
        }),
      (status) => status === 'ACTIVE',
    );
    expect(followed).toBe('ACTIVE');
    const login = await ok(harness.post(LOGIN, { input: { email: person.email, password: PASSWORD } }));
    person.token = login.login.token;
    person.refreshToken = login.login.refreshToken;
    return memberId;
  }

  async function reviewsOf(clubId: string) {
    return (await ok(harness.post(REVIEWS, { clubId }))).clubReviews.nodes as {
      id: string;
      rating: number;
      comment: string;
      author: string;
    }[];
  }

  async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
    // Generous for a loaded machine: it returns as soon as the read is accepted.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const value = await read();
      if (accept(value) || Date.now() > deadline) return value;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** What the auth service holds about the account, as the owner reads it. */
  async function accountState(userId: string) {
    return harness.db.asOwner(async (tx) => {
      const row = async (sql: string) => (await tx.query(sql, [userId])).rows;
      return {
        user: await row('SELECT * FROM auth.users WHERE id = $1'),
        grants: await row(
          'SELECT role, club_id, revoked_at FROM auth.role_grants WHERE user_id = $1 ORDER BY id',
        ),
        sessions: await row('SELECT * FROM auth.sessions WHERE user_id = $1 ORDER BY id'),
        memberships: await row('SELECT * FROM auth.club_memberships WHERE user_id = $1 ORDER BY member_id'),
        audit: await row('SELECT event, details FROM auth.audit_log WHERE user_id = $1 ORDER BY id'),
        credentials: await row(
          `SELECT (SELECT count(*)::int FROM auth.password_credentials WHERE user_id = $1) AS passwords,
                  (SELECT count(*)::int FROM auth.known_devices WHERE user_id = $1) AS devices,
                  (SELECT count(*)::int FROM auth.passkeys WHERE user_id = $1) AS passkeys,
                  (SELECT count(*)::int FROM auth.totp_factors WHERE user_id = $1) AS totp,
                  (SELECT count(*)::int FROM auth.one_time_tokens WHERE user_id = $1) AS links`,
        ),
      };
    });
  }

  it('closes an account with no other tie: no sign-in, tokens refused, review anonymous, record blank; replays change nothing', async () => {
    const isambard = await register(home, 'Isambard', 'Brunel');
    const memberId = await createRecord(home, isambard, 'Isambard', 'Brunel');
    await ok(harness.as(isambard.token)(REVIEW, { clubId: other, author: 'Isambard B.' }));
    expect((await reviewsOf(other)).map((review) => review.author)).toContain('Isambard B.');

    const erased = await ok(harness.asNetworkAdmin(ERASE, { memberId, clubId: home }));
    expect(erased.eraseMemberData).toMatchObject({ id: memberId, firstName: '', lastName: '', email: '' });
    const erasedAt = erased.eraseMemberData.erasedAt;
    expect(erasedAt).toEqual(expect.any(String));

    // Once the auth service has the fact (an event, so moments later): the token from before is
    // refused, and `me` with it is gone.
    const me = await eventually(
      () => harness.as(isambard.token)(ME),
      ({ body }) => body.errors !== undefined,
    );
    expect(me.body.data?.me ?? null).toBeNull();
    expect(me.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    // The sign-in answers exactly as for an address nobody has.
    const refused = await harness.post(LOGIN, { input: { email: isambard.email, password: PASSWORD } });
    const unknown = await harness.post(LOGIN, {
      input: { email: 'nobody-at-all@example.org', password: PASSWORD },
    });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(refused.body).toEqual(unknown.body);

    // The refresh token's session says why it ended.
    const refresh = await harness.post(REFRESH, { refreshToken: isambard.refreshToken });
    expect(refresh.body.errors?.[0]?.extensions).toEqual({
      code: 'UNAUTHENTICATED',
      reason: 'account_closed',
    });
    const review = await harness.as(isambard.token)(REVIEW, { clubId: other, author: 'Isambard B.' });
    expect(review.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    // The review stays, under an anonymous author.
    const reviews = await reviewsOf(other);
    expect(reviews.map((r) => r.author)).not.toContain('Isambard B.');
    expect(reviews).toContainEqual(
      expect.objectContaining({ rating: 5, comment: 'A fine bridge of a club.', author: 'Former member' }),
    );

    // The member record is blank, as every reader sees it.
    const record = await ok(harness.asNetworkAdmin(MEMBER, { id: memberId, clubId: home }));
    expect(record.member).toMatchObject({ firstName: '', lastName: '', email: '', erasedAt });
    expect(record.member.phone ?? '').toBe('');

    // Nothing in the auth service names the person; the closure is audited by ids only.
    const closed = await accountState(isambard.id);
    const user = closed.user[0] as Record<string, unknown>;
    expect(user).toMatchObject({ first_name: '', last_name: '', username: null, status: 'INACTIVE' });
    expect(user.email).toBe(`closed-${isambard.id}@erased.invalid`);
    expect(user.closed_at).not.toBeNull();
    expect(closed.credentials).toEqual([{ passwords: 0, devices: 0, passkeys: 0, totp: 0, links: 0 }]);
    expect(closed.grants.every((grant) => (grant as { revoked_at: unknown }).revoked_at !== null)).toBe(true);
    expect(
      closed.sessions.every((s) => (s as { revoked_reason: string }).revoked_reason === 'account_closed'),
    ).toBe(true);
    expect(JSON.stringify(closed)).not.toMatch(/Isambard|Brunel|isambard-/i);
    expect(closed.audit.filter((entry) => (entry as { event: string }).event === 'member.erased')).toEqual([
      {
        event: 'member.erased',
        details: expect.objectContaining({ memberId, clubId: home, outcome: 'account_closed' }),
      },
    ]);

    // Asked again: a no-op that says when it happened, announcing nothing.
    const again = await ok(harness.asNetworkAdmin(ERASE, { memberId, clubId: home }));
    expect(again.eraseMemberData).toMatchObject({ id: memberId, erasedAt });
    // Delivered again, as itself and as a second event about the same record: nothing changes.
    const announced = erasures.filter((event) => (event.data as { memberId: string }).memberId === memberId);
    expect(announced).toHaveLength(1);
    await harness.bus.publish([announced[0]!, { ...announced[0]!, id: randomUUID() }]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await accountState(isambard.id)).toEqual(closed);
    expect(
      erasures.filter((event) => (event.data as { memberId: string }).memberId === memberId),
    ).toHaveLength(3);

    // The address is free: the person may join again, as a new account.
    const back = await ok(
      harness.post(REGISTER, {
        input: {
          email: isambard.email,
          password: PASSWORD,
          clubId: home,
          firstName: 'New',
          lastName: 'Start',
        },
      }),
    );
    expect(back.register.user.id).not.toBe(isambard.id);
  });

  it('keeps an account with a tie elsewhere: only the erased club’s MEMBER role goes, and the reviews are anonymous', async () => {
    const tess = await register(other, 'Tess', 'Traveller');
    await createRecord(other, tess, 'Tess', 'Traveller');
    await ok(harness.asNetworkAdmin(INVITE, { clubId: home, email: tess.email, role: 'MEMBER' }));
    await openMailedLink(tess.email, 'auth.club-invitation', (token) =>
      ok(
        harness.post(ACCEPT, {
          input: { token, password: PASSWORD, firstName: 'Tess', lastName: 'Traveller' },
        }),
      ),
    );
    const memberId = await createRecord(home, tess, 'Tess', 'Traveller');
    const signedIn = await ok(harness.post(LOGIN, { input: { email: tess.email, password: PASSWORD } }));
    await ok(harness.as(signedIn.login.token)(REVIEW, { clubId: home, author: 'Tess T.' }));

    await ok(harness.asNetworkAdmin(ERASE, { memberId, clubId: home }));

    // Tokens minted before are outdated; a fresh one carries the roles left.
    const stale = await eventually(
      async () => (await harness.as(signedIn.login.token)(ME)).body,
      (body) => body.errors !== undefined,
    );
    expect(stale.errors?.[0]?.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'TOKEN_OUTDATED',
    });
    const refreshed = await ok(harness.post(REFRESH, { refreshToken: signedIn.login.refreshToken }));
    const me = await ok(harness.as(refreshed.refreshToken.token)(ME));
    expect(me.me).toMatchObject({ id: tess.id, email: tess.email, firstName: 'Tess' });
    expect(me.me.roleGrants).toContainEqual({ role: 'MEMBER', clubId: other });
    expect(me.me.roleGrants).not.toContainEqual({ role: 'MEMBER', clubId: home });
    // She still signs in; her review of the club shows no name.
    await ok(harness.post(LOGIN, { input: { email: tess.email, password: PASSWORD } }));
    const reviews = await reviewsOf(home);
    expect(reviews.map((review) => review.author)).not.toContain('Tess T.');
    expect(reviews.map((review) => review.author)).toContain('Former member');
    const state = await accountState(tess.id);
    expect(state.user[0]).toMatchObject({ closed_at: null, status: 'ACTIVE' });
    expect(state.audit.filter((entry) => (entry as { event: string }).event === 'member.erased')).toEqual([
      {
        event: 'member.erased',
        details: expect.objectContaining({ memberId, clubId: home, outcome: 'club_tie_dropped' }),
      },
    ]);
  });
});
