import { z } from 'zod';
import { boolVar, enumVar, intVar, portVar, stringVar, urlVar } from './fields.ts';

/**
 * The development default of LEDGER_KEY_ENCRYPTION_KEY: public, so production refuses it
 * (refuseDevelopmentSecrets).
 */
export const DEVELOPMENT_LEDGER_KEY_ENCRYPTION_KEY = 'clubland-development-ledger-key-not-for-production';

/** Throws when a production configuration still holds a development secret. */
export function refuseDevelopmentSecrets(
  config: Pick<AppConfig, 'NODE_ENV' | 'LEDGER_KEY_ENCRYPTION_KEY'>,
): void {
  if (
    config.NODE_ENV === 'production' &&
    config.LEDGER_KEY_ENCRYPTION_KEY === DEVELOPMENT_LEDGER_KEY_ENCRYPTION_KEY
  )
    throw new Error(
      'LEDGER_KEY_ENCRYPTION_KEY is the development default, which everyone can read: set a secret of at least 32 characters',
    );
}

/**
 * The shared application configuration: every variable any service reads, in one place.
 * Add a variable here AND in `configDocs` below (a test checks they agree, defaults included).
 */
export const appConfigSchema = z.object({
  NODE_ENV: enumVar(['development', 'production', 'test'], 'development'),
  LOG_LEVEL: enumVar(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
  LOG_REQUESTS: boolVar(true),
  CLUBLAND_DATA_DIR: stringVar({ default: '.clubland/data' }),
  DATABASE_URL: urlVar({ protocols: ['postgres:', 'postgresql:'] }).optional(),
  DATABASE_OWNER_URL: urlVar({ protocols: ['postgres:', 'postgresql:'] }).optional(),
  DATABASE_POOL_SIZE: intVar({ min: 1, max: 1000, default: 10 }),
  NATS_URL: urlVar({ protocols: ['nats:', 'tls:'] }).optional(),
  NATS_STREAM: stringVar({ default: 'CLUBLAND' }),
  NATS_SUBJECT_PREFIX: stringVar({ default: 'clubland' }),
  REDIS_URL: urlVar({ protocols: ['redis:', 'rediss:'] }).optional(),
  REDIS_KEY_PREFIX: stringVar({ default: 'clubland:' }),
  GATEWAY_PORT: portVar(8080),
  HOST: stringVar({ default: '0.0.0.0' }),
  MEMBER_RPC_PORT: portVar(50051),
  MEMBER_HTTP_PORT: portVar(9101),
  MEMBER_SERVICE_URL: urlVar({ protocols: ['http:', 'https:'] }).optional(),
  PUBLIC_URL: urlVar({ protocols: ['http:', 'https:'] }).optional(),
  AUTH_RPC_PORT: portVar(50052),
  AUTH_HTTP_PORT: portVar(9102),
  AUTH_SERVICE_URL: urlVar({ protocols: ['http:', 'https:'] }).optional(),
  RECIPROCAL_RPC_PORT: portVar(50053),
  RECIPROCAL_HTTP_PORT: portVar(9103),
  RECIPROCAL_SERVICE_URL: urlVar({ protocols: ['http:', 'https:'] }).optional(),
  ANALYTICS_RPC_PORT: portVar(50058),
  ANALYTICS_HTTP_PORT: portVar(9108),
  ANALYTICS_SERVICE_URL: urlVar({ protocols: ['http:', 'https:'] }).optional(),
  CLUB_RPC_PORT: portVar(50055),
  CLUB_HTTP_PORT: portVar(9105),
  CLUB_SERVICE_URL: urlVar({ protocols: ['http:', 'https:'] }).optional(),
  NOTIFICATION_RPC_PORT: portVar(50056),
  NOTIFICATION_HTTP_PORT: portVar(9106),
  NOTIFICATION_SERVICE_URL: urlVar({ protocols: ['http:', 'https:'] }).optional(),
  GOVERNANCE_RPC_PORT: portVar(50057),
  GOVERNANCE_HTTP_PORT: portVar(9107),
  GOVERNANCE_SERVICE_URL: urlVar({ protocols: ['http:', 'https:'] }).optional(),
  GOVERNANCE_SCHEDULE_INTERVAL_MS: intVar({ min: 1000, max: 3_600_000, default: 30_000 }),
  LEDGER_RPC_PORT: portVar(50054),
  LEDGER_HTTP_PORT: portVar(9104),
  LEDGER_SERVICE_URL: urlVar({ protocols: ['http:', 'https:'] }).optional(),
  LEDGER_KEY_ENCRYPTION_KEY: stringVar({
    minLength: 32,
    secret: true,
    default: DEVELOPMENT_LEDGER_KEY_ENCRYPTION_KEY,
  }),
  LEDGER_BLOCK_MAX_ENTRIES: intVar({ min: 1, max: 100_000, default: 1000 }),
  LEDGER_BLOCK_INTERVAL_MS: intVar({ min: 10, max: 600_000, default: 1000 }),
  LEDGER: enumVar(['embedded', 'fabric'], 'embedded'),
  FABRIC_PEER_ENDPOINT: stringVar().optional(),
  FABRIC_PEER_HOST_ALIAS: stringVar().optional(),
  FABRIC_TLS_CERT_PATH: stringVar().optional(),
  FABRIC_MSP_ID: stringVar().optional(),
  FABRIC_CERT_PATH: stringVar().optional(),
  FABRIC_KEY_PATH: stringVar().optional(),
  FABRIC_CHANNEL: stringVar({ default: 'clubland' }),
  FABRIC_CHAINCODE: stringVar({ default: 'clubland-ledger' }),
  AUTH_ISSUER: stringVar({ default: 'clubland' }),
  AUTH_AUDIENCE: stringVar({ default: 'clubland-api' }),
  ACCESS_TOKEN_TTL_SECONDS: intVar({ min: 60, max: 86_400, default: 900 }),
  REFRESH_TOKEN_TTL_SECONDS: intVar({ min: 300, max: 31_536_000, default: 2_592_000 }),
  AUTH_KEY_ROTATION_DAYS: intVar({ min: 1, max: 365, default: 30 }),
  WEBAUTHN_RP_ID: stringVar({ default: 'localhost' }),
  WEBAUTHN_RP_NAME: stringVar({ default: 'Clubland' }),
  WEBAUTHN_ORIGINS: stringVar({ default: 'http://localhost:8080' }),
  HANKO_API_URL: urlVar({ protocols: ['http:', 'https:'] }).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: urlVar({ protocols: ['http:', 'https:'] }).optional(),
  OTEL_SERVICE_NAME: stringVar({ default: 'clubland' }),
  SHUTDOWN_TIMEOUT_MS: intVar({ min: 0, max: 600_000, default: 10_000 }),
  OUTBOX_POLL_INTERVAL_MS: intVar({ min: 10, max: 600_000, default: 1000 }),
  SMTP_URL: urlVar({ protocols: ['smtp:', 'smtps:'] }).optional(),
  EMAIL_FROM: stringVar({ default: 'Clubland <no-reply@clubland.invalid>' }),
  SMS_PROVIDER_URL: urlVar({ protocols: ['http:', 'https:'] }).optional(),
  SMS_ACCOUNT_SID: stringVar().optional(),
  SMS_AUTH_TOKEN: stringVar({ secret: true }).optional(),
  SMS_FROM: stringVar().optional(),
  PUSH_PROVIDER_URL: urlVar({ protocols: ['http:', 'https:'] }).optional(),
  PUSH_PROJECT_ID: stringVar().optional(),
  PUSH_ACCESS_TOKEN: stringVar({ secret: true }).optional(),
  WEBHOOK_ALLOW_LOCAL_ENDPOINTS: boolVar(false),
  NOTIFICATION_UNSUBSCRIBE_SECRETS: stringVar({ secret: true }).optional(),
  GRAPHIQL: boolVar().optional(),
  GRAPHQL_INTROSPECTION: boolVar().optional(),
  CORS_ORIGINS: stringVar().optional(),
  GATEWAY_TRUST_PROXY_HOPS: intVar({ min: 0, max: 10, default: 0 }),
  GATEWAY_BODY_LIMIT_BYTES: intVar({ min: 1024, max: 104_857_600, default: 1_048_576 }),
  GATEWAY_REQUEST_TIMEOUT_MS: intVar({ min: 0, max: 600_000, default: 30_000 }),
  GATEWAY_CONNECTION_TIMEOUT_MS: intVar({ min: 0, max: 3_600_000, default: 120_000 }),
  GATEWAY_WS_KEEPALIVE_MS: intVar({ min: 1000, max: 300_000, default: 15_000 }),
  GATEWAY_WS_INIT_TIMEOUT_MS: intVar({ min: 100, max: 60_000, default: 5000 }),
  GATEWAY_WS_MAX_PER_USER: intVar({ min: 1, max: 100_000, default: 20 }),
  GATEWAY_WS_MAX_PER_IP: intVar({ min: 1, max: 1_000_000, default: 500 }),
  GRAPHQL_MAX_DEPTH: intVar({ min: 1, max: 100, default: 10 }),
  GRAPHQL_MAX_COST: intVar({ min: 1, max: 10_000_000, default: 5000 }),
  GRAPHQL_MAX_ALIASES: intVar({ min: 0, max: 10_000, default: 30 }),
  GRAPHQL_MAX_DIRECTIVES: intVar({ min: 0, max: 10_000, default: 20 }),
  GRAPHQL_MAX_TOKENS: intVar({ min: 100, max: 1_000_000, default: 5000 }),
  RATE_LIMIT_WINDOW_SECONDS: intVar({ min: 1, max: 86_400, default: 60 }),
  RATE_LIMIT_ANONYMOUS: intVar({ min: 0, max: 100_000_000, default: 300 }),
  RATE_LIMIT_MEMBER: intVar({ min: 0, max: 100_000_000, default: 1200 }),
  RATE_LIMIT_STAFF: intVar({ min: 0, max: 100_000_000, default: 6000 }),
  RATE_LIMIT_PER_IP: intVar({ min: 0, max: 100_000_000, default: 30_000 }),
  CLUBLAND_BOOTSTRAP_ADMIN_EMAIL: stringVar({ minLength: 3 }).optional(),
  CLUBLAND_BOOTSTRAP_ADMIN_PASSWORD: stringVar({ minLength: 12, secret: true }).optional(),
  CLUBLAND_DEMO: boolVar(true),
});

export type AppConfig = z.output<typeof appConfigSchema>;

/**
 * Where people reach Clubland: `PUBLIC_URL`, or this machine's gateway when it is unset, so a
 * second instance on another `GATEWAY_PORT` mails links to itself rather than to the first.
 */
export function publicUrlOf(config: Pick<AppConfig, 'PUBLIC_URL' | 'GATEWAY_PORT'>): string {
  return config.PUBLIC_URL ?? `http://localhost:${config.GATEWAY_PORT}`;
}

export interface ConfigDoc {
  name: string;
  /** As it would be written in the environment; null when unset has a meaning of its own. */
  default: string | null;
  description: string;
}

/** The README's configuration table, as data. `renderConfigTable` prints it. */
export const configDocs: readonly ConfigDoc[] = [
  { name: 'NODE_ENV', default: 'development', description: '`development`, `production` or `test`' },
  {
    name: 'LOG_LEVEL',
    default: 'info',
    description: 'pino level: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`',
  },
  {
    name: 'LOG_REQUESTS',
    default: 'true',
    description:
      'one `info` line per gateway request (method, path without the query string, status, response time, correlation id); `false` = only failed requests are logged',
  },
  {
    name: 'CLUBLAND_DATA_DIR',
    default: '.clubland/data',
    description: 'embedded PGlite data and the local outbox (email/SMS) of the all-in-one mode',
  },
  {
    name: 'DATABASE_URL',
    default: null,
    description:
      'PostgreSQL (`postgres://` or `postgresql://`) as the application logs in: a role that is no superuser and owns no table (production refuses one that is); unset = embedded PGlite',
  },
  {
    name: 'DATABASE_OWNER_URL',
    default: null,
    description:
      'PostgreSQL as the owner of the schemas: migrations run on it, and it makes the role of `DATABASE_URL` a member of `clubland_app` (creating it if missing); unset = migrations run on `DATABASE_URL`. Read only with `DATABASE_URL`',
  },
  { name: 'DATABASE_POOL_SIZE', default: '10', description: 'PostgreSQL connections per process' },
  { name: 'NATS_URL', default: null, description: 'NATS JetStream (`nats://`); unset = in-process bus' },
  { name: 'NATS_STREAM', default: 'CLUBLAND', description: 'JetStream stream of domain events' },
  {
    name: 'NATS_SUBJECT_PREFIX',
    default: 'clubland',
    description: 'event subjects are `<prefix>.<type>`; the stream takes `<prefix>.>`',
  },
  {
    name: 'REDIS_URL',
    default: null,
    description: 'Redis (`redis://` or `rediss://`); unset = in-memory cache',
  },
  { name: 'REDIS_KEY_PREFIX', default: 'clubland:', description: 'prefix of every Redis key' },
  { name: 'GATEWAY_PORT', default: '8080', description: 'HTTP port of the gateway (GraphQL, REST)' },
  {
    name: 'HOST',
    default: '0.0.0.0',
    description:
      'interface every server of this process listens on (all, in production too, as containers need; `127.0.0.1` keeps one machine private)',
  },
  { name: 'MEMBER_RPC_PORT', default: '50051', description: 'gRPC/Connect port of the member service' },
  {
    name: 'MEMBER_HTTP_PORT',
    default: '9101',
    description: '`/health`, `/ready`, `/metrics` of the member service when it runs alone',
  },
  {
    name: 'MEMBER_SERVICE_URL',
    default: null,
    description:
      'where other services reach the member service, e.g. `http://member:50051`; unset = in-memory transport (all-in-one)',
  },
  {
    name: 'PUBLIC_URL',
    default: null,
    description:
      'where people reach Clubland; links in emails (verification, reset, invitation) point here; unset = `http://localhost:<GATEWAY_PORT>`. Set it when people reach the gateway by another name (a domain, a proxy) or a front end serves those pages',
  },
  { name: 'AUTH_RPC_PORT', default: '50052', description: 'gRPC/Connect port of the auth service' },
  {
    name: 'AUTH_HTTP_PORT',
    default: '9102',
    description: '`/health`, `/ready`, `/metrics` of the auth service when it runs alone',
  },
  {
    name: 'AUTH_SERVICE_URL',
    default: null,
    description:
      'where other services reach the auth service, e.g. `http://auth:50052`; unset = in-memory transport',
  },
  {
    name: 'RECIPROCAL_RPC_PORT',
    default: '50053',
    description: 'gRPC/Connect port of the reciprocal service',
  },
  {
    name: 'RECIPROCAL_HTTP_PORT',
    default: '9103',
    description: '`/health`, `/ready`, `/metrics` of the reciprocal service when it runs alone',
  },
  {
    name: 'RECIPROCAL_SERVICE_URL',
    default: null,
    description:
      'where the gateway reaches the reciprocal service (agreements, letters, visits, settlement), e.g. `http://reciprocal:50053`; unset = in-memory transport (all-in-one)',
  },
  {
    name: 'ANALYTICS_RPC_PORT',
    default: '50058',
    description: 'gRPC/Connect port of the analytics service (club and network reports)',
  },
  {
    name: 'ANALYTICS_HTTP_PORT',
    default: '9108',
    description: '`/health`, `/ready`, `/metrics` of the analytics service when it runs alone',
  },
  {
    name: 'ANALYTICS_SERVICE_URL',
    default: null,
    description:
      'where the gateway reaches the analytics service, e.g. `http://analytics:50058`; unset = in-memory transport (all-in-one)',
  },
  {
    name: 'CLUB_RPC_PORT',
    default: '50055',
    description: 'gRPC/Connect port of the club service (facilities, bookings, events)',
  },
  {
    name: 'CLUB_HTTP_PORT',
    default: '9105',
    description: '`/health`, `/ready`, `/metrics` of the club service when it runs alone',
  },
  {
    name: 'CLUB_SERVICE_URL',
    default: null,
    description:
      'where the gateway reaches the club service (facilities, bookings, events and RSVPs), e.g. `http://club:50055`; unset = in-memory transport (all-in-one)',
  },
  {
    name: 'NOTIFICATION_RPC_PORT',
    default: '50056',
    description: 'gRPC/Connect port of the notification service (inbox, sends, templates, preferences)',
  },
  {
    name: 'NOTIFICATION_HTTP_PORT',
    default: '9106',
    description: '`/health`, `/ready`, `/metrics` of the notification service when it runs alone',
  },
  {
    name: 'NOTIFICATION_SERVICE_URL',
    default: null,
    description:
      'where the gateway reaches the notification service, e.g. `http://notification:50056`; unset = in-memory transport (all-in-one)',
  },
  {
    name: 'GOVERNANCE_RPC_PORT',
    default: '50057',
    description: 'gRPC/Connect port of the governance service (network proposals and votes)',
  },
  {
    name: 'GOVERNANCE_HTTP_PORT',
    default: '9107',
    description: '`/health`, `/ready`, `/metrics` of the governance service when it runs alone',
  },
  {
    name: 'GOVERNANCE_SERVICE_URL',
    default: null,
    description:
      'where the gateway reaches the governance service, e.g. `http://governance:50057`; unset = in-memory transport (all-in-one)',
  },
  {
    name: 'GOVERNANCE_SCHEDULE_INTERVAL_MS',
    default: '30000',
    description:
      'how often the governance service closes the votes whose end time has passed (and expires proposals never opened)',
  },
  { name: 'LEDGER_RPC_PORT', default: '50054', description: 'gRPC/Connect port of the ledger service' },
  {
    name: 'LEDGER_HTTP_PORT',
    default: '9104',
    description: '`/health`, `/ready`, `/metrics` of the ledger service when it runs alone',
  },
  {
    name: 'LEDGER_SERVICE_URL',
    default: null,
    description:
      'where the gateway reaches the ledger service (proofs, transactions), e.g. `http://ledger:50054`; unset = in-memory transport (all-in-one)',
  },
  {
    name: 'LEDGER_KEY_ENCRYPTION_KEY',
    default: DEVELOPMENT_LEDGER_KEY_ENCRYPTION_KEY,
    description:
      "seals each club's Ed25519 ledger signing key (AES-256-GCM, key derived with HKDF); at least 32 characters. Production refuses the development default",
  },
  {
    name: 'LEDGER_BLOCK_MAX_ENTRIES',
    default: '1000',
    description: 'the embedded ledger seals a block once this many entries wait...',
  },
  {
    name: 'LEDGER_BLOCK_INTERVAL_MS',
    default: '1000',
    description: '...or this often with whatever waits',
  },
  {
    name: 'LEDGER',
    default: 'embedded',
    description:
      'where ledger entries go: `embedded` (blocks in the ledger schema) or `fabric` (a Hyperledger Fabric channel, through `FABRIC_*`; `npm run fabric:up` writes them)',
  },
  {
    name: 'FABRIC_PEER_ENDPOINT',
    default: null,
    description:
      '`host:port` of the peer whose Gateway the ledger uses (LEDGER=fabric), e.g. `127.0.0.1:7051`',
  },
  {
    name: 'FABRIC_PEER_HOST_ALIAS',
    default: null,
    description:
      "the name the peer's TLS certificate is checked against when it is not the endpoint's host, e.g. `localhost`",
  },
  {
    name: 'FABRIC_TLS_CERT_PATH',
    default: null,
    description: "PEM file of the CA that signed the peer's TLS certificate",
  },
  {
    name: 'FABRIC_MSP_ID',
    default: null,
    description: "the client identity's organisation (MSP id), e.g. `Org1MSP`",
  },
  {
    name: 'FABRIC_CERT_PATH',
    default: null,
    description: "PEM file of the client identity's X.509 certificate",
  },
  { name: 'FABRIC_KEY_PATH', default: null, description: "PEM file of the client identity's private key" },
  { name: 'FABRIC_CHANNEL', default: 'clubland', description: 'the Fabric channel holding the ledger' },
  {
    name: 'FABRIC_CHAINCODE',
    default: 'clubland-ledger',
    description: "the ledger chaincode's name on the channel",
  },
  { name: 'AUTH_ISSUER', default: 'clubland', description: '`iss` of the access tokens we sign' },
  { name: 'AUTH_AUDIENCE', default: 'clubland-api', description: '`aud` of the access tokens we sign' },
  { name: 'ACCESS_TOKEN_TTL_SECONDS', default: '900', description: 'access-token lifetime (15 minutes)' },
  {
    name: 'REFRESH_TOKEN_TTL_SECONDS',
    default: '2592000',
    description: 'refresh-token (session) lifetime without use (30 days)',
  },
  {
    name: 'AUTH_KEY_ROTATION_DAYS',
    default: '30',
    description: 'age at which the token-signing key is replaced; old keys verify until their tokens expire',
  },
  {
    name: 'WEBAUTHN_RP_ID',
    default: 'localhost',
    description: "passkey relying-party id (the site's domain)",
  },
  {
    name: 'WEBAUTHN_RP_NAME',
    default: 'Clubland',
    description: 'relying-party name shown by authenticators',
  },
  {
    name: 'WEBAUTHN_ORIGINS',
    default: 'http://localhost:8080',
    description: 'comma-separated origins passkey ceremonies may come from (web and app origins)',
  },
  {
    name: 'HANKO_API_URL',
    default: null,
    description: 'a Hanko instance whose tokens are accepted (verified against its JWKS); unset = off',
  },
  {
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    default: null,
    description: 'OTLP/HTTP collector base URL, e.g. `http://otel-collector:4318`; unset = tracing off',
  },
  { name: 'OTEL_SERVICE_NAME', default: 'clubland', description: 'service name on exported traces' },
  {
    name: 'SHUTDOWN_TIMEOUT_MS',
    default: '10000',
    description: 'how long a stopping process drains before it exits anyway',
  },
  {
    name: 'OUTBOX_POLL_INTERVAL_MS',
    default: '1000',
    description: 'how often the outbox relay looks for unpublished events',
  },
  {
    name: 'SMTP_URL',
    default: null,
    description:
      'the notification service sends email over this SMTP server, e.g. `smtps://user:pass@smtp.example.com:465` (its query sets nodemailer options, e.g. `?maxConnections=20`); unset = the local outbox (`CLUBLAND_DATA_DIR/outbox/mail`)',
  },
  {
    name: 'EMAIL_FROM',
    default: 'Clubland <no-reply@clubland.invalid>',
    description: 'the From of every email',
  },
  {
    name: 'SMS_PROVIDER_URL',
    default: null,
    description:
      'a Twilio-style Messages API for SMS, e.g. `https://api.twilio.com`, with `SMS_ACCOUNT_SID`, `SMS_AUTH_TOKEN` and `SMS_FROM` (all four or none); unset = no SMS channel',
  },
  {
    name: 'SMS_ACCOUNT_SID',
    default: null,
    description: 'the SMS account: the path’s account and the basic-auth user',
  },
  {
    name: 'SMS_AUTH_TOKEN',
    default: null,
    description: 'the SMS account’s auth token (basic-auth password); a secret',
  },
  {
    name: 'SMS_FROM',
    default: null,
    description: 'the sending number (E.164) or messaging service SID (`MG…`)',
  },
  {
    name: 'PUSH_PROVIDER_URL',
    default: null,
    description:
      'an FCM-style HTTP v1 API for push, e.g. `https://fcm.googleapis.com`, with `PUSH_PROJECT_ID` and `PUSH_ACCESS_TOKEN` (all three or none); unset = no push channel',
  },
  { name: 'PUSH_PROJECT_ID', default: null, description: 'the push project (FCM: the Firebase project id)' },
  {
    name: 'PUSH_ACCESS_TOKEN',
    default: null,
    description: 'the push API’s OAuth 2.0 bearer token; a secret',
  },
  {
    name: 'WEBHOOK_ALLOW_LOCAL_ENDPOINTS',
    default: 'false',
    description:
      'let clubs register `http://` webhook endpoints and endpoints on loopback or private addresses (development only: otherwise public `https://` only)',
  },
  {
    name: 'NOTIFICATION_UNSUBSCRIBE_SECRETS',
    default: null,
    description:
      "comma-separated secrets (each at least 32 bytes) of the notification service: they sign the unsubscribe links in its emails and, through a key derived for that purpose, seal clubs' webhook secrets at rest. The first signs and seals, all verify and open, so a new one goes first and the old stays until its links expire (90 days); the service re-seals webhook secrets under the new one at its next start. Unset: generated once and kept in `CLUBLAND_DATA_DIR` (refused in production); a secret",
  },
  {
    name: 'GRAPHIQL',
    default: null,
    description: 'the GraphiQL page at `/graphiql` (`true`/`false`); unset = on unless `NODE_ENV=production`',
  },
  {
    name: 'GRAPHQL_INTROSPECTION',
    default: null,
    description: 'GraphQL schema introspection (`true`/`false`); unset = on unless `NODE_ENV=production`',
  },
  {
    name: 'CORS_ORIGINS',
    default: null,
    description:
      'comma-separated browser origins allowed to call the gateway, e.g. `https://app.example.org`; unset = none',
  },
  {
    name: 'GATEWAY_TRUST_PROXY_HOPS',
    default: '0',
    description:
      'proxies in front of the gateway whose `X-Forwarded-For` is believed for the client address (per-IP limits)',
  },
  {
    name: 'GATEWAY_BODY_LIMIT_BYTES',
    default: '1048576',
    description: 'largest request body the gateway reads; larger is `PAYLOAD_TOO_LARGE` (413)',
  },
  {
    name: 'GATEWAY_REQUEST_TIMEOUT_MS',
    default: '30000',
    description: 'time a client has to send a whole request (slow senders are cut off); 0 = none',
  },
  {
    name: 'GATEWAY_CONNECTION_TIMEOUT_MS',
    default: '120000',
    description: 'idle socket timeout of the gateway; 0 = none',
  },
  {
    name: 'GATEWAY_WS_KEEPALIVE_MS',
    default: '15000',
    description:
      "WebSocket keep-alive interval; a peer that misses a whole interval of protocol pings is disconnected, and every socket's token is checked again",
  },
  {
    name: 'GATEWAY_WS_INIT_TIMEOUT_MS',
    default: '5000',
    description: 'a WebSocket that has not sent `connection_init` by then is closed (4408)',
  },
  {
    name: 'GATEWAY_WS_MAX_PER_USER',
    default: '20',
    description: 'open WebSockets one account may hold on one gateway instance; the next is closed (4429)',
  },
  {
    name: 'GATEWAY_WS_MAX_PER_IP',
    default: '500',
    description:
      'open WebSockets one client address may hold on one gateway instance; the next upgrade is refused (429)',
  },
  { name: 'GRAPHQL_MAX_DEPTH', default: '10', description: 'deepest selection nesting a query may have' },
  {
    name: 'GRAPHQL_MAX_COST',
    default: '5000',
    description:
      'most fields a query may select, each list counted as its page size (unknown: 20) times its fields',
  },
  { name: 'GRAPHQL_MAX_ALIASES', default: '30', description: 'most aliases in one GraphQL document' },
  { name: 'GRAPHQL_MAX_DIRECTIVES', default: '20', description: 'most directives in one GraphQL document' },
  { name: 'GRAPHQL_MAX_TOKENS', default: '5000', description: 'most lexical tokens in one GraphQL document' },
  {
    name: 'RATE_LIMIT_WINDOW_SECONDS',
    default: '60',
    description: 'the window the `RATE_LIMIT_*` counts are per (fixed window, counted in the cache)',
  },
  {
    name: 'RATE_LIMIT_ANONYMOUS',
    default: '300',
    description: 'gateway requests per window per IP address without a valid token; 0 = unlimited',
  },
  {
    name: 'RATE_LIMIT_MEMBER',
    default: '1200',
    description: 'gateway requests per window per signed-in user with only MEMBER roles; 0 = unlimited',
  },
  {
    name: 'RATE_LIMIT_STAFF',
    default: '6000',
    description:
      'gateway requests per window per user with STAFF, CLUB_ADMIN or NETWORK_ADMIN; 0 = unlimited',
  },
  {
    name: 'RATE_LIMIT_PER_IP',
    default: '30000',
    description: 'gateway requests per window per IP address, signed in or not; 0 = unlimited',
  },
  {
    name: 'CLUBLAND_BOOTSTRAP_ADMIN_EMAIL',
    default: null,
    description:
      'with the password below, creates the first network administrator at start-up, once, only while none exists (otherwise ignored with a warning)',
  },
  {
    name: 'CLUBLAND_BOOTSTRAP_ADMIN_PASSWORD',
    default: null,
    description: 'that administrator’s password (12+ characters; never logged)',
  },
  {
    name: 'CLUBLAND_DEMO',
    default: 'true',
    description:
      '`npm start` on embedded defaults and an empty data directory seeds the demo network; `false` (or `start --no-demo`) turns it off. Never with `DATABASE_URL`, never with `NODE_ENV=production`',
  },
];

/** The Markdown table for the README, generated so it cannot drift from the schema. */
export function renderConfigTable(docs: readonly ConfigDoc[] = configDocs): string {
  const rows = docs.map(
    (d) => `| \`${d.name}\` | ${d.default === null ? '(unset)' : `\`${d.default}\``} | ${d.description} |`,
  );
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}
