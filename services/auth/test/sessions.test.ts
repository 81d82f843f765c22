import { ClubError } from '@clubland/errors';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AuthHarness, meta, registerUser, setupAuthService } from './setup.ts';

async function eventually(check: () => void | Promise<void>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

describe('sessions over RPC', () => {
  let harness: AuthHarness;
  beforeEach(async () => {
    harness = await setupAuthService();
  });
  afterEach(async () => {
    await harness.close();
  });

  it('registers, logs in, refreshes and logs out end to end', async () => {
    const registered = await registerUser(harness, { username: 'ada.l' });
    expect(registered.user).toMatchObject({
      email: registered.email,
      username: 'ada.l',
      clubId: harness.club.id,
      emailVerified: false,
      // Signed in, and nothing more until the email is verified and the club accepts the person.
      roles: [],
      permissions: [],
    });
    expect(registered.accessToken).not.toBe('');

    // An RS256 access token with our kid and the claims the gateway needs.
    const header = decodeProtectedHeader(registered.accessToken);
    expect(header).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    const { keys } = JSON.parse((await harness.auth.getJwks({})).jwksJson) as { keys: { kid: string }[] };
    expect(keys.map((key) => key.kid)).toContain(header.kid);
    const claims = decodeJwt(registered.accessToken);
    expect(claims).toMatchObject({
      sub: registered.userId,
      clubId: harness.club.id,
      iss: harness.settings.issuer,
      aud: harness.settings.audience,
    });
    expect(claims.exp! - claims.iat!).toBe(15 * 60);

    const login = await harness.auth.login({
      meta: meta(),
      email: registered.email.toUpperCase(),
      password: registered.password,
    });
    expect(login.mfaRequired).toBe(false);
    expect(login.user!.id).toBe(registered.userId);
    const caller = await harness.service.verifier.verify(login.accessToken);
    expect(caller).toMatchObject({ userId: registered.userId, homeClubId: harness.club.id });

    const refreshed = await harness.auth.refreshSession({ meta: meta(), refreshToken: login.refreshToken });
    expect(refreshed.refreshToken).not.toBe(login.refreshToken);
    expect(decodeJwt(refreshed.accessToken).sid).toBe(caller.sessionId);

    const me = await harness.auth.getUser({ meta: meta(refreshed.accessToken), userId: '' });
    expect(me.user!.lastLoginAt).toBeDefined();

    expect(await harness.auth.logout({ meta: meta(refreshed.accessToken) })).toMatchObject({
      loggedOut: true,
    });
    await expect(harness.service.verifier.verify(refreshed.accessToken)).rejects.toMatchObject({
      code: 'request.unauthenticated',
    });
    await expect(
      harness.auth.getUser({ meta: meta(refreshed.accessToken), userId: '' }),
    ).rejects.toMatchObject({
      code: 'request.unauthenticated',
    });
    await expect(
      harness.auth.refreshSession({ meta: meta(), refreshToken: refreshed.refreshToken }),
    ).rejects.toBeInstanceOf(ClubError);

    // The registration session is untouched by the other session's logout.
    await expect(harness.service.verifier.verify(registered.accessToken)).resolves.toMatchObject({
      userId: registered.userId,
    });
    expect(await harness.count('audit_log', `event = 'login.succeeded'`)).toBe(2);
    expect(await harness.count('audit_log', `event = 'session.logged_out'`)).toBe(1);

    await eventually(() =>
      expect(harness.published.map((event) => event.type).sort()).toEqual([
        'user.registered',
        'user.role_granted',
      ]),
    );
    expect(harness.published.find((e) => e.type === 'user.registered')).toMatchObject({
      tenantId: harness.club.id,
      data: { userId: registered.userId, status: 'PENDING_VERIFICATION', username: 'ada.l' },
    });
  });

  it('revokes the whole session when a used refresh token comes back', async () => {
    const { refreshToken: first, userId } = await registerUser(harness);
    const second = await harness.auth.refreshSession({ meta: meta(), refreshToken: first });
    const third = await harness.auth.refreshSession({ meta: meta(), refreshToken: second.refreshToken });

    await expect(harness.auth.refreshSession({ meta: meta(), refreshToken: first })).rejects.toMatchObject({
      code: 'auth.token_reused',
    });
    // The newest token of the family stops working too (it was not used before: it is told why its
    // session closed), and so do its access tokens.
    await expect(
      harness.auth.refreshSession({ meta: meta(), refreshToken: third.refreshToken }),
    ).rejects.toMatchObject({ code: 'auth.session_closed', details: { reason: 'token_reused' } });
    await expect(harness.service.verifier.verify(third.accessToken)).rejects.toMatchObject({
      code: 'request.unauthenticated',
    });
    expect(await harness.count('audit_log', `event = 'token.reused' AND user_id = '${userId}'`)).toBe(1);
    expect(
      await harness.count('audit_log', `event = 'session.refresh_refused' AND user_id = '${userId}'`),
    ).toBe(1);
    expect(await harness.count('sessions', `user_id = '${userId}' AND revoked_reason = 'token_reused'`)).toBe(
      1,
    );
  });

  it('refuses an unknown refresh token and an expired one', async () => {
    await expect(
      harness.auth.refreshSession({ meta: meta(), refreshToken: 'not-a-token' }),
    ).rejects.toMatchObject({ code: 'request.unauthenticated' });

    const { refreshToken } = await registerUser(harness);
    harness.clock.advance(harness.settings.refreshTokenTtlSeconds * 1000 + 1);
    await expect(harness.auth.refreshSession({ meta: meta(), refreshToken })).rejects.toMatchObject({
      code: 'request.unauthenticated',
    });
  });

  it('makes the verifier refuse the access token at once after logout, through the cache', async () => {
    const { accessToken } = await registerUser(harness);
    const principal = await harness.service.verifier.verify(accessToken);
    await harness.auth.logout({ meta: meta(accessToken) });
    expect(await harness.cache.get(`auth:revoked-session:${principal.sessionId}`)).not.toBeNull();
    await expect(harness.service.verifier.verify(accessToken)).rejects.toMatchObject({
      code: 'request.unauthenticated',
    });
  });
});
