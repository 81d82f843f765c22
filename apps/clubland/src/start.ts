import type { AppConfig } from '@clubland/config';
import { ClubRegistryService } from '@clubland/contract/member/v1';
import { createGateway } from '@clubland/gateway';
import { createLogger } from '@clubland/log';
import { createMemberService } from '@clubland/member-service';
import {
  createInMemoryTransport,
  createRemoteTransport,
  createRpcClient,
  startRpcServer,
} from '@clubland/rpc';
import { createMetrics, registerOpsRoutes, startTracing } from '@clubland/telemetry';
import type { Transport } from '@connectrpc/connect';
import Fastify, { type FastifyBaseLogger, LogController } from 'fastify';
import type { Logger } from 'pino';
import { openBus, openCache, openDb } from './infrastructure.ts';
import { migrateAll } from './migrate.ts';
import { createShutdown, type Shutdown } from './shutdown.ts';

export const SERVICE_NAMES = ['gateway', 'member'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/**
 * `clubland start`: every service in this process, talking over in-memory transports.
 * `clubland start --service <name>`: one service, talking to the others over gRPC.
 * Both run the same service code; only the transports and adapters differ.
 */
export async function runStart(config: AppConfig, which: ServiceName | 'all'): Promise<void> {
  const serviceName = which === 'all' ? 'clubland' : which;
  const log = createLogger({ service: serviceName, level: config.LOG_LEVEL });
  const shutdown = createShutdown(log, config.SHUTDOWN_TIMEOUT_MS);
  try {
    const tracing = await startTracing({
      endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
      serviceName: `${config.OTEL_SERVICE_NAME}-${serviceName}`,
    });
    shutdown.add('tracing', () => tracing.shutdown());
    if (which === 'all') await startAllInOne(config, log, shutdown);
    if (which === 'member') await startMemberAlone(config, log, shutdown);
    if (which === 'gateway') await startGatewayAlone(config, log, shutdown);
  } catch (error) {
    await shutdown.closeAll();
    throw error;
  }
  shutdown.onSignals();
}

async function startAllInOne(config: AppConfig, log: Logger, shutdown: Shutdown): Promise<void> {
  const db = await openDb(config);
  shutdown.add('database', () => db.close());
  await migrateAll(db);
  const bus = await openBus(config, log);
  shutdown.add('bus', () => bus.close());
  const cache = await openCache(config);
  shutdown.add('cache', () => cache.close());

  const member = await createMemberService({
    db,
    bus,
    log: log.child({ service: 'member' }),
    outboxPollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
  });
  await member.start();
  shutdown.add('member', () => member.stop());

  const transport = createInMemoryTransport(member.register, log);
  await listenGateway(config, log, shutdown, transport, {
    db: () => db.ping(),
    bus: () => bus.ping(),
    cache: () => cache.ping(),
  });
}

async function startMemberAlone(config: AppConfig, log: Logger, shutdown: Shutdown): Promise<void> {
  const db = await openDb(config);
  shutdown.add('database', () => db.close());
  await migrateAll(db, 'member');
  const bus = await openBus(config, log);
  shutdown.add('bus', () => bus.close());

  const member = await createMemberService({
    db,
    bus,
    log,
    outboxPollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
  });
  await member.start();
  shutdown.add('member', () => member.stop());

  const rpc = await startRpcServer({
    register: member.register,
    host: config.HOST,
    port: config.MEMBER_RPC_PORT,
    log,
  });
  shutdown.add('rpc server', () => rpc.close());

  // /health, /ready and /metrics on a plain HTTP/1.1 port, for probes and Prometheus.
  const metrics = createMetrics({ service: 'member' });
  const loggerInstance: FastifyBaseLogger = log;
  const ops = Fastify({ loggerInstance, logController: new LogController({ disableRequestLogging: true }) });
  const probes = registerOpsRoutes(ops, {
    metrics,
    readinessChecks: { db: () => db.ping(), bus: () => bus.ping() },
  });
  await ops.listen({ host: config.HOST, port: config.MEMBER_HTTP_PORT });
  // Registered after the RPC server, so it closes first: not-ready before the RPC port goes away.
  shutdown.add('ops server', async () => {
    probes.markShuttingDown();
    await ops.close();
  });
  log.info({ rpcPort: rpc.port, httpPort: config.MEMBER_HTTP_PORT }, 'member service listening');
}

async function startGatewayAlone(config: AppConfig, log: Logger, shutdown: Shutdown): Promise<void> {
  if (!config.MEMBER_SERVICE_URL) {
    throw new Error('MEMBER_SERVICE_URL must be set when the gateway runs alone (e.g. http://member:50051)');
  }
  const cache = await openCache(config);
  shutdown.add('cache', () => cache.close());
  const transport = createRemoteTransport(config.MEMBER_SERVICE_URL);
  const clubRegistry = createRpcClient(ClubRegistryService, transport);
  await listenGateway(config, log, shutdown, transport, {
    cache: () => cache.ping(),
    // Ready only when the member service answers: a cheap call with no ids.
    member: async () => {
      await clubRegistry.batchGetClubs({ ids: [] }, { timeoutMs: 1000 });
    },
  });
}

async function listenGateway(
  config: AppConfig,
  log: Logger,
  shutdown: Shutdown,
  memberTransport: Transport,
  readinessChecks: Record<string, () => Promise<void>>,
): Promise<void> {
  const gateway = await createGateway({
    log,
    metrics: createMetrics({ service: 'gateway' }),
    clients: { clubRegistry: createRpcClient(ClubRegistryService, memberTransport) },
    readinessChecks,
    graphiql: config.NODE_ENV !== 'production',
  });
  await gateway.app.listen({ host: config.HOST, port: config.GATEWAY_PORT });
  shutdown.add('gateway', async () => {
    gateway.markShuttingDown();
    await gateway.app.close();
  });
  log.info({ url: `http://localhost:${config.GATEWAY_PORT}/graphql` }, 'Clubland gateway listening');
}
