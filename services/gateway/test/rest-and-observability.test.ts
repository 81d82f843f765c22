import { readdirSync, readFileSync } from 'node:fs';
import { loadSchemaSdl } from '@clubland/contract/graphql';
import { buildSchema, parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHarness, type GraphqlBody, setupGateway } from './setup.ts';

/** The REST surface's OpenAPI document, per-operation metrics, and errors refused before GraphQL ran. */
describe('REST routes, metrics and request errors', () => {
  let harness: GatewayHarness;

  beforeAll(async () => {
    harness = await setupGateway();
  });
  afterAll(async () => {
    await harness.close();
  });

  it('describes the REST routes at /openapi.json, with their response schemas, and not GraphQL', async () => {
    const response = await harness.app.inject('/openapi.json');
    expect(response.statusCode).toBe(200);
    const document = response.json() as {
      openapi: string;
      info: { title: string };
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual([
      '/.well-known/jwks.json',
      '/health',
      '/ledger/proofs/{txId}',
      '/metrics',
      '/notifications/unsubscribe',
      '/ready',
    ]);
    expect(document.paths['/health']?.get?.responses['200']).toMatchObject({
      content: {
        'application/json': {
          schema: {
            properties: { status: { enum: ['ok', 'degraded'] } },
            required: ['status', 'dependencies', 'checkedAt'],
          },
        },
      },
    });
    expect(Object.keys(document.paths['/ready']?.get?.responses ?? {})).toEqual(['200', '503']);
    expect(document.paths['/metrics']?.get?.responses['200']).toMatchObject({
      content: { 'text/plain': { schema: { type: 'string' } } },
    });
    expect(document.paths['/.well-known/jwks.json']?.get?.responses['200']).toMatchObject({
      content: { 'application/json': { schema: { required: ['keys'] } } },
    });
    // The failure answer a caller may meet, correlation id included.
    expect(document.paths['/.well-known/jwks.json']?.get?.responses['500']).toMatchObject({
      content: { 'application/json': { schema: { required: expect.arrayContaining(['correlationId']) } } },
    });
  });

  it('answers the REST routes in full through their schemas', async () => {
    expect((await harness.app.inject('/health')).json()).toEqual({
      status: 'ok',
      dependencies: { db: expect.stringMatching(/^(up|unknown)$/) },
      checkedAt: expect.toSatisfy((at: unknown) => at === null || typeof at === 'string'),
    });
    expect((await harness.app.inject('/ready')).json()).toEqual({ status: 'ready', checks: { db: 'ok' } });
    const jwks = (await harness.app.inject('/.well-known/jwks.json')).json() as { keys: { n: string }[] };
    expect(jwks.keys[0]?.n).toEqual(expect.any(String));
  });

  it('sends the API security headers on every response, GraphQL and REST alike', async () => {
    for (const response of [
      await harness.post('{ __typename }').then((r) => r.response),
      await harness.app.inject('/health'),
    ]) {
      expect(response.headers).toMatchObject({
        'content-security-policy': "default-src 'none';frame-ancestors 'none'",
        'strict-transport-security': 'max-age=31536000; includeSubDomains',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-resource-policy': 'same-origin',
      });
      // Headers that only steer how a browser treats an HTML document are not sent by an API.
      for (const pageOnly of [
        'x-powered-by',
        'x-dns-prefetch-control',
        'x-download-options',
        'x-xss-protection',
      ]) {
        expect(response.headers[pageOnly]).toBeUndefined();
      }
    }
  });

  it('counts and times each operation by name, type and outcome', async () => {
    await harness.post('query ClubById($id: ID!) { club(id: $id) { id } }', {
      id: '0190b7a6-0000-7000-8000-000000000000',
    });
    await harness.post('query ClubById($id: ID!) { club(id: $id) { id } }', { id: 'not-a-uuid' });
    await harness.post('query Broken { noSuchField }');
    await harness.post('mutation SignOut { logout }');
    const metrics = (await harness.app.inject('/metrics')).body;
    /** The sample of `name` carrying these labels (in any order), e.g. `outcome="ok"`. */
    const sample = (name: string, ...labels: string[]) =>
      metrics
        .split('\n')
        .find((line) => line.startsWith(`${name}{`) && labels.every((label) => line.includes(label)))
        ?.split(' ')
        .at(-1);
    const clubById = ['operation="ClubById"', 'type="query"'];
    expect(sample('graphql_operations_total', ...clubById, 'outcome="ok"')).toBe('1');
    expect(sample('graphql_operations_total', ...clubById, 'outcome="error"')).toBe('1');
    expect(sample('graphql_operations_total', 'operation="(unparsed)"', 'outcome="rejected"')).toBe('1');
    expect(
      sample('graphql_operations_total', 'operation="SignOut"', 'type="mutation"', 'outcome="error"'),
    ).toBe('1');
    expect(sample('graphql_operation_duration_seconds_count', ...clubById, 'outcome="ok"')).toBe('1');
    expect(
      Number(sample('graphql_operation_duration_seconds_sum', ...clubById, 'outcome="ok"')),
    ).toBeGreaterThan(0);
  });

  it('answers GraphQL validation failures as GRAPHQL_VALIDATION_FAILED, not as internal errors', async () => {
    const { body } = await harness.post('{ noSuchField }');
    expect(body.errors?.[0]).toMatchObject({
      message: 'Cannot query field "noSuchField" on type "Query".',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    const syntax = await harness.post('{ club(id: ');
    expect(syntax.body.errors?.[0]?.extensions).toEqual({ code: 'GRAPHQL_PARSE_FAILED' });
  });

  it('answers a malformed request with BAD_REQUEST and its HTTP status', async () => {
    const badJson = await harness.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json' },
      payload: '{"query": ',
    });
    expect(badJson.statusCode).toBe(400);
    expect((badJson.json() as GraphqlBody).errors?.[0]?.extensions).toEqual({ code: 'BAD_REQUEST' });

    // A GET without a preflight-forcing header: CSRF prevention refuses it.
    const simpleGet = await harness.app.inject({ method: 'GET', url: '/graphql?query={__typename}' });
    expect(simpleGet.statusCode).toBe(400);
    expect((simpleGet.json() as GraphqlBody).errors?.[0]?.extensions).toEqual({ code: 'BAD_REQUEST' });
  });
});

describe("the mobile client's operations under the default limits", () => {
  let harness: GatewayHarness;

  beforeAll(async () => {
    harness = await setupGateway({ gateway: { rateLimits: { anonymous: 0, perIp: 0 } } });
  });
  afterAll(async () => {
    await harness.close();
  });

  it('are none of them refused for depth, cost, aliases, directives or size', async () => {
    const folder = new URL('../../../contract/mobile-client/operations/', import.meta.url);
    const schema = buildSchema(loadSchemaSdl());
    const documents = readdirSync(folder, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.graphql'))
      .map((name) => ({ name, source: readFileSync(new URL(name, folder), 'utf8') }))
      // Operations of domains not built yet fail validation (mobile-contract.test.ts lists them).
      .filter(({ source }) => validate(schema, parse(source)).length === 0);
    expect(documents.length).toBeGreaterThan(20);
    const refused: string[] = [];
    for (const { name, source } of documents) {
      const { body } = await harness.post(source);
      for (const error of body.errors ?? []) {
        if (error.extensions?.limit || error.extensions?.code === 'GRAPHQL_PARSE_FAILED') {
          refused.push(`${name}: ${error.message}`);
        }
      }
    }
    expect(refused).toEqual([]);
  });
});
