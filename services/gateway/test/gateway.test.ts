import { ClubRegistryService } from '@clubland/contract/member/v1';
import { createInMemoryTransport, createRpcClient } from '@clubland/rpc';
import { createMetrics } from '@clubland/telemetry';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type MemberServiceHarness, setupMemberService } from '../../member/test/setup.ts';
import { createGateway } from '../src/index.ts';

const CREATE = `mutation($input: CreateClubInput!) { createClub(input: $input) { id name slug status createdAt } }`;
const GET = `query($id: ID!) { club(id: $id) { id name slug location status } }`;

interface GraphqlBody {
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary response shapes
  data?: Record<string, any>;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

describe('the gateway over the member service', () => {
  let member: MemberServiceHarness;
  let gateway: FastifyInstance;
  let markShuttingDown: () => void;

  beforeEach(async () => {
    member = await setupMemberService();
    const log = pino({ level: 'silent' });
    ({ app: gateway, markShuttingDown } = await createGateway({
      log,
      metrics: createMetrics({ service: 'gateway-test' }),
      clients: {
        clubRegistry: createRpcClient(
          ClubRegistryService,
          createInMemoryTransport(member.service.register, log),
        ),
      },
      readinessChecks: { db: () => member.db.ping() },
      graphiql: false,
    }));
  });
  afterEach(async () => {
    await gateway.close();
    await member.close();
  });

  async function post(
    query: string,
    variables: Record<string, unknown>,
    headers: Record<string, string> = {},
  ) {
    const response = await gateway.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', ...headers },
      payload: { query, variables },
    });
    return { response, body: response.json() as GraphqlBody };
  }

  it('creates a club and reads it back through GraphQL', async () => {
    const created = await post(CREATE, { input: { name: 'Athenaeum', slug: 'athenaeum' } });
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
    const bad = await post(CREATE, { input: { name: 'X', slug: 'BAD SLUG' } });
    expect(bad.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'slug' });
    await post(CREATE, { input: { name: 'Athenaeum', slug: 'athenaeum' } });
    const taken = await post(CREATE, { input: { name: 'Other', slug: 'athenaeum' } });
    expect(taken.body.errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', field: 'slug' });
  });

  it('answers null for an unknown club, and BAD_USER_INPUT for a malformed id', async () => {
    const unknown = await post(GET, { id: '0190b7a6-0000-7000-8000-000000000000' });
    expect(unknown.body).toEqual({ data: { club: null } });
    const malformed = await post(GET, { id: 'nope' });
    expect(malformed.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });

  it('hides internals: an unexpected failure is INTERNAL_SERVER_ERROR with the correlation id only', async () => {
    await member.db.asOwner((tx) => tx.query('ALTER TABLE member.clubs RENAME TO clubs_gone'));
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

  it('generates a correlation id when the caller sends none or an unusable one', async () => {
    const { response } = await post(GET, { id: 'x' }, { 'x-request-id': 'bad id with spaces' });
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves /health, /ready and /metrics with per-route request counts', async () => {
    expect((await gateway.inject('/health')).statusCode).toBe(200);
    expect((await gateway.inject('/ready')).statusCode).toBe(200);
    await post(GET, { id: 'x' });
    const metrics = await gateway.inject('/metrics');
    expect(metrics.body).toMatch(/http_requests_total\{[^}]*route="\/graphql"/);
    markShuttingDown();
    expect((await gateway.inject('/ready')).statusCode).toBe(503);
  });
});
