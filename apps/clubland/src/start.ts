import { join } from 'node:path';
import { createAnalyticsService } from '@clubland/analytics-service';
import { createAuthService, createClubDirectory } from '@clubland/auth-service';
import type { Bus } from '@clubland/bus';
import type { Cache } from '@clubland/cache';
import { createBookingPeople, createClubService, createEventMembers } from '@clubland/club-service';
import type { AppConfig } from '@clubland/config';
import { AnalyticsService } from '@clubland/contract/analytics/v1';
import { AuthService } from '@clubland/contract/auth/v1';
import { BookingService } from '@clubland/contract/club/v1/bookings';
import { ClubEventService } from '@clubland/contract/club/v1/events';
import { FacilityService } from '@clubland/contract/club/v1/facilities';
import { GovernanceService } from '@clubland/contract/governance/v1';
import { PolicyService } from '@clubland/contract/governance/v1/policies';
import { LedgerService } from '@clubland/contract/ledger/v1';
import { ClubRegistryService } from '@clubland/contract/member/v1';
import { ClubDirectoryService } from '@clubland/contract/member/v1/directory';
import { MemberService } from '@clubland/contract/member/v1/members';
import { NotificationService } from '@clubland/contract/notification/v1';
import { MailService } from '@clubland/contract/notification/v1/mail';
import { WebhookService } from '@clubland/contract/notification/v1/webhooks';
import { AgreementService } from '@clubland/contract/reciprocal/v1/agreements';
import { LetterService } from '@clubland/contract/reciprocal/v1/letters';
import { SettlementService } from '@clubland/contract/reciprocal/v1/settlement';
import { VisitService } from '@clubland/contract/reciprocal/v1/visits';
import type { Db } from '@clubland/db';
import { createGateway } from '@clubland/gateway';
import { createGovernanceService } from '@clubland/governance-service';
import { createLedgerService } from '@clubland/ledger-service';
import { createLogger } from '@clubland/log';
import { createAccountDirectory, createMemberService } from '@clubland/member-service';
import {
  createClubBrands,
  createMemberContacts,
  notifierOverMailService,
} from '@clubland/notification-service';
import { createFileNotifier } from '@clubland/notify';
import {
  createClubFacts,
  createMemberDirectory,
  createReciprocalService,
  createVisitorDirectory,
} from '@clubland/reciprocal-service';
import { createRemoteTransport, createRpcClient, type RegisterRoutes, startRpcServer } from '@clubland/rpc';
import {
  createMetrics,
  ErrorsOnlyLogController,
  registerOpsRoutes,
  registerRestErrorHandler,
  startTracing,
} from '@clubland/telemetry';
import type { Transport } from '@connectrpc/connect';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { type DestinationStream, type Logger, pino } from 'pino';
import { authSettingsFrom, createGatewayVerifier } from './auth-wiring.ts';
import { bootstrapAdminFromEnvironment } from './bootstrap-admin.ts';
import { openMigratedDb } from './database.ts';
import { startBanner } from './demo/banner.ts';
import { seedDemoAtFirstStart, shouldSeedDemoAtStart } from './demo/first-start.ts';
import { demoStateOf, refuseDemoAccountsInProduction } from './demo/production-guard.ts';
import { ledgerOptions, startServicesInProcess } from './in-process.ts';
import { openBus, openCache } from './infrastructure.ts';
import { notificationServiceFrom } from './notification-wiring.ts';
import { createNotifierTap } from './notifier-tap.ts';
import type { ServiceName } from './port-check.ts';
import { settleMemoryAfterStart } from './settle-memory.ts';
import { createShutdown, type Shutdown } from './shutdown.ts';

/**
 * `clubland start`: every service in this process, talking over in-memory transports.
 * `clubland start --service <name>`: one service, talking to the others over gRPC.
 * Both run the same service code; only the transports and adapters differ.
 */
export interface StartOptions {
  /** False with `--no-demo`: no demo network even on a first embedded start. */
  demo?: boolean;
}

export async function runStart(
  config: AppConfig,
  which: ServiceName | 'all',
  options: StartOptions = {},
): Promise<void> {
  const serviceName = which === 'all' ? 'clubland' : which;
  const stdout = pino.destination(1);
  const log = createLogger({ service: serviceName, level: config.LOG_LEVEL, destination: stdout });
  const shutdown = createShutdown(log, config.SHUTDOWN_TIMEOUT_MS);
  try {
    const tracing = await startTracing({
      endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
      serviceName: `${config.OTEL_SERVICE_NAME}-${serviceName}`,
    });
    shutdown.add('tracing', () => tracing.shutdown());
    if (which === 'all') await startAllInOne(config, log, shutdown, options, stdout);
    if (which === 'member') await startMemberAlone(config, log, shutdown);
    if (which === 'auth') await startAuthAlone(config, log, shutdown);
    if (which === 'reciprocal') await startReciprocalAlone(config, log, shutdown);
    if (which === 'ledger') await startLedgerAlone(config, log, shutdown);
    if (which === 'club') await startClubAlone(config, log, shutdown);
    if (which === 'analytics') await startAnalyticsAlone(config, log, shutdown);
    if (which === 'notification') await startNotificationAlone(config, log, shutdown);
    if (which === 'governance') await startGovernanceAlone(config, log, shutdown);
    if (which === 'gateway') await startGatewayAlone(config, log, shutdown);
  } catch (error) {
    await shutdown.closeAll();
    throw error;
  }
  shutdown.onSignals();
  settleMemoryAfterStart(log);
}

async function startAllInOne(
  config: AppConfig,
  log: Logger,
  shutdown: Shutdown,
  options: StartOptions,
  stdout: DestinationStream,
): Promise<void> {
  const isDemoDue = shouldSeedDemoAtStart(config, options.demo !== false);
  const db = await openMigratedDb(config, log);
  shutdown.add('database', () => db.close());
  await refuseDemoAccountsInProduction(config, db);
  const bus = await openBus(config, log);
  shutdown.add('bus', () => bus.close());
  const cache = await openCache(config, log);
  shutdown.add('cache', () => cache.close());

  const mail = createNotifierTap(
    createFileNotifier({ dir: join(config.CLUBLAND_DATA_DIR, 'outbox', 'mail') }),
  );
  const { auth, transports } = await startServicesInProcess(config, log, shutdown, { db, bus, cache, mail });
  await bootstrapAdminFromEnvironment(config, auth, log);
  const demo = isDemoDue
    ? await seedDemoAtFirstStart({
        config,
        log,
        auth,
        mail,
        transports,
      })
    : null;

  await listenGateway(config, log, shutdown, { cache, bus }, transports, {
    readiness: { db: () => db.ping() },
    degradable: { bus: () => bus.ping(), cache: () => cache.ping() },
  });
  // After the gateway listens: every URL printed answers by the time it is read.
  const banner = startBanner({
    baseUrl: `http://localhost:${config.GATEWAY_PORT}`,
    graphiql: config.GRAPHIQL ?? config.NODE_ENV !== 'production',
    isProduction: config.NODE_ENV === 'production',
    demo: demo ? 'seeded' : await demoStateOf(db),
  });
  // Through the log's own stream: pino writes behind (asynchronously), and the banner written
  // straight to stdout came out before the "listening" lines it follows.
  if (banner) stdout.write(banner);
}

async function startMemberAlone(config: AppConfig, log: Logger, shutdown: Shutdown): Promise<void> {
  const authUrl = required(
    config.AUTH_SERVICE_URL,
    'AUTH_SERVICE_URL',
    'the member service',
    'http://auth:50052',
  );
  const { db, bus } = await openAlone(config, log, shutdown, 'member');

  const member = await createMemberService({
    db,
    bus,
    log,
    accounts: createAccountDirectory(createRpcClient(AuthService, createRemoteTransport(authUrl))),
    outboxPollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
  });
  await member.start();
  shutdown.add('member', () => member.stop());
  await serveAlone(config, log, shutdown, {
    name: 'member',
    register: member.register,
    rpcPort: config.MEMBER_RPC_PORT,
    httpPort: config.MEMBER_HTTP_PORT,
    dependencies: aloneChecks({ db, bus }),
  });
}

async function startAuthAlone(config: AppConfig, log: Logger, shutdown: Shutdown): Promise<void> {
  const memberUrl = required(
    config.MEMBER_SERVICE_URL,
    'MEMBER_SERVICE_URL',
    'the auth service',
    'http://member:50051',
  );
  const { db, bus } = await openAlone(config, log, shutdown, 'auth');
  await refuseDemoAccountsInProduction(config, db);
  const cache = await openCache(config, log);
  shutdown.add('cache', () => cache.close());

  const auth = await createAuthService({
    db,
    bus,
    cache,
    log,
    // Mail through the notification service's email channel when it is known; else the local outbox.
    notifier: config.NOTIFICATION_SERVICE_URL
      ? notifierOverMailService(
          createRpcClient(MailService, createRemoteTransport(config.NOTIFICATION_SERVICE_URL)),
        )
      : createFileNotifier({ dir: join(config.CLUBLAND_DATA_DIR, 'outbox', 'mail') }),
    clubs: createClubDirectory(createRpcClient(ClubRegistryService, createRemoteTransport(memberUrl))),
    settings: authSettingsFrom(config),
    outboxPollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
  });
  await auth.start();
  shutdown.add('auth', () => auth.stop());
  await bootstrapAdminFromEnvironment(config, auth, log);
  await serveAlone(config, log, shutdown, {
    name: 'auth',
    register: auth.register,
    rpcPort: config.AUTH_RPC_PORT,
    httpPort: config.AUTH_HTTP_PORT,
    dependencies: aloneChecks({ db, bus }, { cache: () => cache.ping() }),
  });
}

async function startReciprocalAlone(config: AppConfig, log: Logger, shutdown: Shutdown): Promise<void> {
  const memberUrl = required(
    config.MEMBER_SERVICE_URL,
    'MEMBER_SERVICE_URL',
    'the reciprocal service',
    'http://member:50051',
  );
  const { db, bus } = await openAlone(config, log, shutdown, 'reciprocal');

  const reciprocal = await createReciprocalService({
    db,
    bus,
    log,
    clubs: createClubFacts(createRpcClient(ClubDirectoryService, createRemoteTransport(memberUrl))),
    members: createMemberDirectory(createRpcClient(MemberService, createRemoteTransport(memberUrl))),
    notifier: createFileNotifier({ dir: join(config.CLUBLAND_DATA_DIR, 'outbox', 'mail') }),
    visitors: createVisitorDirectory(createRpcClient(MemberService, createRemoteTransport(memberUrl))),
    outboxPollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
  });
  await reciprocal.start();
  shutdown.add('reciprocal', () => reciprocal.stop());
  await serveAlone(config, log, shutdown, {
    name: 'reciprocal',
    register: reciprocal.register,
    rpcPort: config.RECIPROCAL_RPC_PORT,
    httpPort: config.RECIPROCAL_HTTP_PORT,
    dependencies: aloneChecks({ db, bus }),
  });
}

async function startLedgerAlone(config: AppConfig, log: Logger, shutdown: Shutdown): Promise<void> {
  const { db, bus } = await openAlone(config, log, shutdown, 'ledger');
  const ledger = await createLedgerService(ledgerOptions(config, db, bus, log));
  await ledger.start();
  shutdown.add('ledger', () => ledger.stop());
  await serveAlone(config, log, shutdown, {
    name: 'ledger',
    register: ledger.register,
    rpcPort: config.LEDGER_RPC_PORT,
    httpPort: config.LEDGER_HTTP_PORT,
    dependencies: aloneChecks({ db, bus }),
  });
}

async function startClubAlone(config: AppConfig, log: Logger, shutdown: Shutdown): Promise<void> {
  const memberUrl = required(
    config.MEMBER_SERVICE_URL,
    'MEMBER_SERVICE_URL',
    'the club service',
    'http://member:50051',
  );
  const { db, bus } = await openAlone(config, log, shutdown, 'club');
  const club = await createClubService({
    db,
    bus,
    log,
    outboxPollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
    eventMembers: createEventMembers(createRpcClient(MemberService, createRemoteTransport(memberUrl))),
    clubDirectory: createRpcClient(ClubDirectoryService, createRemoteTransport(memberUrl)),
    bookers: createBookingPeople(createRpcClient(MemberService, createRemoteTransport(memberUrl))),
  });
  await club.start();
  shutdown.add('club', () => club.stop());
  await serveAlone(config, log, shutdown, {
    name: 'club',
    register: club.register,
    rpcPort: config.CLUB_RPC_PORT,
    httpPort: config.CLUB_HTTP_PORT,
    dependencies: aloneChecks({ db, bus }),
  });
}

async function startGovernanceAlone(config: AppConfig, log: Logger, shutdown: Shutdown): Promise<void> {
  const memberUrl = required(
    config.MEMBER_SERVICE_URL,
    'MEMBER_SERVICE_URL',
    'the governance service',
    'http://member:50051',
  );
  const { db, bus } = await openAlone(config, log, shutdown, 'governance');
  const memberTransport = createRemoteTransport(memberUrl);
  const governance = await createGovernanceService({
    db,
    bus,
    log,
    outboxPollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
    members: createRpcClient(MemberService, memberTransport),
    clubDirectory: createRpcClient(ClubDirectoryService, memberTransport),
    scheduleIntervalMs: config.GOVERNANCE_SCHEDULE_INTERVAL_MS,
  });
  await governance.start();
  shutdown.add('governance', () => governance.stop());
  await serveAlone(config, log, shutdown, {
    name: 'governance',
    register: governance.register,
    rpcPort: config.GOVERNANCE_RPC_PORT,
    httpPort: config.GOVERNANCE_HTTP_PORT,
    dependencies: aloneChecks({ db, bus }),
  });
}

async function startAnalyticsAlone(config: AppConfig, log: Logger, shutdown: Shutdown): Promise<void> {
  const memberUrl = required(
    config.MEMBER_SERVICE_URL,
    'MEMBER_SERVICE_URL',
    'the analytics service',
    'http://member:50051',
  );
  const { db, bus } = await openAlone(config, log, shutdown, 'analytics');
  const analytics = await createAnalyticsService({
    db,
    bus,
    log,
    clubDirectory: createRpcClient(ClubDirectoryService, createRemoteTransport(memberUrl)),
  });
  await analytics.start();
  shutdown.add('analytics', () => analytics.stop());
  await serveAlone(config, log, shutdown, {
    name: 'analytics',
    register: analytics.register,
    rpcPort: config.ANALYTICS_RPC_PORT,
    httpPort: config.ANALYTICS_HTTP_PORT,
    dependencies: aloneChecks({ db, bus }),
  });
}

async function startNotificationAlone(config: AppConfig, log: Logger, shutdown: Shutdown): Promise<void> {
  const { db, bus } = await openAlone(config, log, shutdown, 'notification');
  const mail = createFileNotifier({ dir: join(config.CLUBLAND_DATA_DIR, 'outbox', 'mail') });
  // Clubs' names in texts and emails, members' phones and languages, come from the member service
  // when it is named; else "your club", no SMS and English.
  const memberTransport = config.MEMBER_SERVICE_URL
    ? createRemoteTransport(config.MEMBER_SERVICE_URL)
    : undefined;
  const clubs = memberTransport
    ? createClubBrands(createRpcClient(ClubRegistryService, memberTransport))
    : undefined;
  const contacts = memberTransport
    ? createMemberContacts(createRpcClient(MemberService, memberTransport))
    : undefined;
  const notification = await notificationServiceFrom(config, {
    db,
    bus,
    log,
    mail,
    ...(clubs ? { clubs } : {}),
    ...(contacts ? { contacts } : {}),
  });
  await notification.start();
  shutdown.add('notification', () => notification.stop());
  await serveAlone(config, log, shutdown, {
    name: 'notification',
    register: notification.register,
    rpcPort: config.NOTIFICATION_RPC_PORT,
    httpPort: config.NOTIFICATION_HTTP_PORT,
    dependencies: aloneChecks({ db, bus }),
  });
}

async function startGatewayAlone(config: AppConfig, log: Logger, shutdown: Shutdown): Promise<void> {
  const memberUrl = required(
    config.MEMBER_SERVICE_URL,
    'MEMBER_SERVICE_URL',
    'the gateway',
    'http://member:50051',
  );
  const authUrl = required(config.AUTH_SERVICE_URL, 'AUTH_SERVICE_URL', 'the gateway', 'http://auth:50052');
  const reciprocalUrl = required(
    config.RECIPROCAL_SERVICE_URL,
    'RECIPROCAL_SERVICE_URL',
    'the gateway',
    'http://reciprocal:50053',
  );
  const ledgerUrl = required(
    config.LEDGER_SERVICE_URL,
    'LEDGER_SERVICE_URL',
    'the gateway',
    'http://ledger:50054',
  );
  const clubUrl = required(config.CLUB_SERVICE_URL, 'CLUB_SERVICE_URL', 'the gateway', 'http://club:50055');
  const analyticsUrl = required(
    config.ANALYTICS_SERVICE_URL,
    'ANALYTICS_SERVICE_URL',
    'the gateway',
    'http://analytics:50058',
  );
  const notificationUrl = required(
    config.NOTIFICATION_SERVICE_URL,
    'NOTIFICATION_SERVICE_URL',
    'the gateway',
    'http://notification:50056',
  );
  const governanceUrl = required(
    config.GOVERNANCE_SERVICE_URL,
    'GOVERNANCE_SERVICE_URL',
    'the gateway',
    'http://governance:50057',
  );
  if (!config.REDIS_URL) {
    log.warn(
      'REDIS_URL is unset: rate limits and the revoked-session list are per process; set it when services run apart',
    );
  }
  const cache = await openCache(config, log);
  shutdown.add('cache', () => cache.close());
  const bus = await openBus(config, log);
  shutdown.add('bus', () => bus.close());
  const transports = {
    member: createRemoteTransport(memberUrl),
    auth: createRemoteTransport(authUrl),
    reciprocal: createRemoteTransport(reciprocalUrl),
    ledger: createRemoteTransport(ledgerUrl),
    club: createRemoteTransport(clubUrl),
    analytics: createRemoteTransport(analyticsUrl),
    notification: createRemoteTransport(notificationUrl),
    governance: createRemoteTransport(governanceUrl),
  };
  const notifications = createRpcClient(NotificationService, transports.notification);
  const clubRegistry = createRpcClient(ClubRegistryService, transports.member);
  const auth = createRpcClient(AuthService, transports.auth);
  const reciprocalAgreements = createRpcClient(AgreementService, transports.reciprocal);
  const ledger = createRpcClient(LedgerService, transports.ledger);
  const clubFacilities = createRpcClient(FacilityService, transports.club);
  const governance = createRpcClient(GovernanceService, transports.governance);
  const analytics = createRpcClient(AnalyticsService, transports.analytics);
  await listenGateway(config, log, shutdown, { cache, bus }, transports, {
    // Ready only when the services behind answer: cheap calls that touch no data.
    readiness: {
      member: async () => {
        await clubRegistry.batchGetClubs({ ids: [] }, { timeoutMs: 1000 });
      },
      auth: async () => {
        await auth.getJwks({}, { timeoutMs: 1000 });
      },
      reciprocal: async () => {
        await reciprocalAgreements.getAgreements({ ids: [] }, { timeoutMs: 1000 });
      },
      ledger: async () => {
        // An id that is no UUID: answered without touching the ledger's tables.
        await ledger.getProof({ txId: 'readiness' }, { timeoutMs: 1000 });
      },
      club: async () => {
        await clubFacilities.getFacilities({ ids: [] }, { timeoutMs: 1000 });
      },
      governance: async () => {
        // No caller: refused as unauthenticated before any table is touched, which proves it answers.
        await governance.listMyVotes({}, { timeoutMs: 1000 }).catch((error: unknown) => {
          if ((error as { code?: unknown }).code !== 'request.unauthenticated') throw error;
        });
      },
      analytics: async () => {
        // No caller: refused as unauthenticated before any table is touched, which proves it answers.
        await analytics.getAnalytics({}, { timeoutMs: 1000 }).catch((error: unknown) => {
          if ((error as { code?: unknown }).code !== 'request.unauthenticated') throw error;
        });
      },
      notification: async () => {
        // No caller: refused as unauthenticated before any table is touched, which proves it answers.
        await notifications.countUnread({}, { timeoutMs: 1000 }).catch((error: unknown) => {
          if ((error as { code?: unknown }).code !== 'request.unauthenticated') throw error;
        });
      },
    },
    degradable: { cache: () => cache.ping(), bus: () => bus.ping() },
  });
}

/**
 * What `/ready` waits on: what this instance cannot serve a request without (the database; for a
 * gateway alone, the services behind it). Degradable: dependencies whose outage the instance rides
 * out (NATS, behind the outbox; Redis, whose users fail closed), in `/health` and
 * `clubland_dependency_up` only, so an outage every instance shares does not empty the load
 * balancer. The README's Operations section states the policy.
 */
interface DependencyChecks {
  readiness: Record<string, () => Promise<void>>;
  degradable: Record<string, () => Promise<void>>;
}

/**
 * What every service run alone opens first and closes last: its database, migrated, and the bus
 * (the shutdown closes in the reverse order of these additions).
 */
async function openAlone(
  config: AppConfig,
  log: Logger,
  shutdown: Shutdown,
  schema: string,
): Promise<{ db: Db; bus: Bus }> {
  const db = await openMigratedDb(config, log, schema);
  shutdown.add('database', () => db.close());
  const bus = await openBus(config, log);
  shutdown.add('bus', () => bus.close());
  return { db, bus };
}

/** A service alone is ready while its database answers; the bus, and `more`, are degradable. */
function aloneChecks(
  opened: { db: Db; bus: Bus },
  more: Record<string, () => Promise<void>> = {},
): DependencyChecks {
  return {
    readiness: { db: () => opened.db.ping() },
    degradable: { bus: () => opened.bus.ping(), ...more },
  };
}

/** A service on its own: gRPC on its RPC port, /health /ready /metrics on a plain HTTP/1.1 port. */
async function serveAlone(
  config: AppConfig,
  log: Logger,
  shutdown: Shutdown,
  service: {
    name: string;
    register: RegisterRoutes;
    rpcPort: number;
    httpPort: number;
    dependencies: DependencyChecks;
  },
): Promise<void> {
  const rpc = await startRpcServer({
    register: service.register,
    host: config.HOST,
    port: service.rpcPort,
    log,
  });
  shutdown.add('rpc server', () => rpc.close());

  const loggerInstance: FastifyBaseLogger = log;
  const ops = Fastify({ loggerInstance, logController: new ErrorsOnlyLogController() });
  registerRestErrorHandler(ops);
  const probes = registerOpsRoutes(ops, {
    metrics: createMetrics({ service: service.name }),
    readinessChecks: service.dependencies.readiness,
    degradableChecks: service.dependencies.degradable,
  });
  await ops.listen({ host: config.HOST, port: service.httpPort });
  // Registered after the RPC server, so it closes first: not-ready before the RPC port goes away.
  shutdown.add('ops server', async () => {
    probes.markShuttingDown();
    await ops.close();
  });
  log.info({ rpcPort: rpc.port, httpPort: service.httpPort }, `${service.name} service listening`);
}

/** How the gateway reaches each service: in memory (all-in-one) or over gRPC. */
interface GatewayTransports {
  member: Transport;
  auth: Transport;
  reciprocal: Transport;
  ledger: Transport;
  club: Transport;
  analytics: Transport;
  notification: Transport;
  governance: Transport;
}

async function listenGateway(
  config: AppConfig,
  log: Logger,
  shutdown: Shutdown,
  { cache, bus }: { cache: Cache; bus: Bus },
  transports: GatewayTransports,
  dependencies: DependencyChecks,
): Promise<void> {
  const auth = createRpcClient(AuthService, transports.auth);
  const callers = await createGatewayVerifier(config, auth, cache, log);
  // Added before the gateway: closers run in reverse, so the watch ends after the last request.
  shutdown.add('revocation watch', () => callers.close());
  const gateway = await createGateway({
    log,
    metrics: createMetrics({ service: 'gateway' }),
    clients: {
      clubRegistry: createRpcClient(ClubRegistryService, transports.member),
      members: createRpcClient(MemberService, transports.member),
      directory: createRpcClient(ClubDirectoryService, transports.member),
      auth,
      agreements: createRpcClient(AgreementService, transports.reciprocal),
      letters: createRpcClient(LetterService, transports.reciprocal),
      visits: createRpcClient(VisitService, transports.reciprocal),
      settlement: createRpcClient(SettlementService, transports.reciprocal),
      ledger: createRpcClient(LedgerService, transports.ledger),
      facilities: createRpcClient(FacilityService, transports.club),
      bookings: createRpcClient(BookingService, transports.club),
      clubEvents: createRpcClient(ClubEventService, transports.club),
      analytics: createRpcClient(AnalyticsService, transports.analytics),
      notifications: createRpcClient(NotificationService, transports.notification),
      webhooks: createRpcClient(WebhookService, transports.notification),
      governance: createRpcClient(GovernanceService, transports.governance),
      policies: createRpcClient(PolicyService, transports.governance),
    },
    callerVerifier: callers.verifier,
    accessChanges: callers.accessChanges,
    events: bus,
    cache,
    readinessChecks: dependencies.readiness,
    degradableChecks: dependencies.degradable,
    ...gatewaySettingsFrom(config),
  });
  await gateway.app.listen({ host: config.HOST, port: config.GATEWAY_PORT });
  shutdown.add('gateway', async () => {
    gateway.markShuttingDown();
    await gateway.app.close();
  });
  log.info({ url: `http://localhost:${config.GATEWAY_PORT}/graphql` }, 'Clubland gateway listening');
}

/** The gateway's switches and limits from the environment (packages/config documents each). */
function gatewaySettingsFrom(config: AppConfig) {
  const development = config.NODE_ENV !== 'production';
  return {
    graphiql: config.GRAPHIQL ?? development,
    introspection: config.GRAPHQL_INTROSPECTION ?? development,
    corsOrigins: (config.CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== ''),
    trustProxyHops: config.GATEWAY_TRUST_PROXY_HOPS,
    logRequests: config.LOG_REQUESTS,
    limits: {
      bodyLimitBytes: config.GATEWAY_BODY_LIMIT_BYTES,
      requestTimeoutMs: config.GATEWAY_REQUEST_TIMEOUT_MS,
      connectionTimeoutMs: config.GATEWAY_CONNECTION_TIMEOUT_MS,
      keepAliveMs: config.GATEWAY_WS_KEEPALIVE_MS,
      wsInitTimeoutMs: config.GATEWAY_WS_INIT_TIMEOUT_MS,
      wsMaxPerUser: config.GATEWAY_WS_MAX_PER_USER,
      wsMaxPerIp: config.GATEWAY_WS_MAX_PER_IP,
      maxDepth: config.GRAPHQL_MAX_DEPTH,
      maxCost: config.GRAPHQL_MAX_COST,
      maxAliases: config.GRAPHQL_MAX_ALIASES,
      maxDirectives: config.GRAPHQL_MAX_DIRECTIVES,
      maxTokens: config.GRAPHQL_MAX_TOKENS,
    },
    rateLimits: {
      windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
      anonymous: config.RATE_LIMIT_ANONYMOUS,
      member: config.RATE_LIMIT_MEMBER,
      staff: config.RATE_LIMIT_STAFF,
      perIp: config.RATE_LIMIT_PER_IP,
    },
  };
}

function required(value: string | undefined, name: string, who: string, example: string): string {
  if (!value) throw new Error(`${name} must be set when ${who} runs alone (e.g. ${example})`);
  return value;
}
