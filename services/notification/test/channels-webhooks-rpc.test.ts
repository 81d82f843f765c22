import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { type CallerContext, CallerContextSchema } from '@clubland/contract/member/v1/caller';
import { WebhookService } from '@clubland/contract/notification/v1/webhooks';
import { loadMigrations, migrate } from '@clubland/db';
import { createTestDb, type TestDb } from '@clubland/db/testing';
import { createLoopbackTransport, createRpcClient } from '@clubland/rpc';
import pino from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWebhookRpc } from '../src/channels/rpc-webhooks.ts';
import { createWebhookChannel, type WebhookChannel } from '../src/channels/webhook-channel.ts';
import { verifyWebhook } from '../src/channels/webhook-signature.ts';

/**
 * WebhookService over the Connect protocol in memory (every message encoded to protobuf and back,
 * as on the network), on the database, against a receiver started here: what the gateway's
 * admin operations will call.
 */
const callerOf = (role: 'MEMBER' | 'CLUB_ADMIN', clubId: string): CallerContext =>
  create(CallerContextSchema, {
    userId: uuidv7(),
    sessionId: uuidv7(),
    homeClubId: clubId,
    grants: [{ role, clubId }],
    source: 'clubland',
  });

describe('WebhookService', () => {
  let db: TestDb;
  let channel: WebhookChannel;
  let client: ReturnType<typeof createRpcClient<typeof WebhookService>>;
  const clock = { now: new Date('2030-04-01T08:00:00Z') };
  const clubId = uuidv7();
  const admin = callerOf('CLUB_ADMIN', clubId);
  const received: { id: string; verified: boolean }[] = [];
  let secret = '';
  let failing = true;
  const receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const verified = verifyWebhook({ headers: request.headers, body, secret, now: clock.now });
      received.push({ id: String(request.headers['webhook-id']), verified: verified.ok });
      response.writeHead(failing ? 503 : 200).end();
    });
  });

  beforeAll(async () => {
    db = await createTestDb();
    const migrations = await loadMigrations(new URL('../src/store/migrations/', import.meta.url));
    await migrate(db, {
      schema: 'notification',
      migrations: migrations.filter((m) => m.version === 10 || m.version === 11),
    });
    channel = createWebhookChannel({
      db,
      config: { WEBHOOK_ALLOW_LOCAL_ENDPOINTS: true },
      clock: () => clock.now,
      newId: uuidv7,
      dispatcher: { random: () => 0, policy: { maxAttempts: 2, baseMs: 1_000, factor: 2, maxMs: 10_000 } },
    });
    const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
    client = createRpcClient(
      WebhookService,
      createLoopbackTransport((router) => registerWebhookRpc(router, channel), log),
    );
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    receiver.closeAllConnections();
    receiver.close();
    await db?.close();
  });

  it('registers an endpoint for a club admin, returns its secret once, and refuses a member', async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const registered = await client.registerWebhookEndpoint({
      caller: admin,
      clubId,
      url,
      description: 'Accounts system',
      eventTypes: ['booking.confirmed'],
    });
    secret = registered.secret;
    expect(secret).toMatch(/^whsec_/);
    expect(registered.endpoint).toMatchObject({ clubId, url, description: 'Accounts system', enabled: true });

    const listed = await client.listWebhookEndpoints({ caller: admin, clubId });
    expect(listed.endpoints.map((endpoint) => endpoint.id)).toEqual([registered.endpoint!.id]);
    expect(
      JSON.stringify(listed, (_key, value) => (typeof value === 'bigint' ? String(value) : value)),
    ).not.toContain('whsec_');

    await expect(
      client.registerWebhookEndpoint({ caller: callerOf('MEMBER', clubId), clubId, url }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
    await expect(client.listWebhookEndpoints({ clubId })).rejects.toMatchObject({
      code: 'request.unauthenticated',
    });
    await expect(
      client.registerWebhookEndpoint({ caller: admin, clubId, url: 'gopher://example.com' }),
    ).rejects.toMatchObject({ code: 'request.invalid_input', details: { field: 'input.url' } });
  });

  it('lists a dead letter with its attempts and delivers it again on retry', async () => {
    const [messageId] = await db.withTenant(clubId, (tx) =>
      channel.queue(tx, {
        clubId,
        eventType: 'booking.confirmed',
        sourceEventId: uuidv7(),
        occurredAt: clock.now,
        data: { bookingId: 'b-7' },
      }),
    );
    expect(await channel.dispatcher.runOnce()).toEqual({ delivered: 0, retrying: 1, dead: 0 });
    clock.now = new Date(clock.now.getTime() + 1_000);
    expect(await channel.dispatcher.runOnce()).toEqual({ delivered: 0, retrying: 0, dead: 1 });

    const { deadLetters } = await client.listWebhookDeadLetters({ caller: admin, clubId });
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]).toMatchObject({
      id: messageId,
      status: 'DEAD',
      eventType: 'booking.confirmed',
      lastError: 'HTTP 503',
      attempts: 2,
    });
    expect(JSON.parse(deadLetters[0]!.body)).toMatchObject({ data: { bookingId: 'b-7' } });
    expect(deadLetters[0]!.attemptLog.map((attempt) => [attempt.attempt, attempt.statusCode])).toEqual([
      [1, 503],
      [2, 503],
    ]);
    const nextPage = await client.listWebhookDeadLetters({
      caller: admin,
      clubId,
      beforeDeadAt: deadLetters[0]!.deadAt,
      beforeId: messageId!,
    });
    expect(nextPage.deadLetters).toEqual([]);
    await expect(
      client.listWebhookDeadLetters({ caller: admin, clubId, beforeDeadAt: timestampFromDate(clock.now) }),
    ).rejects.toMatchObject({ code: 'request.invalid_input', details: { field: 'before' } });

    failing = false;
    const retried = await client.retryWebhookDeadLetter({ caller: admin, clubId, messageId: messageId! });
    expect(retried.message).toMatchObject({
      id: messageId,
      status: 'PENDING',
      attempts: 0,
      totalAttempts: 2,
    });
    expect(await channel.dispatcher.runOnce()).toEqual({ delivered: 1, retrying: 0, dead: 0 });
    expect(received).toEqual([
      { id: messageId, verified: true },
      { id: messageId, verified: true },
      { id: messageId, verified: true },
    ]);
    expect((await client.listWebhookDeadLetters({ caller: admin, clubId })).deadLetters).toEqual([]);
    await expect(
      client.retryWebhookDeadLetter({ caller: admin, clubId, messageId: uuidv7() }),
    ).rejects.toMatchObject({ code: 'entity.not_found' });
  });
});
