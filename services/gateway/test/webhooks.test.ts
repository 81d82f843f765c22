import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '@clubland/notification-service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, data, errorOf, reciprocalFixtures } from './reciprocal-fixtures.ts';
import { type GatewayHarness, setupGateway } from './setup.ts';

const REGISTER = `mutation($input: RegisterWebhookEndpointInput!) {
  registerWebhookEndpoint(input: $input) { secret endpoint { id clubId url description eventTypes enabled createdBy createdAt } }
}`;
const ENDPOINTS = 'query($clubId: ID) { webhookEndpoints(clubId: $clubId) { id url eventTypes } }';
const DEAD_LETTERS = `query($clubId: ID, $first: Int, $after: String) {
  webhookDeadLetters(clubId: $clubId, first: $first, after: $after) {
    endCursor
    nodes { id clubId endpointId eventType sourceEventId body status attempts totalAttempts lastError deadAt
            attemptLog { attempt statusCode error durationMs } }
  }
}`;
const RETRY = 'mutation($id: ID!) { retryWebhookDeadLetter(id: $id) { id status attempts totalAttempts } }';
const CREATE_MEMBER = 'mutation($input: CreateMemberInput!) { createMember(input: $input) { id } }';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  status: number;
}

/**
 * A club's webhooks through the gateway (Clubland's own GraphQL, admin-only) to the notification
 * service: a club admin registers an endpoint of a receiver started here, a real domain event
 * (member.created, from createMember) is signed and POSTed to it; a receiver failing every try
 * sees the message in the dead-letter list, and gets it again, same id and verifiable, on retry.
 */
describe('webhooks through the gateway', () => {
  let harness: GatewayHarness;
  let clubA: string;
  let clubB: string;
  let adminA: Account;
  let adminB: Account;
  let member: Account;
  let receiver: Server;
  let receiverUrl: string;
  let answer = 500;
  const received: Received[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          status: answer,
        });
        response.statusCode = answer;
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    harness = await setupGateway();
    const fixtures = reciprocalFixtures(harness);
    clubA = await fixtures.club('Athenaeum');
    clubB = await fixtures.club('Boodles');
    adminA = await fixtures.account(clubA, { role: 'CLUB_ADMIN' });
    adminB = await fixtures.account(clubB, { role: 'CLUB_ADMIN' });
    member = await fixtures.member(clubA, adminA.as, {
      memberNumber: 'A-1',
      firstName: 'Ada',
      lastName: 'Lovelace',
    });
  }, 180_000);
  afterAll(async () => {
    await harness?.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  async function until<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('refuses anyone but the club admin, and bad input, changing nothing', async () => {
    expect((await errorOf(member.as(REGISTER, { input: { url: receiverUrl } }))).code).toBe('FORBIDDEN');
    expect((await errorOf(adminB.as(REGISTER, { input: { clubId: clubA, url: receiverUrl } }))).code).toBe(
      'FORBIDDEN',
    );
    expect((await errorOf(adminB.as(ENDPOINTS, { clubId: clubA }))).code).toBe('FORBIDDEN');
    expect((await errorOf(adminB.as(DEAD_LETTERS, { clubId: clubA }))).code).toBe('FORBIDDEN');
    const notUrl = await errorOf(adminA.as(REGISTER, { input: { url: 'not a url' } }));
    expect(notUrl).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.url' });
    const badType = await errorOf(adminA.as(REGISTER, { input: { url: receiverUrl, eventTypes: ['Nope'] } }));
    expect(badType).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.eventTypes' });
    expect((await errorOf(adminA.as(DEAD_LETTERS, { first: 0 }))).code).toBe('BAD_USER_INPUT');
    expect((await errorOf(adminA.as(DEAD_LETTERS, { after: 'garbage' }))).code).toBe('BAD_USER_INPUT');
    expect((await data(adminA.as(ENDPOINTS))).webhookEndpoints).toEqual([]);
  });

  it('signs a club event to its endpoint, dead-letters it after three failures, and sends it again on retry', async () => {
    const { registerWebhookEndpoint: registered } = await data(
      adminA.as(REGISTER, {
        input: { url: receiverUrl, description: 'front desk', eventTypes: ['member.created'] },
      }),
    );
    expect(registered.secret).toMatch(/^whsec_/);
    expect(registered.endpoint).toMatchObject({
      clubId: clubA,
      url: receiverUrl,
      description: 'front desk',
      eventTypes: ['member.created'],
      enabled: true,
      createdBy: adminA.userId,
    });
    const listed = (await data(adminA.as(ENDPOINTS))).webhookEndpoints;
    expect(listed).toEqual([
      { id: registered.endpoint.id, url: receiverUrl, eventTypes: ['member.created'] },
    ]);
    // The secret is shown once: the list has no such field, and another club sees none of it.
    expect((await data(adminB.as(ENDPOINTS))).webhookEndpoints).toEqual([]);

    // A real event of club A: the admin creates a member record.
    const { createMember } = await data(
      adminA.as(CREATE_MEMBER, {
        input: {
          clubId: clubA,
          memberNumber: 'A-2',
          firstName: 'Ben',
          lastName: 'Kingsley',
          email: 'a-2@example.org',
          membershipType: 'REGULAR',
        },
      }),
    );
    const letter = await until(async () => {
      const page = (await data(adminA.as(DEAD_LETTERS))).webhookDeadLetters;
      return page.nodes.find(
        (node: { body: string }) => JSON.parse(node.body).data.memberId === createMember.id,
      );
    });
    // Only this event's tries: Ada's member.created came before the endpoint, and was not sent.
    const tries = () => received.filter((attempt) => attempt.headers['webhook-id'] === letter.id);
    expect(tries()).toHaveLength(3);
    expect(received).toHaveLength(3);
    expect(letter).toMatchObject({
      clubId: clubA,
      endpointId: registered.endpoint.id,
      status: 'DEAD',
      attempts: 3,
      totalAttempts: 3,
      lastError: 'HTTP 500',
    });
    expect(
      letter.attemptLog.map((a: { attempt: number; statusCode: number }) => [a.attempt, a.statusCode]),
    ).toEqual([
      [1, 500],
      [2, 500],
      [3, 500],
    ]);
    const body = JSON.parse(letter.body);
    expect(body).toMatchObject({
      type: 'member.created',
      data: { memberId: createMember.id, clubId: clubA },
    });
    // Pages: one letter a page, the cursor leads past it.
    const first = (await data(adminA.as(DEAD_LETTERS, { first: 1 }))).webhookDeadLetters;
    expect(first.nodes.map((node: { id: string }) => node.id)).toEqual([letter.id]);
    expect(typeof first.endCursor).toBe('string');
    const next = (await data(adminA.as(DEAD_LETTERS, { first: 1, after: first.endCursor })))
      .webhookDeadLetters;
    expect(next).toEqual({ nodes: [], endCursor: null });
    // Club B's admin does not see club A's dead letters, nor retry them.
    expect((await data(adminB.as(DEAD_LETTERS))).webhookDeadLetters.nodes).toEqual([]);
    expect((await errorOf(adminB.as(RETRY, { id: letter.id }))).code).toBe('NOT_FOUND');
    // Every try carried the same id and a signature that verifies with the endpoint's secret.
    for (const attempt of tries()) {
      expect(attempt.headers['webhook-id']).toBe(letter.id);
      expect(
        verifyWebhook({
          headers: attempt.headers,
          body: attempt.body,
          secret: registered.secret,
          now: new Date(),
        }),
      ).toMatchObject({ ok: true, id: letter.id });
      expect(
        verifyWebhook({
          headers: attempt.headers,
          body: attempt.body,
          secret: adminB.userId,
          now: new Date(),
        }).ok,
      ).toBe(false);
    }

    answer = 204;
    const { retryWebhookDeadLetter: retried } = await data(adminA.as(RETRY, { id: letter.id }));
    expect(retried).toMatchObject({ id: letter.id, status: 'PENDING', attempts: 0 });
    await until(async () => (tries().length === 4 ? true : undefined));
    const again = tries()[3]!;
    expect(again.headers['webhook-id']).toBe(letter.id);
    expect(again.body).toBe(letter.body);
    expect(
      verifyWebhook({ headers: again.headers, body: again.body, secret: registered.secret, now: new Date() })
        .ok,
    ).toBe(true);
    await until(async () =>
      (await data(adminA.as(DEAD_LETTERS))).webhookDeadLetters.nodes.length === 0 ? true : undefined,
    );
    // A message no longer dead is not retried again.
    expect((await errorOf(adminA.as(RETRY, { id: letter.id }))).code).toBe('CONFLICT');
  }, 60_000);
});
