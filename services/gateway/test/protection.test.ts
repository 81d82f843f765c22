import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHarness, type GraphqlBody, setupGateway } from './setup.ts';

/**
 * The gateway's limits, each met by a real request over Fastify's inject: the refused request gets
 * its error, and a well-behaved client sent right after is served. Small limits keep it fast.
 */
const FINE = '{ clubs(pagination: { pageSize: 2 }) { nodes { name } } }';

let addresses = 0;
/** A fresh client address per test, so one test's traffic never counts against another's. */
const nextAddress = () => `10.1.0.${++addresses}`;

describe('limits on what one request may ask', () => {
  let harness: GatewayHarness;

  beforeAll(async () => {
    harness = await setupGateway({
      gateway: {
        limits: {
          maxDepth: 4,
          maxCost: 500,
          maxAliases: 5,
          maxDirectives: 3,
          maxTokens: 400,
          bodyLimitBytes: 16_384,
          requestTimeoutMs: 5_000,
          connectionTimeoutMs: 60_000,
        },
      },
    });
  });
  afterAll(async () => {
    await harness.close();
  });

  async function send(query: string, from = nextAddress()) {
    const response = await harness.app.inject({
      method: 'POST',
      url: '/graphql',
      remoteAddress: from,
      headers: { 'content-type': 'application/json' },
      payload: { query },
    });
    return { status: response.statusCode, body: response.json() as GraphqlBody, headers: response.headers };
  }

  async function expectOthersServed() {
    const served = await send(FINE);
    expect(served.status).toBe(200);
    expect(served.body.errors).toBeUndefined();
    expect(served.body.data?.clubs.nodes).toEqual([]);
  }

  it('refuses a query nested deeper than the depth limit', async () => {
    const deep = await send('{ members { nodes { club { userRelation { favorited } } } } }');
    expect(deep.body.data).toBeNull();
    expect(deep.body.errors?.[0]).toMatchObject({
      message: expect.stringContaining('exceeds the query depth limit of 4'),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth' },
    });
    await expectOthersServed();
  });

  it('refuses a query whose lists multiply past the cost limit, and serves the same query on a small page', async () => {
    const fields = 'nodes { id name slug location website status }';
    const costly = await send(`{ clubs(pagination: { pageSize: 100 }) { ${fields} } }`);
    // 1 (clubs) + 1 (nodes) + 100 pages x 6 fields
    expect(costly.body.errors?.[0]).toMatchObject({
      message: 'query cost 602 exceeds the limit of 500',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost', max: 500, actual: 602 },
    });
    const cheap = await send(`{ clubs(pagination: { pageSize: 10 }) { ${fields} } }`);
    expect(cheap.body.errors).toBeUndefined();
    await expectOthersServed();
  });

  it('counts a list whose size comes from a variable as 20 items', async () => {
    const response = await harness.app.inject({
      method: 'POST',
      url: '/graphql',
      remoteAddress: nextAddress(),
      payload: {
        query: `query($p: PaginationInput) { clubs(pagination: $p) { nodes { ${'id name slug location website status operatingHours { day opens closes }'} } } }`,
        variables: { p: { pageSize: 1 } },
      },
    });
    // 1 + 1 + 20 x (6 + 1 + 20 x 3): the nested list of opening hours counts 20 as well.
    expect((response.json() as GraphqlBody).errors?.[0]?.extensions).toMatchObject({
      limit: 'cost',
      actual: 1 + 1 + 20 * (7 + 20 * 3),
    });
  });

  it('refuses too many aliases, too many directives and too many tokens', async () => {
    const aliases = await send(
      `{ ${['a', 'b', 'c', 'd', 'e', 'f'].map((a) => `${a}: __typename`).join(' ')} }`,
    );
    expect(aliases.body.errors?.[0]?.extensions).toMatchObject({ limit: 'aliases', max: 5, actual: 6 });

    const directives = await send(`{ ${'__typename @include(if: true) '.repeat(4)} }`);
    expect(directives.body.errors?.[0]?.extensions).toMatchObject({ limit: 'directives', max: 3, actual: 4 });

    const tokens = await send(`{ ${'__typename '.repeat(500)} }`);
    expect(tokens.body.errors?.[0]?.extensions).toEqual({ code: 'GRAPHQL_PARSE_FAILED', limit: 'tokens' });
    await expectOthersServed();
  });

  it('refuses a body over the size limit with 413 PAYLOAD_TOO_LARGE, reading no more of it', async () => {
    const oversized = await harness.app.inject({
      method: 'POST',
      url: '/graphql',
      remoteAddress: nextAddress(),
      headers: { 'content-type': 'application/json' },
      payload: { query: FINE, variables: { padding: 'x'.repeat(20_000) } },
    });
    expect(oversized.statusCode).toBe(413);
    expect(oversized.json()).toMatchObject({
      data: null,
      errors: [{ message: 'Request body is too large', extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
    });
    await expectOthersServed();
  });

  it('sets the request and connection timeouts from its options', () => {
    expect(harness.app.initialConfig).toMatchObject({
      requestTimeout: 5_000,
      connectionTimeout: 60_000,
      bodyLimit: 16_384,
    });
  });
});

describe('rate limits by address and by user, with tiers by role', () => {
  let harness: GatewayHarness;

  beforeAll(async () => {
    harness = await setupGateway({
      gateway: { rateLimits: { windowSeconds: 60, anonymous: 5, member: 8, staff: 100, perIp: 30 } },
    });
  });
  afterAll(async () => {
    await harness.close();
  });

  async function send(from: string, token?: string) {
    const response = await harness.app.inject({
      method: 'POST',
      url: '/graphql',
      remoteAddress: from,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      payload: { query: '{ __typename }' },
    });
    return { status: response.statusCode, body: response.json() as GraphqlBody, headers: response.headers };
  }

  it('answers a flood from one address with 429 RATE_LIMITED and Retry-After, and keeps serving others', async () => {
    const flooder = nextAddress();
    const bystander = nextAddress();
    for (let i = 0; i < 5; i++) expect((await send(flooder)).status).toBe(200);
    const refused = await send(flooder);
    expect(refused.status).toBe(429);
    expect(refused.body.data).toBeNull();
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    const retryAfter = refused.body.errors?.[0]?.extensions?.retryAfter as number;
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers['retry-after']).toBe(String(retryAfter));

    const served = await send(bystander);
    expect(served.status).toBe(200);
    expect(served.body).toEqual({ data: { __typename: 'Query' } });
  });

  it('counts a signed-in member per user, wherever they call from, above the anonymous allowance', async () => {
    const token = await registerMember(harness, 'limited@example.org');
    for (let i = 0; i < 8; i++) expect((await send(nextAddress(), token)).status).toBe(200);
    const refused = await send(nextAddress(), token);
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });

  it('gives staff and administrators the larger allowance', async () => {
    const admin = await harness.networkAdminToken();
    const from = nextAddress();
    for (let i = 0; i < 12; i++) expect((await send(from, admin)).status).toBe(200);
  });

  it('caps every request from one address, signed in or not', async () => {
    const from = nextAddress();
    const admin = await harness.networkAdminToken();
    let served = 0;
    for (let i = 0; i < 35; i++) if ((await send(from, admin)).status === 200) served += 1;
    expect(served).toBe(30);
  });

  it('does not count /health, /ready or /metrics', async () => {
    const from = nextAddress();
    for (let i = 0; i < 10; i++) {
      expect((await harness.app.inject({ url: '/health', remoteAddress: from })).statusCode).toBe(200);
    }
    expect((await send(from)).status).toBe(200);
  });
});

describe('persisted queries, introspection, GraphiQL and CORS', () => {
  let closed: GatewayHarness;
  let open: GatewayHarness;

  beforeAll(async () => {
    closed = await setupGateway({ gateway: { graphiql: false, introspection: false } });
    open = await setupGateway({
      gateway: { graphiql: true, introspection: true, corsOrigins: ['https://app.example.org'] },
    });
  });
  afterAll(async () => {
    await closed.close();
    await open.close();
  });

  function sendExtensions(harness: GatewayHarness, payload: Record<string, unknown>) {
    return harness.app.inject({ method: 'POST', url: '/graphql', remoteAddress: nextAddress(), payload });
  }

  it('answers a known hash without the query text (automatic persisted queries)', async () => {
    const query = 'query Hello { __typename }';
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const persistedQuery = { version: 1, sha256Hash };

    const unknown = await sendExtensions(closed, { extensions: { persistedQuery } });
    expect(unknown.json()).toMatchObject({
      data: null,
      errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }],
    });

    const registered = await sendExtensions(closed, { query, extensions: { persistedQuery } });
    expect(registered.json()).toEqual({ data: { __typename: 'Query' } });
    // Kept in the cache, so every gateway instance on the same Redis knows it.
    expect(await closed.cache.get(`apq:${sha256Hash}`)).toBe(query);

    const byHash = await sendExtensions(closed, { extensions: { persistedQuery } });
    expect(byHash.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('refuses a query sent under a hash that is not its own, and saves nothing', async () => {
    const wrong = createHash('sha256').update('something else').digest('hex');
    const response = await sendExtensions(closed, {
      query: '{ __typename }',
      extensions: { persistedQuery: { version: 1, sha256Hash: wrong } },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    expect(await closed.cache.get(`apq:${wrong}`)).toBeNull();
  });

  it('refuses introspection when it is off, and answers it when on', async () => {
    const query = '{ __schema { queryType { name } } }';
    const refused = await sendExtensions(closed, { query });
    const { errors } = refused.json() as GraphqlBody;
    expect(errors?.[0]).toMatchObject({
      message: expect.stringContaining('introspection has been disabled'),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    const answered = await sendExtensions(open, { query });
    expect(answered.json()).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it('serves the GraphiQL page only when it is on, its assets from the gateway under a CSP of self', async () => {
    const page = await open.app.inject('/graphiql');
    expect(page.statusCode).toBe(200);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const policy = String(page.headers['content-security-policy']);
    expect(policy).toContain("default-src 'self'");
    // Nothing but the gateway itself (and inline data for fonts and images) anywhere in the policy.
    for (const directive of policy.split(';')) {
      expect(directive.trim().split(/\s+/).slice(1)).toSatisfy((sources: string[]) =>
        sources.every((source) => ["'self'", "'none'", 'data:'].includes(source)),
      );
    }
    const assets = [...page.body.matchAll(/(?:src|href)="(\/graphiql\/[^"]+)"/g)].map(
      (match) => match[1] ?? '',
    );
    expect(assets.length).toBe(6);
    for (const asset of assets) {
      const served = await open.app.inject(asset);
      expect(served.statusCode).toBe(200);
      expect(served.headers['content-type']).toMatch(/^text\/(javascript|css); charset=utf-8$/);
    }
    expect((await open.app.inject('/graphiql/nothing-here.js')).statusCode).toBe(404);
    expect((await closed.app.inject('/graphiql')).statusCode).toBe(404);
    expect((await closed.app.inject(assets[0] ?? '')).statusCode).toBe(404);
  });

  it('keeps the API itself under a policy that allows nothing, GraphiQL on or off', async () => {
    for (const harness of [open, closed]) {
      const response = await sendExtensions(harness, { query: '{ __typename }' });
      expect(response.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
    }
  });

  it('lets only the configured browser origins call (CORS)', async () => {
    const preflight = (harness: GatewayHarness, origin: string) =>
      harness.app.inject({
        method: 'OPTIONS',
        url: '/graphql',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,authorization',
        },
      });
    const allowed = await preflight(open, 'https://app.example.org');
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.org');
    expect(String(allowed.headers['access-control-allow-headers'])).toContain('authorization');

    const stranger = await preflight(open, 'https://evil.example.com');
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined();
    const unconfigured = await preflight(closed, 'https://app.example.org');
    expect(unconfigured.headers['access-control-allow-origin']).toBeUndefined();
  });
});

/** A member of a new club, signed in: the club registered by the network administrator. */
async function registerMember(harness: GatewayHarness, email: string): Promise<string> {
  const club = await harness.asNetworkAdmin(
    'mutation($input: CreateClubInput!) { createClub(input: $input) { id } }',
    { input: { name: 'Limits Club', slug: `limits-${Date.now()}` } },
  );
  const registered = await harness.post(
    'mutation($input: RegisterInput!) { register(input: $input) { token } }',
    {
      input: {
        email,
        password: 'correct horse battery staple',
        clubId: club.body.data?.createClub.id,
        firstName: 'Rate',
        lastName: 'Limited',
      },
    },
  );
  const token = registered.body.data?.register.token;
  if (typeof token !== 'string') throw new Error(`register failed: ${JSON.stringify(registered.body)}`);
  return token;
}
