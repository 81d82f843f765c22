import { readFileSync } from 'node:fs';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSoftwareAuthenticator,
  type SoftwareAuthenticator,
} from '../../auth/test/software-authenticator.ts';
import { type GatewayHarness, setupGateway } from './setup.ts';

/**
 * Issue 29, item 1: a passkey login must not reveal accounts. Through the gateway, with the mobile
 * client's own documents: initiatePasskeyLogin answers a known address (with or without passkeys),
 * an unknown one and a known one at another club alike, and the login still works for the account.
 */

function operation(path: string): string {
  return readFileSync(new URL(`../../../contract/mobile-client/operations/${path}`, import.meta.url), 'utf8');
}

const PASSWORD = 'correct horse battery staple';
const CREATE_CLUB = 'mutation($input: CreateClubInput!) { createClub(input: $input) { id slug } }';
/** A UUID of version 8 (the keyed login handle); an account id is a UUIDv7. */
const VERSION_8 = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface LoginInit {
  userId: string;
  options: PublicKeyCredentialRequestOptionsJSON;
}

describe('passkey login reveals no accounts, through the gateway', () => {
  let harness: GatewayHarness;
  let clubId: string;
  let ada: { id: string; authenticator: SoftwareAuthenticator };
  let bobId: string;

  beforeAll(async () => {
    harness = await setupGateway();
    clubId = (
      await harness.asNetworkAdmin(CREATE_CLUB, { input: { name: 'The Reform Club', slug: 'reform' } })
    ).body.data?.createClub.id;
    await harness.asNetworkAdmin(CREATE_CLUB, { input: { name: 'The Athenaeum', slug: 'athenaeum' } });
    const adaSignIn = await register('ada@example.org', 'ada');
    const authenticator = createSoftwareAuthenticator({ origin: 'http://localhost:8080' });
    const init = await harness.as(adaSignIn.token)(operation('auth/initiate_passkey_registration.graphql'));
    const credential = authenticator.register(init.body.data?.initiatePasskeyRegistration.options);
    const completed = await harness.as(adaSignIn.token)(
      'mutation($credential: PasskeyCredentialInput!) { completePasskeyRegistration(credential: $credential) }',
      { credential },
    );
    expect(completed.body).toEqual({ data: { completePasskeyRegistration: true } });
    ada = { id: adaSignIn.id, authenticator };
    bobId = (await register('bob@example.org', 'bob')).id;
  });
  afterAll(async () => {
    await harness?.close();
  });

  async function register(email: string, username: string) {
    const { body } = await harness.post(operation('auth/register.graphql'), {
      email,
      password: PASSWORD,
      username,
      clubId,
      firstName: 'Ada',
      lastName: 'Lovelace',
    });
    expect(body.errors).toBeUndefined();
    return { id: body.data?.register.user.id as string, token: body.data?.register.token as string };
  }

  async function initiate(email: string, clubSlug = 'reform'): Promise<LoginInit> {
    const { body } = await harness.post(operation('auth/initiate_passkey_login.graphql'), {
      email,
      clubSlug,
    });
    expect(body.errors).toBeUndefined();
    return body.data?.initiatePasskeyLogin as LoginInit;
  }

  function complete(userId: string, credential: object) {
    return harness.post(operation('auth/complete_passkey_login.graphql'), {
      clubSlug: 'reform',
      userId,
      credential,
    });
  }

  it('answers a known address and an unknown one alike: stable, keyed, undated, no credential list', async () => {
    const asked = {
      'known, with a passkey': ['ada@example.org', 'reform'],
      'known, without passkeys': ['bob@example.org', 'reform'],
      unknown: ['nobody@example.org', 'reform'],
      'known, at another club': ['ada@example.org', 'athenaeum'],
    } as const;
    const answers = new Map<string, LoginInit>();
    for (const [name, [email, slug]] of Object.entries(asked)) {
      const first = await initiate(email, slug);
      const second = await initiate(email, slug);
      expect(second.userId, name).toBe(first.userId);
      expect(first.userId, name).toMatch(VERSION_8);
      expect(first.options.allowCredentials ?? [], name).toEqual([]);
      answers.set(name, first);
    }
    const unknown = answers.get('unknown')!;
    for (const [name, answer] of answers) {
      expect(withoutChallenge(answer.options), name).toEqual(withoutChallenge(unknown.options));
      expect(answer.options.challenge.length, name).toBe(unknown.options.challenge.length);
    }
    const handles = [...answers.values()].map((answer) => answer.userId);
    expect(handles).not.toContain(ada.id);
    expect(handles).not.toContain(bobId);
  });

  it('still signs the account in with the handle echoed back, and nobody with the unknown address’s', async () => {
    const unknown = await initiate('nobody@example.org');
    const refused = await complete(unknown.userId, ada.authenticator.authenticate(unknown.options));
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    // The real user id, echoed over another club's challenge, signs in nobody either.
    const elsewhere = await initiate('ada@example.org', 'athenaeum');
    const forged = await complete(ada.id, ada.authenticator.authenticate(elsewhere.options));
    expect(forged.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const login = await initiate('ada@example.org');
    const { body } = await complete(login.userId, ada.authenticator.authenticate(login.options));
    expect(body.errors).toBeUndefined();
    // Ada registered and nothing more: signed in, with no MEMBER grant in force (issue 29, item 6).
    expect(body.data?.completePasskeyLogin.user).toMatchObject({ id: ada.id, roles: [] });
  });
});

function withoutChallenge(options: PublicKeyCredentialRequestOptionsJSON) {
  const { challenge: _challenge, ...rest } = options;
  return rest;
}
