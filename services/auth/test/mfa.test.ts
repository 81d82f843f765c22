import { ClubError } from '@clubland/errors';
import { Secret, TOTP } from 'otpauth';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AuthHarness, type AuthHarnessOptions, meta, registerUser, setupAuthService } from './setup.ts';

const STEP_MS = 30_000;

/** What the user's authenticator app shows at the harness's current time. */
function codeAt(harness: AuthHarness, secret: string): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: harness.clock.now().getTime() });
}

/** A six-digit code that is certainly not valid now (nor one step either side). */
function wrongCodeAt(harness: AuthHarness, secret: string): string {
  const valid = new Set(
    [-1, 0, 1].map((step) =>
      TOTP.generate({
        secret: Secret.fromBase32(secret),
        timestamp: harness.clock.now().getTime() + step * STEP_MS,
      }),
    ),
  );
  for (let n = 0; ; n += 1) {
    const candidate = String(n).padStart(6, '0');
    if (!valid.has(candidate)) return candidate;
  }
}

async function setup(options: AuthHarnessOptions = {}) {
  const harness = await setupAuthService(options);
  /** A member with TOTP enrolled and confirmed; the clock is moved past the confirming code's step. */
  async function memberWithTotp() {
    const member = await registerUser(harness);
    const { secret, otpauthUri } = await harness.auth.beginTotpEnrolment({ meta: meta(member.accessToken) });
    const { recoveryCodes } = await harness.auth.confirmTotpEnrolment({
      meta: meta(member.accessToken),
      code: codeAt(harness, secret),
    });
    harness.clock.advance(STEP_MS);
    return { ...member, secret, otpauthUri, recoveryCodes };
  }
  async function passwordLogin(member: { email: string; password: string }) {
    return harness.auth.login({ meta: meta(), email: member.email, password: member.password });
  }
  return { harness, memberWithTotp, passwordLogin };
}

describe('TOTP second factor', () => {
  let context: Awaited<ReturnType<typeof setup>>;
  let harness: AuthHarness;
  beforeEach(async () => {
    context = await setup();
    harness = context.harness;
  });
  afterEach(async () => {
    await harness.close();
  });

  it('enrols only after a valid code, and gives ten recovery codes stored only as hashes', async () => {
    const member = await registerUser(harness);
    const { secret, otpauthUri } = await harness.auth.beginTotpEnrolment({ meta: meta(member.accessToken) });
    expect(secret).toMatch(/^[A-Z2-7]{32}$/); // 20 bytes in base32
    const uri = new URL(otpauthUri);
    expect(uri.searchParams.get('issuer')).toBe('Clubland');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(decodeURIComponent(uri.pathname)).toBe(`/Clubland:${member.email}`);

    await expect(
      harness.auth.confirmTotpEnrolment({
        meta: meta(member.accessToken),
        code: wrongCodeAt(harness, secret),
      }),
    ).rejects.toMatchObject({ code: 'request.invalid_input', details: { field: 'code' } });
    // Not on yet: a password login still signs in directly.
    expect((await context.passwordLogin(member)).mfaRequired).toBe(false);

    const { recoveryCodes } = await harness.auth.confirmTotpEnrolment({
      meta: meta(member.accessToken),
      code: codeAt(harness, secret),
    });
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[A-Z2-7]{5}-[A-Z2-7]{5}$/);
    const { rows } = await harness.db.asOwner((tx) =>
      tx.query<{ hash: string }>('SELECT code_hash AS hash FROM auth.recovery_codes WHERE user_id = $1', [
        member.userId,
      ]),
    );
    expect(rows).toHaveLength(10);
    for (const { hash } of rows) {
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(recoveryCodes.some((code) => hash.includes(code.replace('-', '')))).toBe(false);
    }
    const { user } = await harness.auth.getUser({ meta: meta(member.accessToken), userId: '' });
    expect(user?.mfaEnabled).toBe(true);
    expect(await harness.count('audit_log', `event = 'mfa.enabled' AND user_id = '${member.userId}'`)).toBe(
      1,
    );

    // A second enrolment cannot silently replace the working factor.
    await expect(harness.auth.beginTotpEnrolment({ meta: meta(member.accessToken) })).rejects.toMatchObject({
      code: 'entity.conflict',
    });
  });

  it('makes a password login answer mfa_required without tokens, then signs in with a valid code', async () => {
    const member = await context.memberWithTotp();
    const first = await context.passwordLogin(member);
    expect(first).toMatchObject({ mfaRequired: true, accessToken: '', refreshToken: '' });
    expect(first.mfaToken).not.toBe('');
    expect(first.accessTokenExpiresAt).toBeUndefined();
    expect(await harness.count('sessions', `user_id = '${member.userId}' AND method <> 'password'`)).toBe(0);

    const signedIn = await harness.auth.completeMfaLogin({
      meta: meta(),
      mfaToken: first.mfaToken,
      code: codeAt(harness, member.secret),
    });
    expect(signedIn.mfaRequired).toBe(false);
    expect(signedIn.accessToken).not.toBe('');
    expect(signedIn.refreshToken).not.toBe('');
    expect(signedIn.user).toMatchObject({ id: member.userId, mfaEnabled: true });
    const { user } = await harness.auth.getUser({ meta: meta(signedIn.accessToken), userId: '' });
    expect(user?.id).toBe(member.userId);
    expect(await harness.count('sessions', `user_id = '${member.userId}' AND method = 'mfa'`)).toBe(1);

    // The MFA token is spent.
    await expect(
      harness.auth.completeMfaLogin({
        meta: meta(),
        mfaToken: first.mfaToken,
        code: codeAt(harness, member.secret),
      }),
    ).rejects.toMatchObject({ code: 'auth.mfa_token_invalid' });
  });

  it('refuses a code already accepted in its time window, and takes the next one', async () => {
    const member = await context.memberWithTotp();
    const code = codeAt(harness, member.secret);
    const first = await context.passwordLogin(member);
    await harness.auth.completeMfaLogin({ meta: meta(), mfaToken: first.mfaToken, code });

    const second = await context.passwordLogin(member);
    await expect(
      harness.auth.completeMfaLogin({ meta: meta(), mfaToken: second.mfaToken, code }),
    ).rejects.toMatchObject({ code: 'auth.mfa_code_invalid' });
    expect(await harness.count('audit_log', `event = 'login.failed' AND details->>'reason' = 'reused'`)).toBe(
      1,
    );

    harness.clock.advance(STEP_MS);
    await expect(
      harness.auth.completeMfaLogin({
        meta: meta(),
        mfaToken: second.mfaToken,
        code: codeAt(harness, member.secret),
      }),
    ).resolves.toMatchObject({ mfaRequired: false });
  });

  it('refuses a wrong code and counts it; after five, the MFA token is dead even for a right code', async () => {
    const member = await context.memberWithTotp();
    const { mfaToken } = await context.passwordLogin(member);
    const wrong = wrongCodeAt(harness, member.secret);

    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const refused = await harness.auth
        .completeMfaLogin({ meta: meta(), mfaToken, code: wrong })
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ClubError);
      expect(refused).toMatchObject({
        code: 'auth.mfa_code_invalid',
        details: { attemptsLeft: 5 - attempt },
      });
    }
    expect(await harness.count('mfa_challenges', `user_id = '${member.userId}' AND attempts = 5`)).toBe(1);
    expect(
      await harness.count(
        'audit_log',
        `event = 'login.failed' AND details->>'method' = 'mfa' AND user_id = '${member.userId}'`,
      ),
    ).toBe(5);

    await expect(
      harness.auth.completeMfaLogin({ meta: meta(), mfaToken, code: codeAt(harness, member.secret) }),
    ).rejects.toMatchObject({ code: 'auth.mfa_token_invalid' });
    expect(await harness.count('sessions', `method = 'mfa'`)).toBe(0);
  });

  it('accepts a recovery code once, however it is typed', async () => {
    const member = await context.memberWithTotp();
    const recoveryCode = member.recoveryCodes[3]!;
    const first = await context.passwordLogin(member);
    const signedIn = await harness.auth.completeMfaLogin({
      meta: meta(),
      mfaToken: first.mfaToken,
      code: ` ${recoveryCode.toLowerCase().replace('-', ' ')} `,
    });
    expect(signedIn.accessToken).not.toBe('');
    expect(await harness.count('recovery_codes', `user_id = '${member.userId}' AND used_at IS NULL`)).toBe(9);

    const second = await context.passwordLogin(member);
    await expect(
      harness.auth.completeMfaLogin({ meta: meta(), mfaToken: second.mfaToken, code: recoveryCode }),
    ).rejects.toMatchObject({ code: 'auth.mfa_code_invalid' });
    // Another of the ten still works.
    await expect(
      harness.auth.completeMfaLogin({
        meta: meta(),
        mfaToken: second.mfaToken,
        code: member.recoveryCodes[4]!,
      }),
    ).resolves.toMatchObject({ mfaRequired: false });
  });

  it('lets the MFA token expire after five minutes', async () => {
    const member = await context.memberWithTotp();
    const { mfaToken } = await context.passwordLogin(member);
    harness.clock.advance(5 * 60_000 + 1000);
    await expect(
      harness.auth.completeMfaLogin({ meta: meta(), mfaToken, code: codeAt(harness, member.secret) }),
    ).rejects.toMatchObject({ code: 'auth.mfa_token_invalid' });
    await expect(
      harness.auth.completeMfaLogin({
        meta: meta(),
        mfaToken: 'made-up-token',
        code: codeAt(harness, member.secret),
      }),
    ).rejects.toMatchObject({ code: 'auth.mfa_token_invalid' });
  });

  it('disables TOTP only with a valid code; then a password login signs in directly', async () => {
    const member = await context.memberWithTotp();
    const { accessToken } = await harness.auth.completeMfaLogin({
      meta: meta(),
      mfaToken: (await context.passwordLogin(member)).mfaToken,
      code: codeAt(harness, member.secret),
    });
    await expect(
      harness.auth.disableTotp({ meta: meta(accessToken), code: wrongCodeAt(harness, member.secret) }),
    ).rejects.toMatchObject({ code: 'request.invalid_input', details: { field: 'code' } });
    expect((await context.passwordLogin(member)).mfaRequired).toBe(true);

    harness.clock.advance(STEP_MS);
    await harness.auth.disableTotp({ meta: meta(accessToken), code: codeAt(harness, member.secret) });
    expect(await harness.count('totp_factors', `user_id = '${member.userId}'`)).toBe(0);
    expect(await harness.count('recovery_codes', `user_id = '${member.userId}'`)).toBe(0);
    expect(await harness.count('audit_log', `event = 'mfa.disabled' AND user_id = '${member.userId}'`)).toBe(
      1,
    );
    const direct = await context.passwordLogin(member);
    expect(direct.mfaRequired).toBe(false);
    expect(direct.accessToken).not.toBe('');
  });

  it('refuses enrolment calls without a signed-in caller', async () => {
    await expect(harness.auth.beginTotpEnrolment({ meta: meta() })).rejects.toMatchObject({
      code: 'request.unauthenticated',
    });
    await expect(harness.auth.confirmTotpEnrolment({ meta: meta(), code: '123456' })).rejects.toMatchObject({
      code: 'request.unauthenticated',
    });
    await expect(harness.auth.disableTotp({ meta: meta(), code: '123456' })).rejects.toMatchObject({
      code: 'request.unauthenticated',
    });
  });
});

describe('TOTP rate limits', () => {
  it('limits second-factor attempts per account across MFA tokens, with retryAfterSeconds', async () => {
    const { harness, memberWithTotp, passwordLogin } = await setup({
      rateLimits: { mfaPerAccount: { limit: 4, windowSeconds: 900 } },
    });
    try {
      const member = await memberWithTotp(); // confirming counts once
      const wrong = wrongCodeAt(harness, member.secret);
      for (let attempt = 1; attempt <= 3; attempt += 1) {
        const { mfaToken } = await passwordLogin(member);
        await expect(
          harness.auth.completeMfaLogin({ meta: meta('', `10.1.0.${attempt}`), mfaToken, code: wrong }),
        ).rejects.toMatchObject({ code: 'auth.mfa_code_invalid' });
      }
      const { mfaToken } = await passwordLogin(member);
      const limited = await harness.auth
        .completeMfaLogin({ meta: meta('', '10.1.0.99'), mfaToken, code: codeAt(harness, member.secret) })
        .catch((error: unknown) => error);
      expect(limited).toMatchObject({ code: 'request.rate_limited' });
      expect((limited as ClubError).details.retryAfterSeconds).toBeGreaterThan(0);
    } finally {
      await harness.close();
    }
  });

  it('limits second-factor attempts per IP', async () => {
    const { harness, memberWithTotp, passwordLogin } = await setup({
      rateLimits: { mfaPerIp: { limit: 2, windowSeconds: 900 } },
    });
    try {
      const member = await memberWithTotp();
      const { mfaToken } = await passwordLogin(member);
      const wrong = wrongCodeAt(harness, member.secret);
      for (let attempt = 1; attempt <= 2; attempt += 1) {
        await expect(
          harness.auth.completeMfaLogin({ meta: meta('', '10.2.0.1'), mfaToken, code: wrong }),
        ).rejects.toMatchObject({ code: 'auth.mfa_code_invalid' });
      }
      await expect(
        harness.auth.completeMfaLogin({
          meta: meta('', '10.2.0.1'),
          mfaToken,
          code: codeAt(harness, member.secret),
        }),
      ).rejects.toMatchObject({ code: 'request.rate_limited' });
      // The limit held before the token was touched: from another address the token still works.
      await expect(
        harness.auth.completeMfaLogin({
          meta: meta('', '10.2.0.2'),
          mfaToken,
          code: codeAt(harness, member.secret),
        }),
      ).resolves.toMatchObject({ mfaRequired: false });
    } finally {
      await harness.close();
    }
  });
});
