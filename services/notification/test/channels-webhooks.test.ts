import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Principal } from '@clubland/authz';
import { loadMigrations, migrate } from '@clubland/db';
import { createTestDb, type TestDb } from '@clubland/db/testing';
import { ClubError } from '@clubland/errors';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RetryPolicy } from '../src/channels/retry-schedule.ts';
import { createWebhookChannel } from '../src/channels/webhook-channel.ts';
import { createWebhookDispatcher } from '../src/channels/webhook-dispatcher.ts';
import { createWebhookSecretSeal, unsealedWebhookSecrets } from '../src/channels/webhook-secret-seal.ts';
import { createReplayGuard, verifyWebhook } from '../src/channels/webhook-signature.ts';
import { createWebhookQueries } from '../src/channels/webhook-store.ts';
import {
  listDeadLetters,
  listWebhookEndpoints,
  queueWebhookMessages,
  registerWebhookEndpoint,
  retryDeadLetter,
  type WebhookDeps,
} from '../src/channels/webhooks.ts';

/**
 * Webhooks end to end on the database (PGlite, or PostgreSQL when DATABASE_URL is set): a club admin
 * registers an endpoint, events are queued, the dispatcher signs and POSTs them to a receiver started
 * here that verifies them as a club's system would (verifyWebhook with a replay guard), failures are
 * retried on the backoff schedule and end in the dead-letter list, from which the admin retries them.
 */
async function eventually(check: () => void, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

function principal(role: 'MEMBER' | 'CLUB_ADMIN', clubId: string): Principal {
  return {
    userId: uuidv7(),
    sessionId: uuidv7(),
    homeClubId: clubId,
    grants: [{ role, clubId }],
    source: 'clubland',
  };
}

interface Receiver {
  url: string;
  secret: string;
  /** Answers 500 to this many more verified calls. */
  failNext: number;
  accepted: { id: string; body: unknown; headers: IncomingHttpHeaders }[];
  refused: string[];
  raw: { headers: IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

let clock = new Date('2030-03-01T09:00:00Z');
const advance = (ms: number) => {
  clock = new Date(clock.getTime() + ms);
};

async function startReceiver(): Promise<Receiver> {
  const guard = createReplayGuard();
  const receiver: Omit<Receiver, 'url' | 'close'> = {
    secret: '',
    failNext: 0,
    accepted: [],
    refused: [],
    raw: [],
  };
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      receiver.raw.push({ headers: request.headers, body });
      const verified = verifyWebhook({
        headers: request.headers,
        body,
        secret: receiver.secret,
        now: clock,
        replayGuard: guard,
      });
      if (!verified.ok) {
        receiver.refused.push(verified.reason);
        response.writeHead(401).end();
        return;
      }
      if (receiver.failNext > 0) {
        receiver.failNext--;
        // Not yet processed: a retry of this id must be let through, so forget it was seen.
        guard.forget(verified.id);
        response.writeHead(500).end('down for maintenance');
        return;
      }
      receiver.accepted.push({ id: verified.id, body: JSON.parse(body), headers: request.headers });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/clubland`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

const SERVICE_SECRET = 'webhook-test-service-secret-0123456789abcdef';
const ROTATED_SECRET = 'webhook-test-rotated-secret-0123456789abcdef';

describe('webhooks to club endpoints', () => {
  let db: TestDb;
  let deps: WebhookDeps;
  let receiver: Receiver;
  const clubA = uuidv7();
  const clubB = uuidv7();
  const adminA = principal('CLUB_ADMIN', clubA);
  const adminB = principal('CLUB_ADMIN', clubB);
  const policy: RetryPolicy = { maxAttempts: 3, baseMs: 1_000, factor: 2, maxMs: 60_000 };
  // The service's secrets (NOTIFICATION_UNSUBSCRIBE_SECRETS) seal the endpoints' secrets at rest.
  const seal = createWebhookSecretSeal([SERVICE_SECRET]);
  const dispatcher = () =>
    createWebhookDispatcher({
      db,
      seal,
      clock: () => clock,
      random: () => 0,
      policy,
      timeoutMs: 2_000,
      allowPrivateNetworks: true,
    });
  const queue = (clubId: string, eventType: string, sourceEventId: string, data: unknown = { n: 1 }) =>
    db.withTenant(clubId, (tx) =>
      queueWebhookMessages(tx, deps, { clubId, eventType, sourceEventId, occurredAt: clock, data }),
    );

  beforeAll(async () => {
    db = await createTestDb();
    const migrations = await loadMigrations(new URL('../src/store/migrations/', import.meta.url));
    // This file's own tables only: the service's other migrations are not needed by them.
    await migrate(db, {
      schema: 'notification',
      migrations: migrations.filter((m) => m.version === 10 || m.version === 11),
    });
    deps = { db, clock: () => clock, newId: uuidv7, allowPlainHttp: true, allowPrivateNetworks: true, seal };
    receiver = await startReceiver();
    const registered = await registerWebhookEndpoint(deps, adminA, {
      clubId: clubA,
      url: receiver.url,
      description: 'Front desk system',
      eventTypes: ['booking.confirmed', 'member.created'],
    });
    receiver.secret = registered.secret;
  });
  afterAll(async () => {
    await receiver?.close();
    await db?.close();
  });
  beforeEach(() => {
    receiver.accepted.length = 0;
    receiver.refused.length = 0;
    receiver.raw.length = 0;
    receiver.failNext = 0;
  });

  it('registers an endpoint whose secret is shown once, listed without it', async () => {
    expect(receiver.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const endpoints = await listWebhookEndpoints(deps, adminA, clubA);
    expect(endpoints).toEqual([
      expect.objectContaining({
        clubId: clubA,
        url: receiver.url,
        description: 'Front desk system',
        eventTypes: ['booking.confirmed', 'member.created'],
        enabled: true,
        createdBy: adminA.userId,
      }),
    ]);
    expect(JSON.stringify(endpoints)).not.toContain('whsec_');
    // At rest it is sealed: the table alone cannot sign as the club's Clubland.
    const { rows } = await db.asOwner((tx) =>
      tx.query<{ secret: string }>('SELECT secret FROM notification.webhook_endpoints WHERE club_id = $1', [
        clubA,
      ]),
    );
    expect(rows[0]!.secret).toMatch(/^sealed\.v1\./);
    expect(rows[0]!.secret).not.toContain(receiver.secret.slice('whsec_'.length, 20));
  });

  it('delivers a queued event, signed; the receiver verifies it; one message however often the event comes', async () => {
    const eventId = uuidv7();
    const [messageId] = await queue(clubA, 'booking.confirmed', eventId, { bookingId: 'b-1' });
    expect(await queue(clubA, 'booking.confirmed', eventId, { bookingId: 'b-1' })).toEqual([]);
    // An event type the endpoint did not ask for, and another club's event, queue nothing.
    expect(await queue(clubA, 'visit.checked_in', uuidv7())).toEqual([]);
    expect(await queue(clubB, 'booking.confirmed', uuidv7())).toEqual([]);

    expect(await dispatcher().runOnce()).toEqual({ delivered: 1, retrying: 0, dead: 0 });
    expect(receiver.refused).toEqual([]);
    expect(receiver.accepted).toEqual([
      {
        id: messageId,
        body: { type: 'booking.confirmed', timestamp: clock.toISOString(), data: { bookingId: 'b-1' } },
        headers: expect.objectContaining({ 'content-type': 'application/json', 'webhook-id': messageId }),
      },
    ]);
    expect(await dispatcher().runOnce()).toEqual({ delivered: 0, retrying: 0, dead: 0 });
    const stored = await db.withTenant(clubA, (tx) => createWebhookQueries(tx).findMessage(messageId!));
    expect(stored).toMatchObject({
      status: 'DELIVERED',
      attempts: 1,
      deliveredAt: clock,
      nextAttemptAt: null,
    });
  });

  it('lets the receiver refuse a replay, at once by its id and after the window by its timestamp', async () => {
    await queue(clubA, 'member.created', uuidv7(), { memberId: 'm-1' });
    await dispatcher().runOnce();
    expect(receiver.accepted).toHaveLength(1);
    const captured = receiver.raw[0]!;
    const replay = () =>
      fetch(receiver.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': String(captured.headers['webhook-id']),
          'webhook-timestamp': String(captured.headers['webhook-timestamp']),
          'webhook-signature': String(captured.headers['webhook-signature']),
        },
        body: captured.body,
      });

    expect((await replay()).status).toBe(401);
    advance(6 * 60 * 1000);
    expect((await replay()).status).toBe(401);
    expect(receiver.refused).toEqual(['replayed', 'too_old']);
    expect(receiver.accepted).toHaveLength(1);
  });

  it('retries a failing receiver with backoff, dead-letters it after three attempts, and delivers it on an admin’s retry', async () => {
    receiver.failNext = 3;
    const [messageId] = await queue(clubA, 'booking.confirmed', uuidv7(), { bookingId: 'b-2' });

    expect(await dispatcher().runOnce()).toEqual({ delivered: 0, retrying: 1, dead: 0 });
    // Not due yet: the first retry waits between 0.5 and 1 s (random 0: 0.5 s).
    advance(499);
    expect(await dispatcher().runOnce()).toEqual({ delivered: 0, retrying: 0, dead: 0 });
    advance(1);
    expect(await dispatcher().runOnce()).toEqual({ delivered: 0, retrying: 1, dead: 0 });
    advance(999);
    expect(await dispatcher().runOnce()).toEqual({ delivered: 0, retrying: 0, dead: 0 });
    advance(1);
    expect(await dispatcher().runOnce()).toEqual({ delivered: 0, retrying: 0, dead: 1 });
    expect(receiver.accepted).toEqual([]);

    const [letter, ...others] = await listDeadLetters(deps, adminA, { clubId: clubA });
    expect(others).toEqual([]);
    expect(letter).toMatchObject({
      id: messageId,
      status: 'DEAD',
      attempts: 3,
      lastError: 'HTTP 500',
      deadAt: clock,
    });
    expect(letter!.attemptLog.map((attempt) => [attempt.attempt, attempt.statusCode, attempt.error])).toEqual(
      [
        [1, 500, 'HTTP 500'],
        [2, 500, 'HTTP 500'],
        [3, 500, 'HTTP 500'],
      ],
    );
    // A dead letter is sent no more by the dispatcher alone.
    advance(3_600_000);
    expect(await dispatcher().runOnce()).toEqual({ delivered: 0, retrying: 0, dead: 0 });

    expect(await retryDeadLetter(deps, adminA, { clubId: clubA, messageId: messageId! })).toMatchObject({
      status: 'PENDING',
      attempts: 0,
      totalAttempts: 3,
    });
    expect(await dispatcher().runOnce()).toEqual({ delivered: 1, retrying: 0, dead: 0 });
    expect(receiver.accepted.map((call) => [call.id, call.body])).toEqual([
      [messageId, { type: 'booking.confirmed', timestamp: expect.any(String), data: { bookingId: 'b-2' } }],
    ]);
    expect(await listDeadLetters(deps, adminA, { clubId: clubA })).toEqual([]);
    const attempts = await db.withTenant(clubA, (tx) => createWebhookQueries(tx).listAttempts(messageId!));
    expect(attempts.map((attempt) => [attempt.attempt, attempt.statusCode])).toEqual([
      [1, 500],
      [2, 500],
      [3, 500],
      [4, 204],
    ]);
  });

  it('records an endpoint that does not answer as a failed attempt', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const clubC = uuidv7();
      await registerWebhookEndpoint(deps, principal('CLUB_ADMIN', clubC), {
        clubId: clubC,
        url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`,
      });
      const [messageId] = await queue(clubC, 'member.created', uuidv7());
      const quick = createWebhookDispatcher({
        db,
        seal,
        clock: () => clock,
        random: () => 0,
        policy,
        timeoutMs: 200,
        allowPrivateNetworks: true,
      });
      expect(await quick.runOnce()).toEqual({ delivered: 0, retrying: 1, dead: 0 });
      const stored = await db.withTenant(clubC, (tx) => createWebhookQueries(tx).findMessage(messageId!));
      expect(stored).toMatchObject({ status: 'PENDING', lastError: 'webhook endpoint: no answer in 200 ms' });
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('does not connect to a private address unless told to, whether the URL names it or a name resolves to it', async () => {
    const clubE = uuidv7();
    const port = new URL(receiver.url).port;
    await registerWebhookEndpoint(deps, principal('CLUB_ADMIN', clubE), {
      clubId: clubE,
      url: `http://127.0.0.1:${port}/literal`,
    });
    await registerWebhookEndpoint(deps, principal('CLUB_ADMIN', clubE), {
      clubId: clubE,
      url: `http://localhost:${port}/by-name`,
    });
    const [first, second] = await queue(clubE, 'member.created', uuidv7());
    const publicOnly = createWebhookDispatcher({ db, seal, clock: () => clock, random: () => 0, policy });
    expect(await publicOnly.runOnce()).toEqual({ delivered: 0, retrying: 2, dead: 0 });
    expect(receiver.raw).toEqual([]);
    const errors = await db.withTenant(clubE, async (tx) => {
      const queries = createWebhookQueries(tx);
      return [
        (await queries.findMessage(first!))?.lastError,
        (await queries.findMessage(second!))?.lastError,
      ].sort();
    });
    expect(errors).toEqual([
      'webhook endpoint: 127.0.0.1 is not a public address',
      expect.stringMatching(
        /^webhook endpoint: localhost resolves to (127\.0\.0\.1|::1), not a public address$/,
      ),
    ]);
  });

  it('delivers without being asked once started, at once when woken, and stops', async () => {
    const channel = createWebhookChannel({
      db,
      config: { WEBHOOK_ALLOW_LOCAL_ENDPOINTS: true },
      clock: () => clock,
      newId: uuidv7,
      seal,
      // Polling alone would take a minute: only wake() can make this test pass in time.
      dispatcher: { policy, pollIntervalMs: 60_000 },
    });
    channel.dispatcher.start();
    try {
      const [messageId] = await db.withTenant(clubA, (tx) =>
        channel.queue(tx, {
          clubId: clubA,
          eventType: 'member.created',
          sourceEventId: uuidv7(),
          occurredAt: clock,
          data: { memberId: 'm-9' },
        }),
      );
      channel.dispatcher.wake();
      await eventually(() => expect(receiver.accepted.map((call) => call.id)).toEqual([messageId]), 10_000);
    } finally {
      await channel.dispatcher.stop();
    }
    await queue(clubA, 'member.created', uuidv7());
    channel.dispatcher.wake();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.accepted).toHaveLength(1);
    // Left for a running dispatcher: one round sends it.
    expect(await dispatcher().runOnce()).toEqual({ delivered: 1, retrying: 0, dead: 0 });
  });

  it('sends each due message once when two dispatchers run at the same time', async () => {
    for (let n = 0; n < 12; n++) await queue(clubA, 'member.created', uuidv7(), { n });
    const rounds = await Promise.all([dispatcher().runOnce(), dispatcher().runOnce()]);
    expect(rounds.reduce((sum, round) => sum + round.delivered, 0)).toBe(12);
    expect(receiver.accepted).toHaveLength(12);
    expect(new Set(receiver.accepted.map((call) => call.id)).size).toBe(12);
  });

  it('keeps each club to its own endpoints and dead letters', async () => {
    const member = principal('MEMBER', clubA);
    await expect(listDeadLetters(deps, member, { clubId: clubA })).rejects.toMatchObject({
      code: 'request.forbidden',
    });
    await expect(listDeadLetters(deps, adminB, { clubId: clubA })).rejects.toMatchObject({
      code: 'request.forbidden',
    });
    await expect(
      registerWebhookEndpoint(deps, adminB, { clubId: clubA, url: 'https://evil.example/' }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });

    receiver.failNext = 3;
    const [messageId] = await queue(clubA, 'member.created', uuidv7());
    for (let n = 0; n < 3; n++) {
      await dispatcher().runOnce();
      advance(60_000);
    }
    expect(await listDeadLetters(deps, adminB, { clubId: clubB })).toEqual([]);
    // Club B names club A's message under its own club: row-level security hides it.
    await expect(
      retryDeadLetter(deps, adminB, { clubId: clubB, messageId: messageId! }),
    ).rejects.toMatchObject({
      code: 'entity.not_found',
    });
    expect(await db.withTenant(clubB, (tx) => createWebhookQueries(tx).listEndpoints(clubA))).toEqual([]);
    // The table refuses a row of another club in a club's transaction, whatever the code above it does.
    await expect(
      db.withTenant(clubB, (tx) =>
        createWebhookQueries(tx).insertEndpoint({
          id: uuidv7(),
          clubId: clubA,
          url: 'https://evil.example/',
          description: null,
          eventTypes: [],
          enabled: true,
          createdBy: adminB.userId,
          createdAt: clock,
          secret: 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
        }),
      ),
    ).rejects.toThrow(/row-level security/);
    // Club A's admin retries it; a retry of a message that is not dead is a conflict.
    receiver.failNext = 0;
    await retryDeadLetter(deps, adminA, { clubId: clubA, messageId: messageId! });
    await expect(
      retryDeadLetter(deps, adminA, { clubId: clubA, messageId: messageId! }),
    ).rejects.toMatchObject({
      code: 'entity.conflict',
    });
  });

  it('seals at start a secret stored before sealing, and everything again under a rotated key', async () => {
    const clubF = uuidv7();
    const plain = { ...deps, seal: unsealedWebhookSecrets };
    const registered = await registerWebhookEndpoint(plain, principal('CLUB_ADMIN', clubF), {
      clubId: clubF,
      url: receiver.url,
    });
    const stored = async () =>
      (
        await db.asOwner((tx) =>
          tx.query<{ secret: string }>('SELECT secret FROM notification.webhook_endpoints WHERE id = $1', [
            registered.endpoint.id,
          ]),
        )
      ).rows[0]!.secret;
    expect(await stored()).toBe(registered.secret);
    const keys = (...secrets: string[]) =>
      createWebhookChannel({
        db,
        config: { WEBHOOK_ALLOW_LOCAL_ENDPOINTS: true },
        clock: () => clock,
        newId: uuidv7,
        seal: createWebhookSecretSeal(secrets),
      });
    // Only the plaintext one: the others are sealed under the first key already.
    expect(await keys(SERVICE_SECRET).resealSecrets()).toEqual({ resealed: 1, unopened: [] });
    expect(await stored()).toMatch(/^sealed\.v1\./);
    expect(seal.open(registered.endpoint.id, await stored())).toBe(registered.secret);
    // A new first key: every endpoint is re-sealed under it, and opens without the old one.
    const endpoints = (await db.asOwner((tx) => tx.query('SELECT 1 FROM notification.webhook_endpoints')))
      .rows.length;
    expect(await keys(ROTATED_SECRET, SERVICE_SECRET).resealSecrets()).toEqual({
      resealed: endpoints,
      unopened: [],
    });
    expect(createWebhookSecretSeal([ROTATED_SECRET]).open(registered.endpoint.id, await stored())).toBe(
      registered.secret,
    );
    expect(await keys(ROTATED_SECRET).resealSecrets()).toEqual({ resealed: 0, unopened: [] });
    // A key nobody configured any more: nothing is changed, the endpoints are named, nothing throws.
    const lost = await keys('webhook-test-unknown-secret-0123456789abcdef').resealSecrets();
    expect(lost).toEqual({ resealed: 0, unopened: expect.arrayContaining([registered.endpoint.id]) });
    expect(lost.unopened).toHaveLength(endpoints);
    expect(createWebhookSecretSeal([ROTATED_SECRET]).open(registered.endpoint.id, await stored())).toBe(
      registered.secret,
    );
    // Back under this file's key for the tests that follow.
    expect(await keys(SERVICE_SECRET, ROTATED_SECRET).resealSecrets()).toEqual({
      resealed: endpoints,
      unopened: [],
    });
  });

  it('refuses bad endpoint input with the field, storing nothing', async () => {
    const clubD = uuidv7();
    const adminD = principal('CLUB_ADMIN', clubD);
    const strict: WebhookDeps = { ...deps, allowPlainHttp: false, allowPrivateNetworks: false };
    const refusals = [
      [strict, { clubId: clubD, url: 'http://example.com/hook' }, 'input.url'],
      [strict, { clubId: clubD, url: 'https://127.0.0.1/hook' }, 'input.url'],
      [strict, { clubId: clubD, url: 'https://169.254.169.254/latest/meta-data' }, 'input.url'],
      [strict, { clubId: clubD, url: 'https://[::1]/hook' }, 'input.url'],
      [strict, { clubId: clubD, url: 'https://[::ffff:10.0.0.1]/hook' }, 'input.url'],
      [strict, { clubId: clubD, url: 'https://localhost:8443/hook' }, 'input.url'],
      [deps, { clubId: clubD, url: 'ftp://example.com/hook' }, 'input.url'],
      [deps, { clubId: clubD, url: 'not a url' }, 'input.url'],
      [deps, { clubId: clubD, url: 'https://user:pw@example.com/' }, 'input.url'],
      [
        deps,
        { clubId: clubD, url: 'https://example.com/', eventTypes: ['Member Created'] },
        'input.eventTypes',
      ],
      [
        deps,
        { clubId: clubD, url: 'https://example.com/', description: 'x'.repeat(501) },
        'input.description',
      ],
      [deps, { clubId: 'club-d', url: 'https://example.com/' }, 'input.clubId'],
    ] as const;
    for (const [withDeps, input, field] of refusals) {
      const error = await registerWebhookEndpoint(withDeps, adminD, input).catch(
        (failure: unknown) => failure,
      );
      expect(error, JSON.stringify(input)).toBeInstanceOf(ClubError);
      expect(error).toMatchObject({ code: 'request.invalid_input', details: { field } });
    }
    expect(await listWebhookEndpoints(deps, adminD, clubD)).toEqual([]);
    await expect(listDeadLetters(deps, adminD, { clubId: clubD, limit: 0 })).rejects.toMatchObject({
      details: { field: 'input.limit' },
    });
    await expect(
      retryDeadLetter(deps, adminD, { clubId: clubD, messageId: "1'; drop" }),
    ).rejects.toMatchObject({
      details: { field: 'input.messageId' },
    });
  });
});
