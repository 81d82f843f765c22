import { readFileSync } from 'node:fs';
import { readOutbox } from '@clubland/notify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeHanko } from '../../auth/test/fake-hanko.ts';
import { type GatewayHarness, setupGateway } from './setup.ts';

function operation(path: string): string {
  return readFileSync(new URL(`../../../contract/mobile-client/operations/${path}`, import.meta.url), 'utf8');
}

/** Hanko sign-in through the gateway, against a FAKE Hanko (a local JWKS server; we do not run Hanko). */
describe('Hanko tokens through the gateway', () => {
  let hanko: Awaited<ReturnType<typeof startFakeHanko>>;
  let harness: GatewayHarness;
  let userId: string;

  beforeAll(async () => {
    hanko = await startFakeHanko();
    harness = await setupGateway({ hankoApiUrl: hanko.apiUrl });
    const club = await harness.asNetworkAdmin(
      'mutation { createClub(input: {name: "Athenaeum", slug: "athenaeum"}) { id } }',
    );
    const registered = await harness.post(operation('auth/register.graphql'), {
      email: 'grace@example.org',
      password: 'correct horse battery staple',
      username: 'grace',
      clubId: club.body.data?.createClub.id,
      firstName: 'Grace',
      lastName: 'Hopper',
    });
    userId = registered.body.data?.register.user.id;
    // Linking by email needs our own proof of the address: the link mailed at registration.
    const [mail] = await readOutbox(harness.mailDir);
    const token = new URL(String(mail?.data.link)).searchParams.get('token');
    const verified = await harness.post('mutation($token: String!) { verifyEmail(token: $token) }', {
      token,
    });
    expect(verified.body.errors).toBeUndefined();
  });
  afterAll(async () => {
    await harness.close();
    await hanko.close();
  });

  it('syncUser links the Hanko identity to the account, and the Hanko token then works as a bearer', async () => {
    const hankoToken = await hanko.issue({ subject: 'hanko-user-1', email: 'grace@example.org' });
    const { body } = await harness.as(hankoToken)(operation('auth/sync_user.graphql'));
    expect(body.errors).toBeUndefined();
    expect(body.data?.syncUser).toMatchObject({ id: userId, email: 'grace@example.org', status: 'ACTIVE' });

    const me = await harness.as(hankoToken)(operation('profile/current_user.graphql'));
    // Verified, but the club has not accepted Grace as a member: no MEMBER in force (issue 29, item 6).
    expect(me.body.data?.me).toMatchObject({ id: userId, roles: [] });
  });

  it('a token signed by a key Hanko never published is UNAUTHENTICATED', async () => {
    const forged = await hanko.forge({ subject: 'hanko-user-1', email: 'grace@example.org' });
    const { body } = await harness.as(forged)(operation('auth/sync_user.graphql'));
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const me = await harness.as(forged)(operation('profile/current_user.graphql'));
    expect(me.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
