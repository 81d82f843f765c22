import type { Bus } from '@clubland/bus';
import type { AuthService } from '@clubland/contract/auth/v1';
import { loadSchemaSdl } from '@clubland/contract/graphql';
import type { ClubRegistryService } from '@clubland/contract/member/v1';
import type { ClubDirectoryService } from '@clubland/contract/member/v1/directory';
import type { MemberService } from '@clubland/contract/member/v1/members';
import { runWithLogContext } from '@clubland/log';
import { type Metrics, registerOpsRoutes } from '@clubland/telemetry';
import type { Client } from '@connectrpc/connect';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import mercurius from 'mercurius';
import { type CallerVerifier, callerFromRequest, createCaller, tokenFrom } from './caller.ts';
import { correlationIdOf } from './correlation.ts';
import { toClientError } from './errors.ts';
import { registerJwksRoute } from './jwks-route.ts';
import { authResolvers } from './resolvers/auth.ts';
import { clubResolvers } from './resolvers/clubs.ts';
import { directoryResolvers } from './resolvers/directory.ts';
import { memberResolvers } from './resolvers/members.ts';
import { scalarResolvers } from './resolvers/scalars.ts';
import { feedSubscriptionsFromBus, subscriptionResolvers } from './subscriptions.ts';

export interface GatewayOptions {
  log: FastifyBaseLogger;
  metrics: Metrics;
  /** Clients of the services behind the gateway; in-memory or remote, the gateway cannot tell. */
  clients: {
    clubRegistry: Client<typeof ClubRegistryService>;
    auth: Client<typeof AuthService>;
    members: Client<typeof MemberService>;
    directory: Client<typeof ClubDirectoryService>;
  };
  /** Domain events for GraphQL subscriptions; without it, subscriptions get no events. */
  events?: Bus;
  /** Turns a bearer token into the caller (local signature check, revocation list in the cache). */
  callerVerifier: CallerVerifier;
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

  registerJwksRoute(app, options.clients.auth);

  const clubs = clubResolvers(options.clients.clubRegistry);
  const auth = authResolvers(options.clients.auth);
  const members = memberResolvers(options.clients);
  const directory = directoryResolvers(options.clients);
  await app.register(mercurius, {
    schema: loadSchemaSdl(),
    resolvers: {
      ...scalarResolvers,
      Query: { ...clubs.Query, ...auth.Query, ...members.Query, ...directory.Query },
      Mutation: { ...clubs.Mutation, ...auth.Mutation, ...members.Mutation, ...directory.Mutation },
      Club: directory.Club,
      ...subscriptionResolvers,
    },
    context: (request) => ({ caller: callerFromRequest(options.callerVerifier, request) }),
    // WebSocket on /graphql, both `graphql-transport-ws` and the legacy `graphql-ws` subprotocol.
    // The caller comes from the connection-init payload's `authorization`; a token that does not
    // verify refuses the connection.
    subscription: {
      keepAlive: 15_000,
      onConnect: async ({ payload }: { payload?: { authorization?: unknown } }) => {
        const caller = createCaller(options.callerVerifier, tokenFrom(payload?.authorization), {
          ip: '',
          userAgent: '',
        });
        try {
          await caller.principal();
        } catch {
          return false;
        }
        return { caller };
      },
    },
    path: '/graphql',
    graphiql: options.graphiql,
    jit: 1,
    // A WebSocket upgrade is a GET the CSRF check would block; browsers cannot forge
    // `sec-websocket-key` on a simple request, so it passes like the preflight headers do.
    csrfPrevention: {
      requiredHeaders: ['x-mercurius-operation-name', 'mercurius-require-preflight', 'sec-websocket-key'],
    },
    errorFormatter: (execution, context) => {
      const correlationId = String(context.reply.request.id);
      const errors = (execution.errors ?? []).map((error) => toClientError(error, correlationId, app.log));
      return { statusCode: 200, response: { data: execution.data ?? null, errors } };
    },
  });
  if (options.events) feedSubscriptionsFromBus(app, options.events, options.clients.clubRegistry);
  return { app, markShuttingDown: ops.markShuttingDown };
}
export type { CallerVerifier } from './caller.ts';
export { withHankoCallers } from './hanko-callers.ts';
