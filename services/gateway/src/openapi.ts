import { catalogue } from '@clubland/errors';
import swagger from '@fastify/swagger';
import type { FastifyInstance, FastifySchema } from 'fastify';

/** What a REST route answers when it fails on our side (registerRestErrorHandler of packages/telemetry): the code and the
 *  correlation id to quote, no internals. */
function failure(entry: { http: number; graphql: string }, description: string) {
  return {
    description,
    type: 'object',
    properties: {
      statusCode: { type: 'integer', enum: [entry.http] },
      code: { type: 'string', enum: [entry.graphql] },
      error: { type: 'string' },
      message: { type: 'string' },
      correlationId: { type: 'string' },
    },
    required: ['statusCode', 'code', 'message', 'correlationId'],
  } as const;
}

const internalError = failure(catalogue.internal, 'an unexpected failure');
const unavailable = failure(
  catalogue['dependency.unavailable'],
  'a service behind the route is unavailable; retry later',
);

/** JSON Schemas of the REST routes, which packages/telemetry and jwks-route.ts register bare. */
const restSchemas: Record<string, FastifySchema> = {
  '/health': {
    summary: 'Liveness: the process is up, with the last known state of each dependency',
    tags: ['operations'],
    response: {
      200: {
        type: 'object',
        properties: {
          status: { type: 'string', enum: ['ok', 'degraded'] },
          dependencies: {
            type: 'object',
            additionalProperties: { type: 'string', enum: ['up', 'down', 'unknown'] },
          },
          errors: { type: 'object', additionalProperties: { type: 'string' } },
          checkedAt: { type: ['string', 'null'], format: 'date-time' },
        },
        required: ['status', 'dependencies', 'checkedAt'],
      },
    },
  },
  '/ready': {
    summary:
      'Readiness: what this instance cannot serve without answers, and it is not shutting down (NATS and Redis outages are in /health, not here)',
    tags: ['operations'],
    response: {
      200: {
        type: 'object',
        properties: {
          status: { type: 'string', enum: ['ready'] },
          checks: { type: 'object', additionalProperties: { type: 'string', enum: ['ok'] } },
        },
        required: ['status', 'checks'],
      },
      503: {
        description: 'not ready (a check failed or timed out) or shutting down',
        type: 'object',
        properties: {
          status: { type: 'string', enum: ['not_ready', 'shutting_down'] },
          checks: { type: 'object', additionalProperties: { type: 'string', enum: ['ok', 'failed'] } },
          errors: { type: 'object', additionalProperties: { type: 'string' } },
        },
        required: ['status'],
      },
    },
  },
  '/metrics': {
    summary: 'Prometheus metrics in the text exposition format',
    tags: ['operations'],
    response: {
      200: {
        description: 'Prometheus text exposition format',
        content: { 'text/plain': { schema: { type: 'string' } } },
      },
      500: internalError,
    },
  },
  '/.well-known/jwks.json': {
    summary: 'The public keys (JWK Set) that verify Clubland access tokens',
    tags: ['auth'],
    response: {
      200: {
        type: 'object',
        properties: {
          keys: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                kty: { type: 'string' },
                kid: { type: 'string' },
                alg: { type: 'string' },
                use: { type: 'string' },
                n: { type: 'string' },
                e: { type: 'string' },
              },
              required: ['kty', 'kid'],
            },
          },
        },
        required: ['keys'],
      },
      500: internalError,
      503: unavailable,
    },
  },
};

/**
 * `/openapi.json`: an OpenAPI 3 document of the REST routes (GraphQL has its own schema). Call it
 * before the REST routes are registered: @fastify/swagger learns routes as they are added, and the
 * hook here gives the bare ones their schemas on the way.
 */
export async function registerOpenApi(
  app: FastifyInstance,
  options: { version: string; graphqlPath: string },
): Promise<void> {
  app.addHook('onRoute', (route) => {
    const documented = restSchemas[route.url];
    if (documented) route.schema = { ...documented, ...route.schema };
    else if (route.url === options.graphqlPath || route.url.startsWith('/graphiql')) {
      route.schema = { ...route.schema, hide: true };
    }
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Clubland gateway REST routes',
        description: 'Operational and key-discovery routes. The API itself is GraphQL at /graphql.',
        version: options.version,
      },
    },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
