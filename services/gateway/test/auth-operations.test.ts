import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSoftwareAuthenticator } from '../../auth/test/software-authenticator.ts';
import { type GatewayHarness, NETWORK_ADMIN, setupGateway } from './setup.ts';

/** The mobile client's own documents, sent as it sends them. */
function operation(path: string): string {
  return readFileSync(new URL(`../../../contract/mobile-client/operations/${path}`, import.meta.url), 'utf8');
}

const CREATE_CLUB = 'mutation($input: CreateClubInput!) { createClub(input: $input) { id slug } }';
const PASSWORD = 'correct horse battery staple';

describe("the mobile client's auth/ and profile/ operations through the gateway", () => {
  let harness: GatewayHarness;
  let clubId: string;
  let token: string;
  let refreshToken: string;
  let userId: string;

  beforeAll(async () => {
    harness = await setupGateway();
    const club = await harness.asNetworkAdmin(CREATE_CLUB, {
      input: { name: 'The Reform Club', slug: 'reform' },
    });
    clubId = club.body.data?.createClub.id;
  });
  afterAll(async () => {
    await harness.close();
  });

  it('register creates an account at the club and signs it in', async () => {
    const { body } = await harness.post(operation('auth/register.graphql'), {
      email: 'ada@example.org',
      password: PASSWORD,
      username: 'ada',
      clubId,
      firstName: 'Ada',
      lastName: 'Lovelace',
    });
    expect(body.errors).toBeUndefined();
    const payload = body.data?.register;
    expect(payload.user).toMatchObject({
      clubId,
      email: 'ada@example.org',
      firstName: 'Ada',
      // Unverified, and not yet accepted by the club: the MEMBER grant is not in force (issue 29, item 6).
      roles: [],
    });
    expect(payload.user.permissions).toEqual([]);
    expect(Date.parse(payload.expiresAt)).toBeGreaterThan(Date.now());
    token = payload.token;
    refreshToken = payload.refreshToken;
    userId = payload.user.id;
  });

  it('login signs in with email and password; a wrong password is UNAUTHENTICATED', async () => {
    const { body } = await harness.post(operation('auth/login.graphql'), {
      email: 'ada@example.org',
      password: PASSWORD,
    });
    expect(body.errors).toBeUndefined();
    expect(body.data?.login.user.id).toBe(userId);
    const wrong = await harness.post(operation('auth/login.graphql'), {
      email: 'ada@example.org',
      password: 'nope',
    });
    expect(wrong.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('currentUser (me) answers for the bearer, and null without one', async () => {
    const { body } = await harness.as(token)(operation('profile/current_user.graphql'));
    expect(body.errors).toBeUndefined();
    expect(body.data?.me).toMatchObject({ id: userId, clubId, roles: [] });
    const anonymous = await harness.post(operation('profile/current_user.graphql'));
    expect(anonymous.body).toEqual({ data: { me: null } });
    const forged = await harness.as(`${token}x`)(operation('profile/current_user.graphql'));
    expect(forged.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('updateUser changes the caller’s own names', async () => {
    const { body } = await harness.as(token)(operation('profile/update_user.graphql'), {
      id: userId,
      firstName: 'Augusta Ada',
      lastName: 'King',
    });
    expect(body.errors).toBeUndefined();
    expect(body.data?.updateUser).toMatchObject({ id: userId, firstName: 'Augusta Ada', lastName: 'King' });
    // `me` was read (and cached) before the change: the change shows at once all the same.
    const me = await harness.as(token)(operation('profile/current_user.graphql'));
    expect(me.body.data?.me).toMatchObject({ firstName: 'Augusta Ada', lastName: 'King' });
  });

  it('refreshToken rotates; reusing the old refresh token ends the session', async () => {
    const first = await harness.post(operation('auth/refresh_token.graphql'), { refreshToken });
    expect(first.body.errors).toBeUndefined();
    const rotated = first.body.data?.refreshToken.refreshToken;
    expect(rotated).not.toBe(refreshToken);
    const reuse = await harness.post(operation('auth/refresh_token.graphql'), { refreshToken });
    expect(reuse.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const afterReuse = await harness.post(operation('auth/refresh_token.graphql'), { refreshToken: rotated });
    expect(afterReuse.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('passkeys: registration options for a signed-in member, then a passkey login with a real authenticator', async () => {
    const login = await harness.post(operation('auth/login.graphql'), {
      email: 'ada@example.org',
      password: PASSWORD,
    });
    const session = login.body.data?.login.token as string;

    const init = await harness.as(session)(operation('auth/initiate_passkey_registration.graphql'));
    expect(init.body.errors).toBeUndefined();
    expect(init.body.data?.initiatePasskeyRegistration.userId).toBe(userId);
    const authenticator = createSoftwareAuthenticator({ origin: 'http://localhost:8080' });
    const credential = authenticator.register(init.body.data?.initiatePasskeyRegistration.options);
    const completed = await harness.as(session)(
      'mutation($credential: PasskeyCredentialInput!) { completePasskeyRegistration(credential: $credential) }',
      { credential },
    );
    expect(completed.body).toEqual({ data: { completePasskeyRegistration: true } });

    const start = await harness.post(operation('auth/initiate_passkey_login.graphql'), {
      email: 'ada@example.org',
      clubSlug: 'reform',
    });
    expect(start.body.errors).toBeUndefined();
    const { options, userId: loginUserId } = start.body.data!.initiatePasskeyLogin;
    const assertion = authenticator.authenticate(options);
    const finish = await harness.post(operation('auth/complete_passkey_login.graphql'), {
      clubSlug: 'reform',
      userId: loginUserId,
      credential: assertion,
    });
    expect(finish.body.errors).toBeUndefined();
    expect(finish.body.data?.completePasskeyLogin.user).toMatchObject({
      id: userId,
      roles: [],
    });
  });

  it('refresh-token reuse also ended the access tokens of that session', async () => {
    const after = await harness.as(token)(operation('profile/current_user.graphql'));
    expect(after.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('logout ends the session: its access token is refused at once', async () => {
    const login = await harness.post(operation('auth/login.graphql'), {
      email: 'ada@example.org',
      password: PASSWORD,
    });
    const session = login.body.data?.login.token as string;
    expect((await harness.as(session)(operation('profile/current_user.graphql'))).body.data?.me.id).toBe(
      userId,
    );
    const { body } = await harness.as(session)(operation('auth/logout.graphql'));
    expect(body).toEqual({ data: { logout: true } });
    const after = await harness.as(session)(operation('profile/current_user.graphql'));
    expect(after.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('bad input is BAD_USER_INPUT naming the field, and creates nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ email: 'not-an-email' }, 'email'],
      [{ email: 'weak@example.org', password: 'short' }, 'password'],
      [{ email: 'long@example.org', firstName: 'x'.repeat(10_000) }, 'firstName'],
    ];
    for (const [override, field] of cases) {
      const { body } = await harness.post(operation('auth/register.graphql'), {
        email: 'new@example.org',
        password: PASSWORD,
        username: 'newbie',
        clubId,
        firstName: 'New',
        lastName: 'Member',
        ...override,
      });
      expect(body.errors?.[0]?.extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const { rows } = await harness.db.asOwner((tx) =>
      // Besides Ada, only the network administrator who registered the club exists.
      tx.query<{ n: number }>('SELECT count(*)::int AS n FROM auth.users WHERE email NOT IN ($1, $2)', [
        'ada@example.org',
        NETWORK_ADMIN.email,
      ]),
    );
    expect(rows[0]!.n).toBe(0);
  });
});
