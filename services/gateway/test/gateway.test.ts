import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { createLogger } from '@clubland/log';
import { captureLogLines } from '@clubland/log/testing';
import { createRemoteTransport } from '@clubland/rpc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GatewayHarness, setupGateway } from './setup.ts';

const CREATE = `mutation($input: CreateClubInput!) { createClub(input: $input) { id name slug status createdAt } }`;
const GET = `query($id: ID!) { club(id: $id) { id name slug location status } }`;

describe('the gateway over the member and auth services', () => {
  let harness: GatewayHarness;

  beforeEach(async () => {
    harness = await setupGateway();
  });
  afterEach(async () => {
    await harness.close();
  });

  const post = (query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) =>
    harness.post(query, variables, headers);
  // Only a network administrator registers clubs.
  const create = (variables: Record<string, unknown>) => harness.asNetworkAdmin(CREATE, variables);

  it('creates a club and reads it back through GraphQL', async () => {
    const created = await create({ input: { name: 'Athenaeum', slug: 'athenaeum' } });
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data?.createClub).toMatchObject({
      name: 'Athenaeum',
      slug: 'athenaeum',
      status: 'ACTIVE',
    });
    const read = await post(GET, { id: created.body.data?.createClub.id });
    expect(read.body.data?.club).toMatchObject({ slug: 'athenaeum', location: null });
  });

  it('maps domain errors to the client codes, with the field', async () => {
    const bad = await create({ input: { name: 'X', slug: 'BAD SLUG' } });
    expect(bad.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'slug' });
    await create({ input: { name: 'Athenaeum', slug: 'athenaeum' } });
    const taken = await create({ input: { name: 'Other', slug: 'athenaeum' } });
    // Issue 9: a taken slug is BAD_USER_INPUT naming the field (was CONFLICT).
    expect(taken.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'slug' });
  });

  it('answers null for an unknown club, and BAD_USER_INPUT for a malformed id', async () => {
    const unknown = await post(GET, { id: '0190b7a6-0000-7000-8000-000000000000' });
    expect(unknown.body).toEqual({ data: { club: null } });
    const malformed = await post(GET, { id: 'nope' });
    expect(malformed.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });

  it('hides internals: an unexpected failure is INTERNAL_SERVER_ERROR with the correlation id only', async () => {
    await harness.db.asOwner((tx) => tx.query('ALTER TABLE member.clubs RENAME TO clubs_gone'));
    const { response, body } = await post(
      GET,
      { id: '0190b7a6-0000-7000-8000-000000000000' },
      {
        'x-request-id': 'req-test-123456',
      },
    );
    expect(response.headers['x-request-id']).toBe('req-test-123456');
    expect(body.errors?.[0]).toMatchObject({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId: 'req-test-123456' },
    });
    expect(JSON.stringify(body)).not.toMatch(/clubs_gone|does not exist|SELECT|\.ts:/i);
  });

  it("logs an unexpected failure once, under the request's correlation id", async () => {
    const { destination, lines } = captureLogLines();
    const logged = await setupGateway({ log: createLogger({ service: 'gateway', destination }) });
    try {
      await logged.db.asOwner((tx) => tx.query('ALTER TABLE member.clubs RENAME TO clubs_gone'));
      await logged.post(
        GET,
        { id: '0190b7a6-0000-7000-8000-000000000000' },
        { 'x-request-id': 'req-log-7654321' },
      );
    } finally {
      await logged.close();
    }
    const errors = lines.filter((line) => line.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      service: 'gateway',
      correlationId: 'req-log-7654321',
      msg: 'unexpected error in a resolver',
      // The member service logs the SQL failure itself; across RPC only 'internal' travels.
      err: { message: expect.stringContaining('internal') },
    });
  });

  it('answers a failing REST route with a 500 and the correlation id, and logs the cause once under it', async () => {
    const { destination, lines } = captureLogLines();
    const logged = await setupGateway({ log: createLogger({ service: 'gateway', destination }) });
    try {
      const url = await logged.app.listen({ host: '127.0.0.1', port: 0 });
      const healthy = await fetch(`${url}/.well-known/jwks.json`);
      expect(healthy.status).toBe(200);
      await logged.db.asOwner((tx) => tx.query('ALTER TABLE auth.signing_keys RENAME TO signing_keys_gone'));
      const failed = await fetch(`${url}/.well-known/jwks.json`, {
        headers: { 'x-request-id': 'req-rest-2468013' },
      });
      expect(failed.status).toBe(500);
      expect(failed.headers.get('x-request-id')).toBe('req-rest-2468013');
      const body = await failed.text();
      expect(JSON.parse(body)).toEqual({
        statusCode: 500,
        code: 'INTERNAL_SERVER_ERROR',
        error: 'Internal Server Error',
        message: 'Internal server error',
        correlationId: 'req-rest-2468013',
      });
      expect(body).not.toMatch(/signing_keys|does not exist|internal\]/i);
      // A client's mistake is answered plainly and is not an error line.
      const missing = await fetch(`${url}/nowhere`);
      expect(missing.status).toBe(404);
    } finally {
      await logged.close();
    }
    const requestLines = lines.filter((line) => line.correlationId !== undefined);
    expect(requestLines).toEqual([
      expect.objectContaining({
        level: 'error',
        service: 'gateway',
        correlationId: 'req-rest-2468013',
        msg: 'unexpected error in a REST route',
        err: expect.objectContaining({ message: expect.stringContaining('internal') }),
      }),
    ]);
  });

  it('answers a REST route whose service is unreachable with 503 SERVICE_UNAVAILABLE, not a 500', async () => {
    // A real gRPC transport to a port nobody listens on: the connection is refused.
    const closed = createServer().listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as AddressInfo;
    closed.close();
    const { destination, lines } = captureLogLines();
    const cut = await setupGateway({
      log: createLogger({ service: 'gateway', destination }),
      gatewayAuthTransport: createRemoteTransport(`http://127.0.0.1:${port}`),
    });
    try {
      const response = await cut.app.inject({
        url: '/.well-known/jwks.json',
        headers: { 'x-request-id': 'req-down-1357924' },
      });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({
        statusCode: 503,
        code: 'SERVICE_UNAVAILABLE',
        error: 'Service Unavailable',
        message: 'a service is unavailable',
        correlationId: 'req-down-1357924',
      });
      expect(response.body).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
      // /openapi.json documents the answer.
      const document = (await cut.app.inject('/openapi.json')).json() as {
        paths: Record<string, { get: { responses: Record<string, unknown> } }>;
      };
      expect(document.paths['/.well-known/jwks.json']?.get.responses['503']).toBeDefined();
    } finally {
      await cut.close();
    }
    // The outage is logged once, with its cause, under the request's correlation id.
    expect(lines.filter((line) => line.correlationId === 'req-down-1357924')).toEqual([
      expect.objectContaining({ level: 'error', msg: 'a REST route failed on a dependency' }),
    ]);
  });

  it('generates a correlation id when the caller sends none or an unusable one', async () => {
    const { response } = await post(GET, { id: 'x' }, { 'x-request-id': 'bad id with spaces' });
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('publishes the public signing keys at /.well-known/jwks.json, and only the public halves', async () => {
    const response = await harness.app.inject('/.well-known/jwks.json');
    expect(response.statusCode).toBe(200);
    const { keys } = response.json() as { keys: Record<string, unknown>[] };
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) });
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(secret);
    }
  });

  it('serves /health, /ready and /metrics with per-route request counts', async () => {
    expect((await harness.app.inject('/health')).statusCode).toBe(200);
    expect((await harness.app.inject('/ready')).statusCode).toBe(200);
    await post(GET, { id: 'x' });
    const metrics = await harness.app.inject('/metrics');
    expect(metrics.body).toMatch(/http_requests_total\{[^}]*route="\/graphql"/);
    harness.markShuttingDown();
    expect((await harness.app.inject('/ready')).statusCode).toBe(503);
  });
});
