import { loadSchemaSdl } from '@clubland/contract/graphql';
import type { ClubRegistryService } from '@clubland/contract/member/v1';
import { runWithLogContext } from '@clubland/log';
import { type Metrics, registerOpsRoutes } from '@clubland/telemetry';
import type { Client } from '@connectrpc/connect';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import mercurius from 'mercurius';
import { correlationIdOf } from './correlation.ts';
import { toClientError } from './errors.ts';
import { clubResolvers } from './resolvers/clubs.ts';

export interface GatewayOptions {
  log: FastifyBaseLogger;
  metrics: Metrics;
  /** Clients of the services behind the gateway; in-memory or remote, the gateway cannot tell. */
  clients: { clubRegistry: Client<typeof ClubRegistryService> };
  readinessChecks: Record<string, () => Promise<void>>;
  /** GraphiQL and introspection: on in development, off in production. */
  graphiql: boolean;
  bodyLimitBytes?: number;
}

export interface Gateway {
  app: FastifyInstance;
  /** Turns /ready to 503 so load balancers stop sending before the server closes. */
  markShuttingDown(): void;
}

/** The public door: GraphQL at /graphql plus /health, /ready and /metrics. */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const app = Fastify({
    loggerInstance: options.log,
    genReqId: correlationIdOf,
    bodyLimit: options.bodyLimitBytes ?? 1_048_576,
    // Per-request lines would double the log volume; metrics count requests instead.
    logController: new LogController({ requestIdLogLabel: 'correlationId', disableRequestLogging: true }),
    return503OnClosing: true,
  });

  // Everything a request causes (resolvers, RPC calls, their log lines) carries its correlation id.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    runWithLogContext({ correlationId: request.id }, done);
  });

  await app.register(helmet, {
    // GraphiQL loads its page from a CDN; keep the strict policy everywhere else.
    contentSecurityPolicy: options.graphiql ? false : undefined,
  });
  const ops = registerOpsRoutes(app, { metrics: options.metrics, readinessChecks: options.readinessChecks });

  await app.register(mercurius, {
    schema: loadSchemaSdl(),
    resolvers: clubResolvers(options.clients.clubRegistry),
    path: '/graphql',
    graphiql: options.graphiql,
    jit: 1,
    csrfPrevention: true,
    errorFormatter: (execution, context) => {
      const correlationId = String(context.reply.request.id);
      const errors = (execution.errors ?? []).map((error) => toClientError(error, correlationId, app.log));
      return { statusCode: 200, response: { data: execution.data ?? null, errors } };
    },
  });
  return { app, markShuttingDown: ops.markShuttingDown };
}
