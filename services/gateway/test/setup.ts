import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAnalyticsService } from '@clubland/analytics-service';
import { createAuthService, createClubDirectory, type SignInThrottleSettings } from '@clubland/auth-service';
import { createAccessTokenVerifier, watchSessionRevocations } from '@clubland/authz';
import { createMemoryBus } from '@clubland/bus';
import { type Cache, createMemoryCache } from '@clubland/cache';
import { createRedisCache } from '@clubland/cache/redis';
import { createBookingPeople, createClubService, createEventMembers } from '@clubland/club-service';
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
import { WebhookService } from '@clubland/contract/notification/v1/webhooks';
import { AgreementService } from '@clubland/contract/reciprocal/v1/agreements';
import { LetterService } from '@clubland/contract/reciprocal/v1/letters';
import { SettlementService } from '@clubland/contract/reciprocal/v1/settlement';
import { VisitService } from '@clubland/contract/reciprocal/v1/visits';
import { migrate } from '@clubland/db';
import { createTestDb } from '@clubland/db/testing';
import { createGovernanceService } from '@clubland/governance-service';
import { createLedgerService } from '@clubland/ledger-service';
import { createAccountDirectory, createMemberService, lateAccountsClient } from '@clubland/member-service';
import {
  createClubBrands,
  createNotificationService,
  fileOutboxEmailSender,
} from '@clubland/notification-service';
import { createFileNotifier } from '@clubland/notify';
import {
  createClubFacts,
  createMemberDirectory,
  createReciprocalService,
  createVisitorDirectory,
} from '@clubland/reciprocal-service';
import { createInMemoryTransport, createRpcClient } from '@clubland/rpc';
import { createMetrics } from '@clubland/telemetry';
import type { Transport } from '@connectrpc/connect';
import pino, { type Logger } from 'pino';
import { createGateway, type GatewayOptions, withHankoCallers } from '../src/index.ts';

export interface GraphqlBody {
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary response shapes
  data?: Record<string, any>;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/**
 * The gateway over the real member and auth services on one fresh database (PGlite, or a new
 * PostgreSQL database when DATABASE_URL is set), in-memory transports, the in-process bus and
 * the memory cache (or, with `redisWhenConfigured` and REDIS_URL set, Redis: one client for the
 * services and one for the gateway, under a prefix of their own, as two processes would have);
 * emails land as files in `mailDir`. The gateway checks tokens as `clubland start` wires it: the
 * revocation list and authorisation versions watched through the cache's announcements.
 */
export async function setupGateway(
  options: {
    hankoApiUrl?: string;
    /** The gateway's logger (only); silent when omitted. */
    log?: Logger;
    gateway?: Partial<Omit<GatewayOptions, 'log' | 'clients' | 'cache'>>;
    /** Wraps the transport the gateway (only) reaches the member service by, e.g. to count calls. */
    wrapMemberTransport?: (transport: Transport) => Transport;
    /** The transport the gateway (only) reaches the auth service by, in place of the in-memory one. */
    gatewayAuthTransport?: Transport;
    /** The cache every part uses, in place of the memory cache (e.g. a Redis a test stops); not closed here. */
    cache?: Cache;
    /** The auth service's password sign-in throttles, in place of its defaults. */
    signInThrottles?: Partial<SignInThrottleSettings>;
    /** Redis for the services' and the gateway's caches when REDIS_URL is set. */
    redisWhenConfigured?: boolean;
    /** Where the emails' links point (the auth service's PUBLIC_URL); `http://localhost:8080` when omitted. */
    publicUrl?: string;
  } = {},
) {
  const log = pino({ level: 'silent' });
  const db = await createTestDb();
  const bus = createMemoryBus();
  const redisUrl = options.cache
    ? undefined
    : options.redisWhenConfigured
      ? process.env.REDIS_URL
      : undefined;
  const keyPrefix = `clubland-test:${randomUUID()}:`;
  const cache: Cache =
    options.cache ?? (redisUrl ? createRedisCache({ url: redisUrl, keyPrefix }) : createMemoryCache());
  const gatewayCache: Cache = redisUrl ? createRedisCache({ url: redisUrl, keyPrefix }) : cache;
  const mailDir = mkdtempSync(join(tmpdir(), 'clubland-mail-'));

  // Bound to the auth service below: it needs the member service's club registry first.
  const accounts = lateAccountsClient();
  const member = await createMemberService({
    db,
    bus,
    log,
    accounts: createAccountDirectory(accounts),
    outboxPollIntervalMs: 50,
  });
  await migrate(db, { schema: member.schema, migrations: member.migrations });
  await member.start();
  const memberTransport = createInMemoryTransport(member.register, log);
  const clubRegistry = createRpcClient(ClubRegistryService, memberTransport);

  const settings = {
    issuer: 'clubland-test',
    audience: 'clubland-api',
    accessTokenTtlSeconds: 900,
    refreshTokenTtlSeconds: 86_400,
    keyRotationDays: 30,
    webauthn: { rpId: 'localhost', rpName: 'Clubland', origins: ['http://localhost:8080'] },
    hankoApiUrl: options.hankoApiUrl ?? null,
    publicUrl: options.publicUrl ?? 'http://localhost:8080',
  };
  const notifier = createFileNotifier({ dir: mailDir });
  const auth = await createAuthService({
    db,
    bus,
    cache,
    log,
    notifier,
    clubs: createClubDirectory(clubRegistry),
    settings,
    ...(options.signInThrottles ? { signInThrottles: options.signInThrottles } : {}),
  });
  await migrate(db, { schema: auth.schema, migrations: auth.migrations });
  await auth.start();
  const authClient = createRpcClient(AuthService, createInMemoryTransport(auth.register, log));
  accounts.bind(authClient);

  // The ledger subscribes before the reciprocal service's relay publishes its first request; a
  // block is sealed every 100 ms, so a fact is CONFIRMED moments after it is made.
  const ledger = await createLedgerService({
    db,
    bus,
    log,
    keyEncryptionKey: 'gateway-test-ledger-key-encryption-key-0123456789',
    blockIntervalMs: 100,
    outboxPollIntervalMs: 50,
  });
  await migrate(db, { schema: ledger.schema, migrations: ledger.migrations });
  await ledger.start();
  const ledgerTransport = createInMemoryTransport(ledger.register, log);

  const reciprocal = await createReciprocalService({
    db,
    bus,
    log,
    clubs: createClubFacts(createRpcClient(ClubDirectoryService, memberTransport)),
    members: createMemberDirectory(createRpcClient(MemberService, memberTransport)),
    // The auth service's notifier: letters of introduction land in `mailDir` too.
    notifier,
    visitors: createVisitorDirectory(createRpcClient(MemberService, memberTransport)),
    outboxPollIntervalMs: 50,
    // A test changes a club and checks in the next moment: no reuse, no wait for the club's event.
    clubFactsTtlMs: 0,
    // Settlement periods are opened and closed by the tests that need them.
    settlementScheduleIntervalMs: 0,
  });
  await migrate(db, { schema: reciprocal.schema, migrations: reciprocal.migrations });
  await reciprocal.start();
  const reciprocalTransport = createInMemoryTransport(reciprocal.register, log);

  const clubOps = await createClubService({
    db,
    bus,
    log,
    outboxPollIntervalMs: 50,
    eventMembers: createEventMembers(createRpcClient(MemberService, memberTransport)),
    clubDirectory: createRpcClient(ClubDirectoryService, memberTransport),
    bookers: createBookingPeople(createRpcClient(MemberService, memberTransport)),
  });
  await migrate(db, { schema: clubOps.schema, migrations: clubOps.migrations });
  await clubOps.start();
  const clubTransport = createInMemoryTransport(clubOps.register, log);

  // Governance: its schedule is run by the tests that need it.
  const governance = await createGovernanceService({
    db,
    bus,
    log,
    outboxPollIntervalMs: 50,
    members: createRpcClient(MemberService, memberTransport),
    clubDirectory: createRpcClient(ClubDirectoryService, memberTransport),
    scheduleIntervalMs: 0,
  });
  await migrate(db, { schema: governance.schema, migrations: governance.migrations });
  await governance.start();
  const governanceTransport = createInMemoryTransport(governance.register, log);
  // Analytics: follows the member and reciprocal services' events into its facts.
  const analytics = await createAnalyticsService({
    db,
    bus,
    log,
    clubDirectory: createRpcClient(ClubDirectoryService, memberTransport),
    timeZoneTtlMs: 0,
  });
  await migrate(db, { schema: analytics.schema, migrations: analytics.migrations });
  await analytics.start();
  const analyticsTransport = createInMemoryTransport(analytics.register, log);

  // Notifications: consumes the other services' events; its email goes to `mailDir` as the auth
  // service's does (template `notification`).
  const notifications = await createNotificationService({
    db,
    bus,
    log,
    channels: { email: fileOutboxEmailSender(notifier) },
    publicUrl: settings.publicUrl,
    unsubscribeSecrets: ['gateway-test-unsubscribe-secret-at-least-32-bytes'],
    clubs: createClubBrands(clubRegistry),
    outboxPollIntervalMs: 50,
    delivery: { pollIntervalMs: 200 },
    // Receivers started by the tests listen on loopback; three quick tries, then the dead letters.
    webhooks: {
      allowLocalEndpoints: true,
      // Woken when a message is queued or retried; the poll (every harness has one) finds the retries.
      dispatcher: {
        pollIntervalMs: 500,
        timeoutMs: 2_000,
        policy: { maxAttempts: 3, baseMs: 50, factor: 2, maxMs: 200 },
      },
    },
  });
  await migrate(db, { schema: notifications.schema, migrations: notifications.migrations });
  await notifications.start();
  const notificationTransport = createInMemoryTransport(notifications.register, log);

  const gatewayMemberTransport = options.wrapMemberTransport?.(memberTransport) ?? memberTransport;
  const access = await watchSessionRevocations(gatewayCache);
  const gateway = await createGateway({
    log: options.log ?? log,
    metrics: createMetrics({ service: 'gateway-test' }),
    clients: {
      clubRegistry: createRpcClient(ClubRegistryService, gatewayMemberTransport),
      auth: options.gatewayAuthTransport
        ? createRpcClient(AuthService, options.gatewayAuthTransport)
        : authClient,
      members: createRpcClient(MemberService, gatewayMemberTransport),
      directory: createRpcClient(ClubDirectoryService, gatewayMemberTransport),
      agreements: createRpcClient(AgreementService, reciprocalTransport),
      letters: createRpcClient(LetterService, reciprocalTransport),
      visits: createRpcClient(VisitService, reciprocalTransport),
      settlement: createRpcClient(SettlementService, reciprocalTransport),
      facilities: createRpcClient(FacilityService, clubTransport),
      bookings: createRpcClient(BookingService, clubTransport),
      clubEvents: createRpcClient(ClubEventService, clubTransport),
      analytics: createRpcClient(AnalyticsService, analyticsTransport),
      ledger: createRpcClient(LedgerService, ledgerTransport),
      notifications: createRpcClient(NotificationService, notificationTransport),
      webhooks: createRpcClient(WebhookService, notificationTransport),
      governance: createRpcClient(GovernanceService, governanceTransport),
      policies: createRpcClient(PolicyService, governanceTransport),
    },
    callerVerifier: withHankoCallers(
      createAccessTokenVerifier({
        jwks: () => auth.jwks(),
        issuer: settings.issuer,
        audience: settings.audience,
        isSessionRevoked: access.isRevoked,
        isAuthzOutdated: access.isOutdated,
      }),
      authClient,
      { accessChanges: access },
    ),
    accessChanges: access,
    readinessChecks: { db: () => db.ping() },
    events: bus,
    cache: gatewayCache,
    graphiql: false,
    ...options.gateway,
  });

  async function post(
    query: string,
    variables: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', ...headers },
      payload: { query, variables },
    });
    return { response, body: response.json() as GraphqlBody };
  }

  let adminToken: Promise<string> | undefined;
  /** The network administrator's token, bootstrapped once through the auth service's real bootstrap. */
  function networkAdminToken(): Promise<string> {
    adminToken ??= (async () => {
      const outcome = await auth.bootstrapNetworkAdmin(NETWORK_ADMIN);
      if (outcome.outcome !== 'created') throw new Error('the test network already had an administrator');
      const { body } = await post('mutation($input: LoginInput!) { login(input: $input) { token } }', {
        input: { email: NETWORK_ADMIN.email, password: NETWORK_ADMIN.password },
      });
      const token = body.data?.login?.token;
      if (typeof token !== 'string') throw new Error(`network admin login failed: ${JSON.stringify(body)}`);
      return token;
    })();
    return adminToken;
  }

  return {
    app: gateway.app,
    bus,
    markShuttingDown: gateway.markShuttingDown,
    subscriptionListenerCount: gateway.subscriptionListenerCount,
    db,
    cache,
    mailDir,
    /** Resolves once the auth service's work done after answering (reset emails) has finished. */
    settled: () => auth.settled(),
    clubRegistry,
    /** The ledger service behind the gateway (its port, for checks the API does not offer). */
    ledger,
    /** The governance service behind the gateway (runProposalSchedule). */
    governance,
    post,
    networkAdminToken,
    /** POST as the network administrator (who alone registers clubs). */
    async asNetworkAdmin(query: string, variables: Record<string, unknown> = {}) {
      return post(query, variables, { authorization: `Bearer ${await networkAdminToken()}` });
    },
    /** POST as the holder of `token`. */
    as(token: string) {
      return (query: string, variables: Record<string, unknown> = {}) =>
        post(query, variables, { authorization: `Bearer ${token}` });
    },
    async close() {
      await gateway.app.close();
      await access.close();
      await notifications.stop();
      await governance.stop();
      await analytics.stop();
      await clubOps.stop();
      await reciprocal.stop();
      await ledger.stop();
      await auth.stop();
      await member.stop();
      await bus.close();
      await db.close();
      if (gatewayCache !== cache) await gatewayCache.close();
      if (redisUrl) await cache.close();
      rmSync(mailDir, { recursive: true, force: true });
    },
  };
}

/** The test network's administrator: created by `networkAdminToken()` on first use. */
export const NETWORK_ADMIN = {
  email: 'network-admin@clubland.test',
  password: 'stewardship of the reciprocal network',
};

export type GatewayHarness = Awaited<ReturnType<typeof setupGateway>>;
