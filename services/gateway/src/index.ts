import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Bus } from '@clubland/bus';
import type { Cache } from '@clubland/cache';
import type { AnalyticsService } from '@clubland/contract/analytics/v1';
import type { AuthService } from '@clubland/contract/auth/v1';
import type { BookingService } from '@clubland/contract/club/v1/bookings';
import type { ClubEventService } from '@clubland/contract/club/v1/events';
import type { FacilityService } from '@clubland/contract/club/v1/facilities';
import type { GovernanceService } from '@clubland/contract/governance/v1';
import type { PolicyService } from '@clubland/contract/governance/v1/policies';
import { loadSchemaSdl } from '@clubland/contract/graphql';
import type { LedgerService } from '@clubland/contract/ledger/v1';
import type { ClubRegistryService } from '@clubland/contract/member/v1';
import type { ClubDirectoryService } from '@clubland/contract/member/v1/directory';
import type { MemberService } from '@clubland/contract/member/v1/members';
import type { NotificationService } from '@clubland/contract/notification/v1';
import type { WebhookService } from '@clubland/contract/notification/v1/webhooks';
import type { AgreementService } from '@clubland/contract/reciprocal/v1/agreements';
import type { LetterService } from '@clubland/contract/reciprocal/v1/letters';
import type { SettlementService } from '@clubland/contract/reciprocal/v1/settlement';
import type { VisitService } from '@clubland/contract/reciprocal/v1/visits';
import { ClubError } from '@clubland/errors';
import { runWithLogContext } from '@clubland/log';
import {
  ErrorsOnlyLogController,
  type Metrics,
  RequestLogController,
  registerOpsRoutes,
  registerRestErrorHandler,
} from '@clubland/telemetry';
import type { Client } from '@connectrpc/connect';
import cors from '@fastify/cors';
import websocket from '@fastify/websocket';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { GraphQLResolveInfo, validate } from 'graphql';
import mercurius from 'mercurius';
import { registerAccountPages } from './account-pages.ts';
import {
  type Caller,
  type CallerVerifier,
  callerFromRequest,
  createConnectionCaller,
  tokenFrom,
} from './caller.ts';
import { createClubCache } from './club-cache.ts';
import { correlationIdOf } from './correlation.ts';
import { toClientErrors } from './errors.ts';
import { registerGraphiql } from './graphiql.ts';
import { registerJwksRoute } from './jwks-route.ts';
import { terminateSilentPeers } from './keep-alive.ts';
import { DEVICE_HEADER } from './known-device.ts';
import { registerLedgerProofRoute } from './ledger-proof-route.ts';
import { createLocalEmitter } from './local-emitter.ts';
import { registerNotFoundHandler } from './not-found.ts';
import { registerNotificationUnsubscribeRoute } from './notification-unsubscribe-route.ts';
import { registerOpenApi } from './openapi.ts';
import { registerOperationMetrics } from './operation-metrics.ts';
import { automaticPersistedQueries } from './persisted-queries.ts';
import { defaultQueryLimits, type QueryLimits, queryLimitRules } from './query-limits.ts';
import { createGatewayRateLimits, defaultRateLimitTiers, type RateLimitTiers } from './rate-limits.ts';
import { createRequestLoaders } from './request-loaders.ts';
import { checkRequestShape, csrfRefusalHint } from './request-shape.ts';
import type { ResolverContext } from './resolver-context.ts';
import { agreementResolvers } from './resolvers/agreements.ts';
import { analyticsResolvers } from './resolvers/analytics.ts';
import { auditLogResolvers } from './resolvers/audit-log.ts';
import { authResolvers } from './resolvers/auth.ts';
import { BOOKING_FACILITY_FIELDS, bookingResolvers } from './resolvers/bookings.ts';
import { clubEventResolvers } from './resolvers/club-events.ts';
import { clubResolvers } from './resolvers/clubs.ts';
import { dataExportResolvers } from './resolvers/data-export.ts';
import { directoryResolvers } from './resolvers/directory.ts';
import { facilityResolvers, loadFacility } from './resolvers/facilities.ts';
import { governanceResolvers } from './resolvers/governance.ts';
import { ledgerResolvers } from './resolvers/ledger.ts';
import { letterResolvers } from './resolvers/letters.ts';
import { memberClubResolvers } from './resolvers/member-club.ts';
import { memberResolvers } from './resolvers/members.ts';
import { notificationResolvers } from './resolvers/notifications.ts';
import { onboardingResolvers } from './resolvers/onboarding.ts';
import { policyResolvers } from './resolvers/policies.ts';
import { scalarResolvers } from './resolvers/scalars.ts';
import { settlementResolvers } from './resolvers/settlement.ts';
import { visitResolvers } from './resolvers/visits.ts';
import { webhookResolvers } from './resolvers/webhooks.ts';
import { apiSecurityHeaderOptions, registerSecurityHeaders } from './security-headers.ts';
import { asksOnly } from './selection.ts';
import { type AccessChanges, guardSockets } from './socket-guard.ts';
import { validateSubscriptions } from './subscription-validation.ts';
import { feedSubscriptionsFromBus, subscriptionResolvers } from './subscriptions.ts';

const GRAPHQL_PATH = '/graphql';
const GRAPHIQL_PATH = '/graphiql';
const CALLER = Symbol('clubland.caller');
const version = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

/** Sizes and times the gateway enforces; every one comes from configuration (packages/config). */
export interface GatewayLimits extends QueryLimits {
  bodyLimitBytes: number;
  /** Time to receive a whole request (slow senders); 0 = none. */
  requestTimeoutMs: number;
  /** Idle socket timeout; 0 = none. WebSockets stay busy with keep-alives. */
  connectionTimeoutMs: number;
  /** GraphQL keep-alive messages, the dead-peer check on WebSockets and the recheck of their tokens. */
  keepAliveMs: number;
  /** A WebSocket that has not sent `connection_init` by then is closed (4408). */
  wsInitTimeoutMs: number;
  /** Open WebSockets per account on one instance; the next is closed (4429). */
  wsMaxPerUser: number;
  /** Open WebSockets per client address on one instance; the next upgrade is refused (429). */
  wsMaxPerIp: number;
  /** How long a club's registry entry is reused across requests (forgotten at once on its events); 0 = off. */
  clubCacheTtlMs: number;
}

export const defaultGatewayLimits: GatewayLimits = {
  ...defaultQueryLimits,
  bodyLimitBytes: 1_048_576,
  requestTimeoutMs: 30_000,
  connectionTimeoutMs: 120_000,
  keepAliveMs: 15_000,
  wsInitTimeoutMs: 5_000,
  wsMaxPerUser: 20,
  wsMaxPerIp: 500,
  clubCacheTtlMs: 30_000,
};

export interface GatewayOptions {
  log: FastifyBaseLogger;
  metrics: Metrics;
  /** Clients of the services behind the gateway; in-memory or remote, the gateway cannot tell. */
  clients: {
    clubRegistry: Client<typeof ClubRegistryService>;
    auth: Client<typeof AuthService>;
    members: Client<typeof MemberService>;
    directory: Client<typeof ClubDirectoryService>;
    agreements: Client<typeof AgreementService>;
    letters: Client<typeof LetterService>;
    visits: Client<typeof VisitService>;
    settlement: Client<typeof SettlementService>;
    facilities: Client<typeof FacilityService>;
    bookings: Client<typeof BookingService>;
    clubEvents: Client<typeof ClubEventService>;
    analytics: Client<typeof AnalyticsService>;
    ledger: Client<typeof LedgerService>;
    notifications: Client<typeof NotificationService>;
    /** The notification service's webhooks (usually the same address as `notifications`). */
    webhooks: Client<typeof WebhookService>;
    governance: Client<typeof GovernanceService>;
    /** The governance service's policies (usually the same address as `governance`). */
    policies: Client<typeof PolicyService>;
  };
  /** Domain events for GraphQL subscriptions; without it, subscriptions get no events. */
  events?: Bus;
  /** Rate-limit counters and persisted queries (Redis when configured: shared by every instance). */
  cache: Cache;
  /** Turns a bearer token into the caller (local signature check, revocation list in the cache). */
  callerVerifier: CallerVerifier;
  /**
   * The auth service's announcements of revoked sessions and changed accounts (the verifier's
   * watch): WebSockets opened under them are closed at once. Without it, at the next recheck.
   */
  accessChanges?: AccessChanges;
  /** What `/ready` waits on: dependencies this instance cannot serve without. */
  readinessChecks: Record<string, () => Promise<void>>;
  /** Dependencies whose outage the instance rides out: in `/health` and its metric, not `/ready`. */
  degradableChecks?: Record<string, () => Promise<void>>;
  /** The GraphiQL page: on in development, off in production. */
  graphiql: boolean;
  /** Schema introspection, and "Did you mean …" in error messages; follows `graphiql` unless set. */
  introspection?: boolean;
  /** Browser origins allowed to call the API (CORS). None: no cross-origin browser calls. */
  corsOrigins?: readonly string[];
  limits?: Partial<GatewayLimits>;
  rateLimits?: Partial<RateLimitTiers>;
  /** Proxies in front whose X-Forwarded-For is believed for the client address (per-IP limits). */
  trustProxyHops?: number;
  /** One `info` line per request (method, path, status, time, correlation id): LOG_REQUESTS. */
  logRequests?: boolean;
}

export interface Gateway {
  app: FastifyInstance;
  /** Turns /ready to 503 so load balancers stop sending before the server closes. */
  markShuttingDown(): void;
  /** Subscription listeners in this instance (on one topic, or all): zero once every socket is gone. */
  subscriptionListenerCount(topic?: string): number;
}

/** The public door: GraphQL at /graphql (HTTP and WebSocket), plus the REST routes. */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const limits = { ...defaultGatewayLimits, ...options.limits };
  const introspection = options.introspection ?? options.graphiql;
  const app = Fastify({
    loggerInstance: options.log,
    genReqId: correlationIdOf,
    bodyLimit: limits.bodyLimitBytes,
    requestTimeout: limits.requestTimeoutMs,
    http: requestTimeoutChecks(limits.requestTimeoutMs),
    connectionTimeout: limits.connectionTimeoutMs,
    trustProxy: trustHops(options.trustProxyHops ?? 0),
    // One line per request when asked (LOG_REQUESTS); failures are logged either way.
    logController: options.logRequests ? new RequestLogController() : new ErrorsOnlyLogController(),
    // No child logger per request: our logger adds the correlation id from the log context (set
    // by the first hook below) to every line, request.log's included.
    childLoggerFactory: (logger) => logger,
    return503OnClosing: true,
  });

  // Everything a request causes (resolvers, RPC calls, their log lines) carries its correlation id.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    runWithLogContext({ correlationId: request.id }, done);
  });
  registerRestErrorHandler(app);
  registerNotFoundHandler(app);

  registerSecurityHeaders(app, apiSecurityHeaderOptions());
  await app.register(cors, {
    origin: options.corsOrigins?.length ? [...options.corsOrigins] : false,
    methods: ['GET', 'POST'],
    // clubland-device: a sign-in's known-device token (known-device.ts); sent, never exposed to scripts.
    allowedHeaders: [
      'authorization',
      'content-type',
      'x-request-id',
      'apollo-require-preflight',
      DEVICE_HEADER,
    ],
    exposedHeaders: ['x-request-id', 'retry-after'],
    maxAge: 600,
  });
  await registerOpenApi(app, { version, graphqlPath: GRAPHQL_PATH });
  const ops = registerOpsRoutes(app, {
    metrics: options.metrics,
    readinessChecks: options.readinessChecks,
    ...(options.degradableChecks ? { degradableChecks: options.degradableChecks } : {}),
  });
  registerJwksRoute(app, options.clients.auth);

  // The caller is resolved once per request: by the rate limit first, then reused by resolvers.
  // A request decoration rather than a WeakMap: a slot every request object has from the start.
  app.decorateRequest(CALLER, null);
  const callerOf = (request: FastifyRequest) => {
    const slot = request as unknown as { [CALLER]: Caller | null };
    slot[CALLER] ??= callerFromRequest(options.callerVerifier, request);
    return slot[CALLER];
  };
  registerLedgerProofRoute(app, options.clients.ledger, callerOf);
  registerNotificationUnsubscribeRoute(app, options.clients.notifications);
  const rateLimits = createGatewayRateLimits(
    options.cache,
    { ...defaultRateLimitTiers, ...options.rateLimits },
    app.log,
  );
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url !== GRAPHQL_PATH || request.method === 'OPTIONS') return;
    const refusal = await rateLimits.check(callerOf(request));
    if (refusal) return refuseRateLimited(reply, refusal.retryAfterSeconds);
  });

  // Registered here rather than inside Mercurius (which would, encapsulated) so the dead-peer
  // check sees every socket; a WebSocket message may be as large as a request body.
  await app.register(websocket, { options: { maxPayload: limits.bodyLimitBytes } });
  // Before Mercurius declares /graphql: the guard hooks the route's upgrades (socket-guard.ts).
  guardSockets(app, {
    path: GRAPHQL_PATH,
    verifier: options.callerVerifier,
    ...(options.accessChanges ? { accessChanges: options.accessChanges } : {}),
    limits: {
      initTimeoutMs: limits.wsInitTimeoutMs,
      maxPerUser: limits.wsMaxPerUser,
      maxPerIp: limits.wsMaxPerIp,
      recheckIntervalMs: limits.keepAliveMs,
    },
  });

  const clubs = clubResolvers(options.clients.clubRegistry);
  const auth = authResolvers(options.clients.auth);
  const members = memberResolvers(options.clients);
  const directory = directoryResolvers(options.clients);
  const onboarding = onboardingResolvers(options.clients.auth);
  const dataExport = dataExportResolvers(options.clients);
  const auditLog = auditLogResolvers(options.clients.auth);
  const visits = visitResolvers(options.clients);
  const bookings = bookingResolvers(options.clients);
  const letters = letterResolvers(options.clients);
  const agreements = agreementResolvers(options.clients);
  const settlement = settlementResolvers(options.clients);
  const ledger = ledgerResolvers(options.clients);
  const clubEvents = clubEventResolvers(options.clients);
  const facilities = facilityResolvers(options.clients);
  const notifications = notificationResolvers(options.clients);
  const webhooks = webhookResolvers(options.clients);
  const governance = governanceResolvers(options.clients);
  const policies = policyResolvers(options.clients);
  const analytics = analyticsResolvers(options.clients);
  const emitter = createLocalEmitter();
  const clubCache = createClubCache({ ttlMs: limits.clubCacheTtlMs });
  let metrics: ReturnType<typeof registerOperationMetrics> | undefined;
  const validationRules = queryLimitRules(limits, { introspection });
  // Without introspection, graphql-js's suggestions would spell out the schema field by field.
  const validateOptions: Parameters<typeof validate>[3] = { hideSuggestions: !introspection };
  const errorOptions = { hideSuggestions: !introspection };
  const graphiqlPath = options.graphiql ? GRAPHIQL_PATH : null;
  await app.register(mercurius, {
    schema: loadSchemaSdl(),
    resolvers: {
      ...scalarResolvers,
      Query: {
        ...clubs.Query,
        ...auth.Query,
        ...members.Query,
        ...directory.Query,
        ...auditLog.Query,
        ...visits.Query,
        ...letters.Query,
        ...agreements.Query,
        ...settlement.Query,
        ...ledger.Query,
        ...clubEvents.Query,
        ...facilities.Query,
        ...bookings.Query,
        ...notifications.Query,
        ...webhooks.Query,
        ...governance.Query,
        ...policies.Query,
        ...analytics.Query,
      },
      Mutation: {
        ...clubs.Mutation,
        ...auth.Mutation,
        ...members.Mutation,
        ...directory.Mutation,
        ...onboarding.Mutation,
        ...dataExport.Mutation,
        ...visits.Mutation,
        ...letters.Mutation,
        ...agreements.Mutation,
        ...settlement.Mutation,
        ...clubEvents.Mutation,
        ...facilities.Mutation,
        ...bookings.Mutation,
        ...notifications.Mutation,
        ...webhooks.Mutation,
        ...governance.Mutation,
        ...policies.Mutation,
      },
      Club: directory.Club,
      Member: memberClubResolvers,
      Visit: visits.Visit,
      LOI: letters.LOI,
      // A booking names its facility (id, name, type, capacity: all the mobile client asks of it);
      // anything more comes from the facilities service, batched per request.
      FacilityBooking: {
        facility: (
          booking: { facility: { id: string } },
          _: unknown,
          context: ResolverContext,
          info: GraphQLResolveInfo,
        ) =>
          asksOnly(info, BOOKING_FACILITY_FIELDS)
            ? booking.facility
            : loadFacility(options.clients.facilities, context, booking.facility.id).then(
                (facility) => facility ?? booking.facility,
              ),
      },
      ReciprocalAgreement: agreements.ReciprocalAgreement,
      ClubVisitCount: analytics.ClubVisitCount,
      Notification: notifications.Notification,
      Proposal: governance.Proposal,
      Vote: governance.Vote,
      Policy: policies.Policy,
      PolicyAcknowledgment: policies.PolicyAcknowledgment,
      Subscription: { ...subscriptionResolvers.Subscription, ...governance.Subscription },
    },
    context: (request) => ({
      caller: callerOf(request),
      loaders: createRequestLoaders(options.clients, { clubs: clubCache }),
    }),
    // WebSocket on /graphql, both `graphql-transport-ws` and the legacy `graphql-ws` subprotocol.
    // The caller comes from the connection-init payload's `authorization`; a token that does not
    // verify refuses the connection, and one that stops verifying later stops its events
    // (createConnectionCaller) and closes its socket (guardSockets).
    subscription: {
      emitter,
      keepAlive: limits.keepAliveMs,
      onConnect: async ({ payload }: { payload?: { authorization?: unknown } }) => {
        const caller = createConnectionCaller(options.callerVerifier, tokenFrom(payload?.authorization), {
          ip: '',
          userAgent: '',
        });
        try {
          await caller.principal();
        } catch {
          return false;
        }
        return { caller, loaders: createRequestLoaders(options.clients, { cache: false, clubs: clubCache }) };
      },
    },
    path: GRAPHQL_PATH,
    // A body that is no GraphQL request gets BAD_REQUEST saying what to send (request-shape.ts).
    additionalRouteOptions: { preValidation: checkRequestShape },
    // Our own page (graphiql.ts): Mercurius's loads React and GraphiQL from a public CDN.
    graphiql: false,
    jit: 1,
    // Depth is one of our validation rules (Mercurius's own check cannot leave introspection out).
    validationRules,
    graphql: { parseOptions: { maxTokens: limits.maxTokens }, validateOptions },
    persistedQueryProvider: automaticPersistedQueries(options.cache),
    // A WebSocket upgrade is a GET the CSRF check would block; browsers cannot forge
    // `sec-websocket-key` on a simple request, so it passes like the preflight headers do.
    csrfPrevention: {
      requiredHeaders: ['x-mercurius-operation-name', 'mercurius-require-preflight', 'sec-websocket-key'],
    },
    errorFormatter: (execution, context) => {
      const request = (context.reply as FastifyReply | undefined)?.request;
      if (request) metrics?.markErrors(request);
      const correlationId = String(request?.id ?? randomUUID());
      const { statusCode, errors } = toClientErrors(execution.errors ?? [], correlationId, app.log, {
        ...errorOptions,
        csrfHint: csrfRefusalHint(request, graphiqlPath),
      });
      // RFC 9110: a 405 names the methods that would be allowed.
      if (statusCode === 405) (context.reply as FastifyReply | undefined)?.header('allow', 'POST');
      return { statusCode, response: { data: execution.data ?? null, errors } };
    },
  });
  validateSubscriptions(app, validationRules, { hideSuggestions: !introspection });
  if (options.graphiql) registerGraphiql(app, { endpoint: GRAPHQL_PATH });
  // What the links in emails open (PUBLIC_URL defaults to this gateway), in production too.
  registerAccountPages(app, { endpoint: GRAPHQL_PATH });
  metrics = registerOperationMetrics(app, options.metrics, GRAPHQL_PATH);
  if (options.events)
    feedSubscriptionsFromBus(
      app,
      options.events,
      options.clients.clubRegistry,
      clubCache,
      options.clients.ledger,
      (topic) => emitter.listenerCount(topic) > 0,
    );
  terminateSilentPeers(app, limits.keepAliveMs);
  return {
    app,
    markShuttingDown: ops.markShuttingDown,
    subscriptionListenerCount: (topic) => emitter.listenerCount(topic),
  };
}

/**
 * Node checks a request's time only every `connectionsCheckingInterval` (30 s by default), and
 * its header timeout (60 s) is not derived from a requestTimeout set after the server exists (as
 * Fastify sets it): a body trickled in a byte at a time ran for a minute or more past a 30 s
 * timeout. Checking ten times per timeout (at most once a second) cuts it within a tenth of the
 * timeout; headers get no longer than the whole request. The check walks only connections with
 * a request in progress.
 */
function requestTimeoutChecks(requestTimeoutMs: number) {
  if (requestTimeoutMs <= 0) return {};
  return {
    requestTimeout: requestTimeoutMs,
    headersTimeout: Math.min(requestTimeoutMs, 60_000),
    connectionsCheckingInterval: Math.min(1_000, Math.max(50, Math.floor(requestTimeoutMs / 10))),
  };
}

/** Believe X-Forwarded-For for the nearest `hops` proxies (the load balancer), no further. */
function trustHops(hops: number): boolean | ((address: string, hop: number) => boolean) {
  return hops > 0 ? (_address, hop) => hop < hops : false;
}

/** 429 with the GraphQL error body the client reads, and Retry-After for HTTP-level clients. */
function refuseRateLimited(reply: FastifyReply, retryAfterSeconds: number): FastifyReply {
  const error = new ClubError('request.rate_limited', 'Too many requests; retry later', {
    retryAfterSeconds,
  });
  return reply
    .code(429)
    .header('retry-after', String(retryAfterSeconds))
    .send({ data: null, errors: [{ message: error.message, extensions: error.extensions }] });
}

export type { CallerVerifier } from './caller.ts';
export { withHankoCallers } from './hanko-callers.ts';
export type { QueryLimits } from './query-limits.ts';
export type { RateLimitTiers } from './rate-limits.ts';
export type { AccessChanges } from './socket-guard.ts';
