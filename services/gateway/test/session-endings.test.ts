import { readOutbox } from '@clubland/notify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHarness, setupGateway } from './setup.ts';

/**
 * Issue 29, item 8: a refresh token of a session that has ended says why it ended, through the
 * gateway, instead of claiming it "was used before". Every ending is UNAUTHENTICATED (the mobile
 * client signs out on it); `extensions.reason` and the message name what happened.
 */

const PASSWORD = 'Correct-Horse-Battery-9';
const NEW_PASSWORD = 'A-Whole-New-Secret-42';
const REGISTER = 'mutation($input: RegisterInput!) { register(input: $input) { user { id } } }';
const LOGIN = 'mutation($input: LoginInput!) { login(input: $input) { token refreshToken } }';
const REFRESH =
  'mutation($refreshToken: String!) { refreshToken(refreshToken: $refreshToken) { refreshToken } }';
const CREATE_CLUB = 'mutation($input: CreateClubInput!) { createClub(input: $input) { id } }';

describe('why a session ended, as a refresh is told, through the gateway', () => {
  let harness: GatewayHarness;
  let clubId: string;
  let serial = 0;

  beforeAll(async () => {
    harness = await setupGateway();
    clubId = (
      await ok(
        harness.asNetworkAdmin(CREATE_CLUB, { input: { name: 'The Travellers Club', slug: 'travellers' } }),
      )
    ).createClub.id;
  });
  afterAll(async () => {
    await harness?.close();
  });

  async function account() {
    serial += 1;
    const email = `traveller-${serial}@example.org`;
    const registered = await ok(
      harness.post(REGISTER, {
        input: { email, password: PASSWORD, clubId, firstName: 'Gertrude', lastName: 'Bell' },
      }),
    );
    return { email, id: registered.register.user.id as string };
  }

  async function signIn(email: string, password = PASSWORD) {
    const { login } = await ok(harness.post(LOGIN, { input: { email, password } }));
    return login as { token: string; refreshToken: string };
  }

  async function refresh(refreshToken: string) {
    return (await harness.post(REFRESH, { refreshToken })).body;
  }

  it('says a password reset closed the session, not that its token was used before', async () => {
    const { email } = await account();
    const session = await signIn(email);
    await ok(harness.post('mutation($email: String!) { requestPasswordReset(email: $email) }', { email }));
    // The reset email is written after the answer (so its timing tells nothing).
    await harness.settled();
    const mail = (await readOutbox(harness.mailDir)).find(
      (message) => message.to === email && message.template === 'auth.reset-password',
    );
    const token = new URL(String(mail?.data.link)).searchParams.get('token');
    await ok(
      harness.post(
        'mutation($token: String!, $p: String!) { resetPassword(token: $token, newPassword: $p) }',
        {
          token,
          p: NEW_PASSWORD,
        },
      ),
    );

    const body = await refresh(session.refreshToken);
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'password_reset' });
    expect(body.errors?.[0]?.message).toMatch(/closed by a password reset/);
    expect(body.errors?.[0]?.message).not.toMatch(/used before/);
    // Asked again, the answer stays the same: nothing was "reused".
    expect((await refresh(session.refreshToken)).errors?.[0]?.extensions?.reason).toBe('password_reset');
  });

  it('says signing out closed the session', async () => {
    const { email } = await account();
    const session = await signIn(email);
    await ok(harness.as(session.token)('mutation { logout }'));
    const body = await refresh(session.refreshToken);
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'logout' });
    expect(body.errors?.[0]?.message).toMatch(/closed by signing out/);
  });

  it('says an administrator’s suspension closed the session', async () => {
    const { email, id } = await account();
    const session = await signIn(email);
    await ok(
      harness.asNetworkAdmin('mutation($id: ID!) { updateUser(id: $id, status: SUSPENDED) { id } }', { id }),
    );
    const body = await refresh(session.refreshToken);
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'account_disabled' });
    expect(body.errors?.[0]?.message).toMatch(/suspended or deactivated/);
  });

  it('still says “used before” for a token that was, and names the reuse to the session’s newest token', async () => {
    const { email } = await account();
    const session = await signIn(email);
    const rotated = (await ok(harness.post(REFRESH, { refreshToken: session.refreshToken }))).refreshToken
      .refreshToken as string;

    const reused = await refresh(session.refreshToken);
    expect(reused.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' });
    expect(reused.errors?.[0]?.message).toMatch(/used before/);

    const newest = await refresh(rotated);
    expect(newest.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'token_reused' });
    expect(newest.errors?.[0]?.message).toMatch(/used twice/);
  });
});

/** The data of a successful response; fails the test with the errors otherwise. */
// biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary response shapes
async function ok(response: Promise<{ body: { data?: Record<string, any>; errors?: unknown[] } }>) {
  const { body } = await response;
  expect(body.errors).toBeUndefined();
  return body.data!;
}
