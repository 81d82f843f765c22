import { UserStatus } from '@clubland/contract/auth/v1';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AuthHarness, meta, registerUser, setupAuthService, tokenFromOutbox } from './setup.ts';

describe('email verification and password reset', () => {
  let harness: AuthHarness;
  beforeEach(async () => {
    harness = await setupAuthService({
      rateLimits: { passwordResetPerAccount: { limit: 2, windowSeconds: 3600 } },
    });
  });
  afterEach(async () => {
    await harness.close();
  });

  it('verifies the email with the mailed link once, then refuses the link', async () => {
    const { email, accessToken } = await registerUser(harness);
    const token = await tokenFromOutbox(harness, email, 'auth.verify-email');

    await harness.auth.verifyEmail({ meta: meta(), token });
    const { user } = await harness.auth.getUser({ meta: meta(accessToken), userId: '' });
    expect(user).toMatchObject({ emailVerified: true, status: UserStatus.ACTIVE });
    expect(await harness.count('audit_log', `event = 'email.verified'`)).toBe(1);

    await expect(harness.auth.verifyEmail({ meta: meta(), token })).rejects.toMatchObject({
      code: 'request.invalid_input',
      details: { field: 'token' },
    });
    // Verified already: asking again sends nothing.
    await harness.auth.requestEmailVerification({ meta: meta(accessToken) });
    expect((await harness.outbox()).filter((m) => m.template === 'auth.verify-email')).toHaveLength(1);
  });

  it('refuses an expired verification link, and a superseded one', async () => {
    const { email, accessToken } = await registerUser(harness);
    const first = await tokenFromOutbox(harness, email, 'auth.verify-email');
    await harness.auth.requestEmailVerification({ meta: meta(accessToken) });
    const second = await tokenFromOutbox(harness, email, 'auth.verify-email');
    expect(second).not.toBe(first);
    await expect(harness.auth.verifyEmail({ meta: meta(), token: first })).rejects.toMatchObject({
      code: 'request.invalid_input',
    });

    harness.clock.advance(24 * 60 * 60 * 1000 + 1);
    await expect(harness.auth.verifyEmail({ meta: meta(), token: second })).rejects.toMatchObject({
      code: 'request.invalid_input',
      details: { field: 'token' },
    });
    expect(await harness.count('users', 'email_verified_at IS NOT NULL')).toBe(0);
  });

  it('resets the password with the mailed link: new password works, old one and every session do not', async () => {
    const { email, password, refreshToken, accessToken } = await registerUser(harness);
    const other = await harness.auth.login({ meta: meta(), email, password });

    await harness.auth.requestPasswordReset({ meta: meta(), email: email.toUpperCase() });
    const token = await tokenFromOutbox(harness, email, 'auth.reset-password');

    await expect(
      harness.auth.resetPassword({ meta: meta(), token, newPassword: 'short' }),
    ).rejects.toMatchObject({ code: 'request.invalid_input', details: { field: 'newPassword' } });

    const newPassword = 'A-Whole-New-Secret-42';
    await harness.auth.resetPassword({ meta: meta(), token, newPassword });

    await expect(harness.auth.login({ meta: meta(), email, password })).rejects.toMatchObject({
      code: 'auth.invalid_credentials',
    });
    await expect(harness.auth.login({ meta: meta(), email, password: newPassword })).resolves.toMatchObject({
      user: { emailVerified: true },
    });
    for (const token of [refreshToken, other.refreshToken]) {
      await expect(harness.auth.refreshSession({ meta: meta(), refreshToken: token })).rejects.toBeDefined();
    }
    for (const token of [accessToken, other.accessToken]) {
      await expect(harness.service.verifier.verify(token)).rejects.toMatchObject({
        code: 'request.unauthenticated',
      });
    }
    await expect(
      harness.auth.resetPassword({ meta: meta(), token, newPassword: 'Yet-Another-Secret-7' }),
    ).rejects.toMatchObject({
      code: 'request.invalid_input',
      details: { field: 'token' },
    });
    expect(await harness.count('audit_log', `event = 'password.reset'`)).toBe(1);
  });

  it('refuses a reset link after an hour', async () => {
    const { email } = await registerUser(harness);
    await harness.auth.requestPasswordReset({ meta: meta(), email });
    const token = await tokenFromOutbox(harness, email, 'auth.reset-password');
    harness.clock.advance(60 * 60 * 1000 + 1);
    await expect(
      harness.auth.resetPassword({ meta: meta(), token, newPassword: 'A-Whole-New-Secret-42' }),
    ).rejects.toMatchObject({ code: 'request.invalid_input', details: { field: 'token' } });
  });

  it('answers a reset request for an unknown email exactly like a known one, sends nothing, and limits both', async () => {
    const { email } = await registerUser(harness);
    const mailsBefore = (await harness.outbox()).length;
    expect(await harness.auth.requestPasswordReset({ meta: meta(), email: 'nobody@example.com' })).toEqual(
      await harness.auth.requestPasswordReset({ meta: meta(), email }),
    );
    expect((await harness.outbox()).length).toBe(mailsBefore + 1);

    // The second request of each is still allowed (limit 2 per account), the third is not.
    await harness.auth.requestPasswordReset({ meta: meta(), email: 'nobody@example.com' });
    await harness.auth.requestPasswordReset({ meta: meta(), email });
    for (const address of [email, 'nobody@example.com']) {
      const limited = await harness.auth
        .requestPasswordReset({ meta: meta(), email: address })
        .catch((error: unknown) => error);
      expect(limited).toMatchObject({
        code: 'request.rate_limited',
        details: { retryAfterSeconds: expect.any(Number) },
      });
    }
  });
});
