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
const notFound = failure(catalogue['entity.not_found'], 'no such entry, or not yet on a block');
const unavailable = failure(
  catalogue['dependency.unavailable'],
  'a service behind the route is unavailable; retry later',
);

const hex = { type: 'string', pattern: '^[0-9a-f]+$' } as const;

/** A proof document (@clubland/ledger-verify ProofDocument), plus the payload for the entry's parties. */
const ledgerProof = {
  type: 'object',
  properties: {
    version: { type: 'integer', enum: [1] },
    entry: {
      description: 'What the club signed: the fact without its payload, which its hash stands for',
      type: 'object',
      properties: {
        txId: { type: 'string', format: 'uuid' },
        entityKind: { type: 'string' },
        entityId: { type: 'string' },
        fact: { type: 'string' },
        clubId: { type: 'string', format: 'uuid' },
        counterpartyClubId: { type: ['string', 'null'], format: 'uuid' },
        payloadHash: { ...hex, description: 'SHA-256 of the payload (canonical JSON, RFC 8785)' },
        at: { type: 'string', format: 'date-time' },
        keyId: { type: 'string' },
      },
      required: [
        'txId',
        'entityKind',
        'entityId',
        'fact',
        'clubId',
        'counterpartyClubId',
        'payloadHash',
        'at',
        'keyId',
      ],
    },
    signature: { type: 'string', description: "base64 Ed25519 signature of the entry by its club's key" },
    publicKey: { type: 'string', description: "the club's public key, base64 SPKI DER" },
    block: {
      type: 'object',
      properties: {
        number: { type: 'integer' },
        previousHash: hex,
        merkleRoot: { ...hex, description: 'RFC 6962 Merkle root of the block entries' },
        entryCount: { type: 'integer' },
        sealedAt: { type: 'string', format: 'date-time' },
        hash: hex,
      },
      required: ['number', 'previousHash', 'merkleRoot', 'entryCount', 'sealedAt', 'hash'],
    },
    leafIndex: { type: 'integer' },
    auditPath: { type: 'array', items: hex, description: 'RFC 6962 audit path, from the leaf sibling up' },
    payload: {
      type: 'string',
      description: "the fact's canonical JSON: only for staff of the entry's two clubs and network admins",
    },
  },
  required: ['version', 'entry', 'signature', 'publicKey', 'block', 'leafIndex', 'auditPath'],
} as const;

/** JSON Schemas of the REST routes, which packages/telemetry, jwks-route.ts and ledger-proof-route.ts register bare. */
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
  '/ledger/proofs/:txId': {
    summary:
      "A ledger entry's inclusion proof, for anyone: check it with @clubland/ledger-verify's verifyLedgerProof (the payload only for the entry's parties)",
    tags: ['ledger'],
    params: {
      type: 'object',
      properties: { txId: { type: 'string', description: 'the entry (transaction) id' } },
      required: ['txId'],
    },
    response: {
      200: ledgerProof,
      404: notFound,
      500: internalError,
      503: unavailable,
    },
  },
  '/notifications/unsubscribe': {
    summary:
      "An email's unsubscribe link, without signing in: GET shows what the signed token stops and a button; POST (the button, or RFC 8058 one-click with the body List-Unsubscribe=One-Click) applies it",
    tags: ['notifications'],
    querystring: {
      type: 'object',
      properties: { token: { type: 'string', description: 'the signed unsubscribe token from the email' } },
    },
    response: {
      200: { description: 'an HTML page: the confirmation (GET) or the result (POST)', type: 'string' },
      400: {
        description: 'an HTML page: the link is not valid (tampered or expired); nothing changed',
        type: 'string',
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
        description:
          'Operational, key-discovery and ledger-proof routes. The API itself is GraphQL at /graphql.',
        version: options.version,
      },
    },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
