import type { AddressInfo } from 'node:net';
import { createClient as createGraphqlWsClient } from 'graphql-ws';
import { SubscriptionClient } from 'subscriptions-transport-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type GatewayHarness, setupGateway } from './setup.ts';

const SUBSCRIBE = 'subscription { clubCreated { id slug status } }';
const CREATE = 'mutation($input: CreateClubInput!) { createClub(input: $input) { id } }';

/**
 * Subscriptions over a real WebSocket with the two client libraries the mobile app may use:
 * graphql-ws (`graphql-transport-ws`) and subscriptions-transport-ws (legacy `graphql-ws`).
 * The caller comes from the connection-init payload's `authorization`.
 */
describe('GraphQL subscriptions on /graphql', () => {
  let harness: GatewayHarness;
  let wsUrl: string;
  let token: string;

  beforeAll(async () => {
    harness = await setupGateway();
    await harness.app.listen({ port: 0, host: '127.0.0.1' });
    wsUrl = `ws://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}/graphql`;
    const club = await harness.asNetworkAdmin(CREATE, { input: { name: 'Home', slug: 'home-club' } });
    const registered = await harness.post(
      'mutation($input: RegisterInput!) { register(input: $input) { token } }',
      {
        input: {
          email: 'ws@example.org',
          password: 'correct horse battery staple',
          clubId: club.body.data?.createClub.id,
          firstName: 'Web',
          lastName: 'Socket',
        },
      },
    );
    token = registered.body.data?.register.token;
  });
  afterAll(async () => {
    await harness.close();
  });

  it('graphql-transport-ws (graphql-ws client): an authenticated subscriber receives club.created', async () => {
    const client = createGraphqlWsClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}`, client: 'flutter', version: '1.0.0' },
    });
    const received = new Promise<unknown>((resolve, reject) => {
      client.subscribe({ query: SUBSCRIBE }, { next: resolve, error: reject, complete: () => undefined });
    });
    await waitForSubscribers();
    await harness.asNetworkAdmin(CREATE, { input: { name: 'Athenaeum', slug: 'athenaeum' } });
    expect(await received).toMatchObject({ data: { clubCreated: { slug: 'athenaeum', status: 'ACTIVE' } } });
    await client.dispose();
  });

  it('legacy graphql-ws (subscriptions-transport-ws client): same event, token without the Bearer prefix', async () => {
    const client = new SubscriptionClient(wsUrl, { connectionParams: { authorization: token } }, WebSocket);
    const received = new Promise<unknown>((resolve, reject) => {
      client.request({ query: SUBSCRIBE }).subscribe({ next: resolve, error: reject });
    });
    await waitForSubscribers();
    await harness.asNetworkAdmin(CREATE, { input: { name: 'Travellers', slug: 'travellers' } });
    expect(await received).toMatchObject({ data: { clubCreated: { slug: 'travellers' } } });
    client.close();
  });

  it('refuses a connection whose init payload carries a bad token, and a subscription without a caller', async () => {
    const forged = createGraphqlWsClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${token}x` },
    });
    const refused = await new Promise<unknown>((resolve) => {
      forged.subscribe(
        { query: SUBSCRIBE },
        { next: () => undefined, error: resolve, complete: () => resolve(null) },
      );
    });
    expect(refused).not.toBeNull();
    await forged.dispose();

    const anonymous = createGraphqlWsClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
    const errors = await new Promise<unknown>((resolve) => {
      anonymous.subscribe({ query: SUBSCRIBE }, { next: resolve, error: resolve, complete: () => undefined });
    });
    expect(JSON.stringify(errors)).toContain('UNAUTHENTICATED');
    await anonymous.dispose();
  });

  /** Subscribing is asynchronous on the server; give it a moment before publishing. */
  async function waitForSubscribers(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
});
