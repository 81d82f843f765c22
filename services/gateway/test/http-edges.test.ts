import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHarness, type GraphqlBody, setupGateway } from './setup.ts';

/**
 * The gateway's HTTP edges (issue 27, item 9): what a request that is not GraphQL's business gets
 * back, over real sockets where timing matters.
 */
describe('the HTTP edges of the gateway', () => {
  let harness: GatewayHarness;
  let port: number;
  const REQUEST_TIMEOUT_MS = 1_000;

  beforeAll(async () => {
    harness = await setupGateway({ gateway: { limits: { requestTimeoutMs: REQUEST_TIMEOUT_MS } } });
    await harness.app.listen({ host: '127.0.0.1', port: 0 });
    port = (harness.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await harness.close();
  });

  it('answers a mutation sent by GET with 405 and Allow: POST, and runs nothing', async () => {
    const slug = `by-get-${Date.now()}`;
    const query = `mutation { createClub(input: { name: "By GET", slug: "${slug}" }) { id } }`;
    const response = await harness.app.inject({
      method: 'GET',
      url: `/graphql?query=${encodeURIComponent(query)}`,
      headers: {
        // The CSRF preflight header: without it the GET is refused earlier, as a simple request.
        'mercurius-require-preflight': 'true',
        authorization: `Bearer ${await harness.networkAdminToken()}`,
      },
    });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('POST');
    expect(response.json()).toMatchObject({
      data: null,
      errors: [{ extensions: { code: 'METHOD_NOT_ALLOWED' } }],
    });
    await expect(harness.clubRegistry.getClubBySlug({ slug })).rejects.toMatchObject({
      code: 'entity.not_found',
    });
    // A query by GET is still served.
    const read = await harness.app.inject({
      method: 'GET',
      url: `/graphql?query=${encodeURIComponent('{ __typename }')}`,
      headers: { 'mercurius-require-preflight': 'true' },
    });
    expect(read.statusCode).toBe(200);
    expect(read.json() as GraphqlBody).toEqual({ data: { __typename: 'Query' } });
  });

  it('cuts a body that trickles in once the request timeout has passed, not tens of seconds later', async () => {
    const socket = new Socket();
    socket.connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const startedAt = Date.now();
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk;
    });
    // Not events.once: it rejects on the socket's 'error', and a reset after the 408 is an expected end.
    const closed = new Promise<number>((resolve) =>
      socket.on('close', () => resolve(Date.now() - startedAt)),
    );
    socket.on('error', () => undefined);
    const body = JSON.stringify({ query: '{ __typename }' }).padEnd(4_000, ' ');
    socket.write(
      `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`,
    );
    // One byte every 100 ms: the socket is never idle, so only the request timeout can end it.
    let sent = 0;
    const trickle = setInterval(() => {
      if (socket.destroyed || sent >= body.length) return;
      socket.write(body[sent++] ?? ' ');
    }, 100);
    try {
      const closedAfterMs = await Promise.race([
        closed,
        new Promise<number>((resolve) => setTimeout(() => resolve(Number.POSITIVE_INFINITY), 10_000)),
      ]);
      expect(closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
      expect(closedAfterMs).toBeLessThan(2_000);
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      clearInterval(trickle);
      socket.destroy();
    }
    // The gateway goes on serving.
    const served = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await served.json()).toEqual({ data: { __typename: 'Query' } });
  });
});
