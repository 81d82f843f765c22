import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AuthHarness, meta, registerUser, setupAuthService } from './setup.ts';
import {
  type CeremonyOverrides,
  createSoftwareAuthenticator,
  type SoftwareAuthenticator,
  strangerKey,
} from './software-authenticator.ts';

const FIVE_MINUTES_MS = 5 * 60_000;

describe('passkeys, with a software authenticator and real signatures', () => {
  let harness: AuthHarness;
  let origin: string;
  beforeEach(async () => {
    harness = await setupAuthService();
    origin = harness.settings.webauthn.origins[0]!;
  });
  afterEach(async () => {
    await harness.close();
  });

  /** A signed-in member with a passkey registered on `authenticator`. */
  async function memberWithPasskey() {
    const member = await registerUser(harness);
    const authenticator = createSoftwareAuthenticator({ origin });
    await registerPasskey(member.accessToken, authenticator);
    return { ...member, authenticator };
  }

  async function registerPasskey(
    accessToken: string,
    authenticator: SoftwareAuthenticator,
    overrides?: CeremonyOverrides,
  ) {
    const ceremony = await harness.auth.initiatePasskeyRegistration({ meta: meta(accessToken) });
    const options = JSON.parse(ceremony.optionsJson) as PublicKeyCredentialCreationOptionsJSON;
    const credential = authenticator.register(options, overrides);
    await harness.auth.completePasskeyRegistration({
      meta: meta(accessToken),
      credentialJson: JSON.stringify(credential),
    });
    return { ceremony, options, credential };
  }

  async function initiateLogin(email: string, clubSlug = harness.club.slug) {
    const ceremony = await harness.auth.initiatePasskeyLogin({ meta: meta(), email, clubSlug });
    return {
      userId: ceremony.userId,
      options: JSON.parse(ceremony.optionsJson) as PublicKeyCredentialRequestOptionsJSON,
    };
  }

  function completeLogin(userId: string, credential: object, clubSlug = harness.club.slug) {
    return harness.auth.completePasskeyLogin({
      meta: meta(),
      clubSlug,
      userId,
      credentialJson: JSON.stringify(credential),
    });
  }

  async function passkeyRow(credentialId: string) {
    const { rows } = await harness.db.asOwner((tx) =>
      tx.query<{ signCount: string; userId: string; lastUsedAt: Date | null }>(
        `SELECT sign_count AS "signCount", user_id AS "userId", last_used_at AS "lastUsedAt"
           FROM auth.passkeys WHERE credential_id = $1`,
        [credentialId],
      ),
    );
    return rows[0];
  }

  async function failureReasons(): Promise<string[]> {
    const { rows } = await harness.db.asOwner((tx) =>
      tx.query<{ reason: string }>(
        `SELECT details->>'reason' AS reason FROM auth.audit_log WHERE event = 'login.failed' ORDER BY id`,
      ),
    );
    return rows.map((row) => row.reason);
  }

  it('registers a passkey for a signed-in member, then signs in with it', async () => {
    const member = await registerUser(harness);
    const authenticator = createSoftwareAuthenticator({ origin });
    const { ceremony, options } = await registerPasskey(member.accessToken, authenticator);
    expect(ceremony.userId).toBe(member.userId);
    expect(options).toMatchObject({
      rp: { id: 'clubland.test', name: 'Clubland' },
      user: { name: member.email },
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    });
    expect(await passkeyRow(authenticator.credentialId)).toMatchObject({
      userId: member.userId,
      signCount: '0',
    });
    expect(
      await harness.count('audit_log', `event = 'passkey.registered' AND user_id = '${member.userId}'`),
    ).toBe(1);

    const login = await initiateLogin(member.email.toUpperCase());
    // Not the account's id: the address's login handle, and no list of the account's passkeys.
    expect(login.userId).not.toBe(member.userId);
    expect(login.options.userVerification).toBe('required');
    expect(login.options.allowCredentials ?? []).toEqual([]);

    const signedIn = await completeLogin(login.userId, authenticator.authenticate(login.options));
    expect(signedIn.mfaRequired).toBe(false);
    expect(signedIn.accessToken).not.toBe('');
    expect(signedIn.refreshToken).not.toBe('');
    expect(signedIn.user?.id).toBe(member.userId);
    // The tokens are real: the service accepts the new access token.
    const { user } = await harness.auth.getUser({ meta: meta(signedIn.accessToken), userId: '' });
    expect(user?.email).toBe(member.email);
    expect(await passkeyRow(authenticator.credentialId)).toMatchObject({ signCount: '1' });
    expect(await harness.count('sessions', `user_id = '${member.userId}' AND method = 'passkey'`)).toBe(1);
    expect(
      await harness.count('audit_log', `event = 'login.succeeded' AND details->>'method' = 'passkey'`),
    ).toBe(1);
  });

  it('refuses registration without a signed-in caller', async () => {
    await expect(harness.auth.initiatePasskeyRegistration({ meta: meta() })).rejects.toMatchObject({
      code: 'request.unauthenticated',
    });
    await expect(
      harness.auth.completePasskeyRegistration({ meta: meta(), credentialJson: '{}' }),
    ).rejects.toMatchObject({ code: 'request.unauthenticated' });
  });

  it('uses a login challenge once: neither a replay nor a fresh assertion on it signs in again', async () => {
    const member = await memberWithPasskey();
    const login = await initiateLogin(member.email);
    const assertion = member.authenticator.authenticate(login.options);
    await completeLogin(login.userId, assertion);

    await expect(completeLogin(login.userId, assertion)).rejects.toMatchObject({
      code: 'auth.invalid_credentials',
    });
    // A new, correctly signed assertion with a higher counter, but over the spent challenge.
    await expect(
      completeLogin(login.userId, member.authenticator.authenticate(login.options)),
    ).rejects.toMatchObject({ code: 'auth.invalid_credentials' });
    expect(await harness.count('sessions', `method = 'passkey'`)).toBe(1);
    expect(
      await harness.count(
        'audit_log',
        `event = 'login.failed' AND details->>'reason' = 'challenge_unknown_used_or_expired'`,
      ),
    ).toBe(2);
  });

  it('uses a registration challenge once', async () => {
    const member = await registerUser(harness);
    const authenticator = createSoftwareAuthenticator({ origin });
    const { credential } = await registerPasskey(member.accessToken, authenticator);
    await expect(
      harness.auth.completePasskeyRegistration({
        meta: meta(member.accessToken),
        credentialJson: JSON.stringify(credential),
      }),
    ).rejects.toMatchObject({ code: 'request.invalid_input', details: { field: 'credentialJson' } });
    expect(await harness.count('passkeys')).toBe(1);
  });

  it('refuses a challenge older than five minutes, for login and for registration', async () => {
    const member = await memberWithPasskey();
    const login = await initiateLogin(member.email);
    harness.clock.advance(FIVE_MINUTES_MS + 1000);
    await expect(
      completeLogin(login.userId, member.authenticator.authenticate(login.options)),
    ).rejects.toMatchObject({ code: 'auth.invalid_credentials' });
    expect(await failureReasons()).toEqual(['challenge_unknown_used_or_expired']);

    const ceremony = await harness.auth.initiatePasskeyRegistration({ meta: meta(member.accessToken) });
    harness.clock.advance(FIVE_MINUTES_MS + 1000);
    const second = createSoftwareAuthenticator({ origin });
    const credential = second.register(
      JSON.parse(ceremony.optionsJson) as PublicKeyCredentialCreationOptionsJSON,
    );
    await expect(
      harness.auth.completePasskeyRegistration({
        meta: meta(member.accessToken),
        credentialJson: JSON.stringify(credential),
      }),
    ).rejects.toMatchObject({ code: 'request.invalid_input' });
    expect(await harness.count('passkeys')).toBe(1);
  });

  it('refuses an assertion signed by another key, and the failed try spends the challenge', async () => {
    const member = await memberWithPasskey();
    const login = await initiateLogin(member.email);
    await expect(
      completeLogin(
        login.userId,
        member.authenticator.authenticate(login.options, { signingKey: strangerKey() }),
      ),
    ).rejects.toMatchObject({ code: 'auth.invalid_credentials' });
    expect(
      await harness.count('audit_log', `event = 'login.failed' AND details->>'reason' = 'bad_signature'`),
    ).toBe(1);
    await expect(
      completeLogin(login.userId, member.authenticator.authenticate(login.options)),
    ).rejects.toMatchObject({ code: 'auth.invalid_credentials' });

    const again = await initiateLogin(member.email);
    await expect(
      completeLogin(again.userId, member.authenticator.authenticate(again.options)),
    ).resolves.toMatchObject({ user: { id: member.userId } });
  });

  it('refuses a response made for another origin, at login and at registration', async () => {
    const member = await memberWithPasskey();
    const login = await initiateLogin(member.email);
    await expect(
      completeLogin(
        login.userId,
        member.authenticator.authenticate(login.options, { origin: 'https://clubland.evil' }),
      ),
    ).rejects.toMatchObject({ code: 'auth.invalid_credentials' });
    expect(await failureReasons()).toEqual([expect.stringContaining('origin')]);

    const other = createSoftwareAuthenticator({ origin: 'https://clubland.evil' });
    await expect(registerPasskey(member.accessToken, other)).rejects.toMatchObject({
      code: 'request.invalid_input',
    });
    expect(await harness.count('passkeys')).toBe(1);
  });

  it('requires user verification', async () => {
    const member = await memberWithPasskey();
    const login = await initiateLogin(member.email);
    await expect(
      completeLogin(login.userId, member.authenticator.authenticate(login.options, { userVerified: false })),
    ).rejects.toMatchObject({ code: 'auth.invalid_credentials' });
    expect(await failureReasons()).toEqual([expect.stringContaining('User verification required')]);
  });

  it('requires the signature counter to grow, and stores the new value', async () => {
    const member = await memberWithPasskey();
    const first = await initiateLogin(member.email);
    await completeLogin(first.userId, member.authenticator.authenticate(first.options, { signCount: 7 }));
    expect(await passkeyRow(member.authenticator.credentialId)).toMatchObject({ signCount: '7' });

    for (const signCount of [7, 3]) {
      const cloned = await initiateLogin(member.email);
      await expect(
        completeLogin(cloned.userId, member.authenticator.authenticate(cloned.options, { signCount })),
      ).rejects.toMatchObject({ code: 'auth.invalid_credentials' });
    }
    expect(await passkeyRow(member.authenticator.credentialId)).toMatchObject({ signCount: '7' });
    expect(await failureReasons()).toEqual([
      expect.stringContaining('counter value 7 was lower than expected 7'),
      expect.stringContaining('counter value 3 was lower than expected 7'),
    ]);

    const next = await initiateLogin(member.email);
    await completeLogin(next.userId, member.authenticator.authenticate(next.options, { signCount: 8 }));
    expect(await passkeyRow(member.authenticator.credentialId)).toMatchObject({ signCount: '8' });
  });

  it('does not reveal accounts: a known address and an unknown one get alike answers, and only the account signs in', async () => {
    const member = await memberWithPasskey();
    const withoutPasskey = await registerUser(harness);
    const athenaeum = await harness.createClub('athenaeum');
    const answers = {
      known: [await initiateLogin(member.email), await initiateLogin(member.email)],
      knownNoPasskey: [await initiateLogin(withoutPasskey.email), await initiateLogin(withoutPasskey.email)],
      unknown: [await initiateLogin('nobody@example.com'), await initiateLogin('nobody@example.com')],
      otherClub: [
        await initiateLogin(member.email, athenaeum.slug),
        await initiateLogin(member.email, athenaeum.slug),
      ],
    };
    const handles = new Set<string>();
    for (const [name, [first, second]] of Object.entries(answers)) {
      // Stable for an address, whether or not an account has it.
      expect(second!.userId, name).toBe(first!.userId);
      // A version 8 UUID (keyed hash), never a UUIDv7 whose timestamp dates the account.
      expect(first!.userId, name).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      // The same options but for the challenge: nothing says whether the address has passkeys.
      expect(shapeOf(first!.options), name).toEqual(shapeOf(answers.unknown[0]!.options));
      expect(first!.options.allowCredentials ?? [], name).toEqual([]);
      handles.add(first!.userId);
    }
    expect([...handles]).not.toContain(member.userId);
    expect([...handles]).not.toContain(withoutPasskey.userId);
    // One handle per address (the club plays no part in it).
    expect(answers.otherClub[0]!.userId).toBe(answers.known[0]!.userId);
    expect(handles.size).toBe(3);

    // The unknown address's challenge and the other club's are bound to nobody: a valid assertion
    // over them fails, whatever id the client echoes, the real user id included.
    await expect(
      completeLogin(
        answers.unknown[0]!.userId,
        member.authenticator.authenticate(answers.unknown[0]!.options),
      ),
    ).rejects.toMatchObject({ code: 'auth.invalid_credentials' });
    await expect(
      completeLogin(
        member.userId,
        member.authenticator.authenticate(answers.otherClub[0]!.options),
        athenaeum.slug,
      ),
    ).rejects.toMatchObject({ code: 'auth.invalid_credentials' });
    expect(await harness.count('sessions', `method = 'passkey'`)).toBe(0);
    // The account's own challenge signs it in, the echoed id being only the handle.
    await expect(
      completeLogin(answers.known[1]!.userId, member.authenticator.authenticate(answers.known[1]!.options)),
    ).resolves.toMatchObject({ user: { id: member.userId } });
  });

  it('finds the account from the challenge, not from the id the client echoes', async () => {
    const member = await memberWithPasskey();
    const other = await memberWithPasskey();
    // The other member's passkey over the first member's challenge: not that account's passkey.
    const login = await initiateLogin(member.email);
    await expect(
      completeLogin(other.userId, other.authenticator.authenticate(login.options)),
    ).rejects.toMatchObject({ code: 'auth.invalid_credentials' });
    expect(await failureReasons()).toEqual(['unknown_passkey']);
    // Any well-formed id echoed with the right assertion still signs in the challenge's account.
    const again = await initiateLogin(member.email);
    await expect(
      completeLogin(other.userId, member.authenticator.authenticate(again.options)),
    ).resolves.toMatchObject({ user: { id: member.userId } });
  });

  it('refuses malformed credential JSON as BAD_USER_INPUT naming the field', async () => {
    const member = await memberWithPasskey();
    for (const credentialJson of ['', 'not json', '{"id":"x"}']) {
      await expect(
        harness.auth.completePasskeyLogin({
          meta: meta(),
          clubSlug: harness.club.slug,
          userId: member.userId,
          credentialJson,
        }),
      ).rejects.toMatchObject({ code: 'request.invalid_input', details: { field: 'credentialJson' } });
    }
  });

  it('signs in with a passkey whatever password guessers do; failed passkey sign-ins are throttled per network on their own', async () => {
    // Holds that outlast a slow machine; a network's fourth failed passkey sign-in holds it back.
    await harness.close();
    const hold = { baseDelayMs: 60_000, maxDelayMs: 60_000, windowSeconds: 3_600 };
    harness = await setupAuthService({
      signInThrottles: { perAccount: { free: 20, ...hold }, passkeyPerAddress: { free: 3, ...hold } },
    });
    const member = await memberWithPasskey();
    // A botnet guesses the password from 25 addresses: the account is held back for new sources.
    for (let i = 0; i < 25; i += 1) {
      await harness.auth
        .login({ meta: meta('', `10.9.0.${i}`), email: member.email, password: 'Wrong-Password-123' })
        .catch(() => undefined);
    }
    await expect(
      harness.auth.login({ meta: meta(), email: member.email, password: member.password }),
    ).rejects.toMatchObject({ code: 'request.rate_limited' });
    // A passkey cannot be guessed, so password failures do not hold it back.
    const login = await initiateLogin(member.email);
    await expect(
      completeLogin(login.userId, member.authenticator.authenticate(login.options)),
    ).resolves.toMatchObject({ user: { id: member.userId } });

    // Failed passkey sign-ins from one network: four tried, then held back, the owner's key too.
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const attempt = await initiateLogin(member.email);
      const forged = member.authenticator.authenticate(attempt.options, { signingKey: strangerKey() });
      outcomes.push(
        await completeLogin(attempt.userId, forged).then(
          () => 'signed_in',
          (e) => e.code,
        ),
      );
    }
    expect(outcomes).toEqual([...Array(4).fill('auth.invalid_credentials'), 'request.rate_limited']);
    const held = await initiateLogin(member.email);
    await expect(
      completeLogin(held.userId, member.authenticator.authenticate(held.options)),
    ).rejects.toMatchObject({ code: 'request.rate_limited' });
  }, 120_000);
});

/** Request options without the one-time challenge: what may not differ between two answers. */
function shapeOf(options: PublicKeyCredentialRequestOptionsJSON) {
  const { challenge, ...rest } = options;
  return { ...rest, challengeLength: challenge.length };
}
