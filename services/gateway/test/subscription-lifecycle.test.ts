import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { memberStatusChanged } from '@clubland/contract/events/member';
import { createClient as createGraphqlWsClient } from 'graphql-ws';
import { SubscriptionClient } from 'subscriptions-transport-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type GatewayHarness, setupGateway } from './setup.ts';

const KEEP_ALIVE_MS = 200;
const PASSWORD = 'correct horse battery staple';
const STATUS_CHANGES = `subscription($clubId: ID) {
  memberStatusChanged(clubId: $clubId) { memberId fromStatus toStatus reason }
}`;
const CLUB_CREATED = 'subscription { clubCreated { id } }';

/**
 * What a subscriber may see, and what a connection costs the server over its life: tenant
 * filtering by the caller's grants, keep-alive in both directions, and no listener left behind by
 * a client that goes, however it goes.
 */
describe('subscriptions: tenants, keep-alive and clean-up', () => {
  let harness: GatewayHarness;
  let wsUrl: string;
  const clubs: { a: string; b: string } = { a: '', b: '' };
  const tokens: Record<'admin' | 'staffA' | 'staffB' | 'memberA', string> = {
    admin: '',
    staffA: '',
    staffB: '',
    memberA: '',
  };

  beforeAll(async () => {
    harness = await setupGateway({ gateway: { limits: { keepAliveMs: KEEP_ALIVE_MS } } });
    await harness.app.listen({ port: 0, host: '127.0.0.1' });
    wsUrl = `ws://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}/graphql`;
    tokens.admin = await harness.networkAdminToken();
    const admin = harness.as(tokens.admin);
    for (const key of ['a', 'b'] as const) {
      const { body } = await admin(
        'mutation($input: CreateClubInput!) { createClub(input: $input) { id } }',
        {
          input: { name: `Club ${key.toUpperCase()}`, slug: `tenant-${key}-${randomUUID().slice(0, 8)}` },
        },
      );
      clubs[key] = body.data?.createClub.id;
    }
    tokens.staffA = await signUp('staff-a@example.org', clubs.a, 'STAFF');
    tokens.staffB = await signUp('staff-b@example.org', clubs.b, 'STAFF');
    tokens.memberA = await signUp('member-a@example.org', clubs.a);
  });
  afterAll(async () => {
    await harness.close();
  });

  /** Registers at the club; with a role, the admin grants it and the user signs in again to carry it. */
  async function signUp(email: string, clubId: string, role?: string): Promise<string> {
    const { body } = await harness.post(
      'mutation($input: RegisterInput!) { register(input: $input) { token user { id } } }',
      { input: { email, password: PASSWORD, clubId, firstName: 'Sub', lastName: 'Scriber' } },
    );
    if (!role) return body.data?.register.token;
    await harness.as(tokens.admin)(
      'mutation($userId: ID!, $role: String!, $clubId: ID) { grantRole(userId: $userId, role: $role, clubId: $clubId) { id } }',
      { userId: body.data?.register.user.id, role, clubId },
    );
    const login = await harness.post('mutation($input: LoginInput!) { login(input: $input) { token } }', {
      input: { email, password: PASSWORD },
    });
    return login.body.data?.login.token;
  }

  function subscriber(token: string) {
    return createGraphqlWsClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${token}` },
    });
  }

  /** Collects what a subscription receives; `errors` gets what it is refused with. */
  function collect(client: ReturnType<typeof subscriber>, variables: Record<string, unknown> = {}) {
    const received: { memberId: string }[] = [];
    const errors: unknown[] = [];
    client.subscribe<{ memberStatusChanged: { memberId: string } }>(
      { query: STATUS_CHANGES, variables },
      {
        next: (message) => {
          if (message.data) received.push(message.data.memberStatusChanged);
          if (message.errors) errors.push(message.errors);
        },
        error: (error) => errors.push(error),
        complete: () => undefined,
      },
    );
    return { received, errors };
  }

  async function publishStatusChange(clubId: string): Promise<string> {
    const memberId = randomUUID();
    await harness.bus.publish([
      memberStatusChanged.build({
        tenantId: clubId,
        correlationId: null,
        data: {
          memberId,
          clubId,
          from: 'ACTIVE',
          to: 'SUSPENDED',
          reason: 'dues unpaid',
          changedBy: randomUUID(),
          changedAt: new Date().toISOString(),
        },
      }),
    ]);
    return memberId;
  }

  it("delivers a member's status change only to callers who may read that club's roster", async () => {
    const clients = {
      staffA: subscriber(tokens.staffA),
      staffB: subscriber(tokens.staffB),
      memberA: subscriber(tokens.memberA),
      admin: subscriber(tokens.admin),
    };
    const seen = {
      staffA: collect(clients.staffA),
      staffB: collect(clients.staffB),
      memberA: collect(clients.memberA),
      admin: collect(clients.admin),
    };
    await until(() => harness.subscriptionListenerCount('member.status_changed') === 4);

    const inA = await publishStatusChange(clubs.a);
    const inB = await publishStatusChange(clubs.b);
    await until(() => seen.admin.received.length === 2 && seen.staffB.received.length === 1);
    await until(() => seen.staffA.received.length === 1);
    // Let anything that should not arrive have its chance to.
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(seen.admin.received.map((change) => change.memberId)).toEqual([inA, inB]);
    expect(seen.staffA.received).toEqual([
      { memberId: inA, fromStatus: 'ACTIVE', toStatus: 'SUSPENDED', reason: 'dues unpaid' },
    ]);
    expect(seen.staffB.received.map((change) => change.memberId)).toEqual([inB]);
    expect(seen.memberA.received).toEqual([]);
    await Promise.all(Object.values(clients).map((client) => client.dispose()));
  });

  it('narrows to one club with clubId, and refuses a club the caller may not read', async () => {
    const admin = subscriber(tokens.admin);
    const onlyB = collect(admin, { clubId: clubs.b });
    const staffA = subscriber(tokens.staffA);
    const refused = collect(staffA, { clubId: clubs.b });
    await until(() => refused.errors.length === 1);
    expect(JSON.stringify(refused.errors[0])).toContain('FORBIDDEN');

    await until(() => harness.subscriptionListenerCount('member.status_changed') === 1);
    await publishStatusChange(clubs.a);
    const inB = await publishStatusChange(clubs.b);
    await until(() => onlyB.received.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(onlyB.received.map((change) => change.memberId)).toEqual([inB]);
    await admin.dispose();
    await staffA.dispose();
  });

  it('answers a client ping with pong and pings on its own (graphql-transport-ws)', async () => {
    const socket = await open('graphql-transport-ws');
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: tokens.memberA } }));
    expect(await socket.next()).toMatchObject({ type: 'connection_ack' });
    socket.send(JSON.stringify({ type: 'ping' }));
    const messages = await socket.collect(KEEP_ALIVE_MS * 2.5);
    expect(messages.filter((message) => message.type === 'pong')).toHaveLength(1);
    expect(messages.filter((message) => message.type === 'ping').length).toBeGreaterThanOrEqual(2);
    socket.close();
  });

  it('sends keep-alive (ka) messages on the legacy graphql-ws protocol', async () => {
    const socket = await open('graphql-ws');
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: tokens.memberA } }));
    expect(await socket.next()).toMatchObject({ type: 'connection_ack' });
    const messages = await socket.collect(KEEP_ALIVE_MS * 2.5);
    expect(messages.filter((message) => message.type === 'ka').length).toBeGreaterThanOrEqual(2);
    socket.close();
  });

  it('leaves no listener behind when a client unsubscribes, disconnects, drops or falls silent', async () => {
    const baseline = harness.subscriptionListenerCount();

    // 1. graphql-ws: dispose (complete, then close).
    const polite = subscriber(tokens.memberA);
    polite.subscribe(
      { query: CLUB_CREATED },
      { next: () => undefined, error: () => undefined, complete: () => undefined },
    );
    await until(() => harness.subscriptionListenerCount() === baseline + 1);
    await polite.dispose();
    await until(() => harness.subscriptionListenerCount() === baseline);

    // 2. subscriptions-transport-ws (legacy): close the client.
    const legacy = new SubscriptionClient(
      wsUrl,
      { connectionParams: { authorization: tokens.memberA } },
      WebSocket,
    );
    legacy.request({ query: CLUB_CREATED }).subscribe({ next: () => undefined });
    await until(() => harness.subscriptionListenerCount() === baseline + 1);
    legacy.close();
    await until(() => harness.subscriptionListenerCount() === baseline);

    // 3. The TCP connection drops without a closing handshake.
    const dropped = await subscribedRawSocket();
    await until(() => harness.subscriptionListenerCount() === baseline + 1);
    dropped.raw.terminate();
    await until(() => harness.subscriptionListenerCount() === baseline);

    // 4. The peer stops answering protocol pings (a phone that lost its network): cut off by the server.
    const silent = await subscribedRawSocket({ autoPong: false });
    await until(() => harness.subscriptionListenerCount() === baseline + 1);
    const closed = new Promise((resolve) => silent.raw.once('close', resolve));
    await closed;
    await until(() => harness.subscriptionListenerCount() === baseline);
  });

  /** A raw graphql-transport-ws socket subscribed to clubCreated. */
  async function subscribedRawSocket(options: WebSocket.ClientOptions = {}) {
    const socket = await open('graphql-transport-ws', options);
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: tokens.memberA } }));
    await socket.next();
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: CLUB_CREATED } }));
    return socket;
  }

  /** A WebSocket with a queue of parsed messages. */
  async function open(protocol: string, options: WebSocket.ClientOptions = {}) {
    const raw = new WebSocket(wsUrl, protocol, options);
    const queue: { type: string }[] = [];
    const waiting: ((message: { type: string }) => void)[] = [];
    raw.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string };
      const waiter = waiting.shift();
      if (waiter) waiter(message);
      else queue.push(message);
    });
    await new Promise((resolve, reject) => raw.once('open', resolve).once('error', reject));
    return {
      raw,
      send: (text: string) => raw.send(text),
      next: () =>
        new Promise<{ type: string }>((resolve) => {
          const queued = queue.shift();
          if (queued) resolve(queued);
          else waiting.push(resolve);
        }),
      async collect(ms: number) {
        await new Promise((resolve) => setTimeout(resolve, ms));
        return queue.splice(0);
      },
      close: () => raw.close(),
    };
  }
});

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
