import {
  type AccessTokenVerifier,
  authzVersions,
  createAccessTokenVerifier,
  sessionRevocations,
} from '@clubland/authz';
import { type Bus, createOutboxRelay, outboxMigrationSql, type Subscription } from '@clubland/bus';
import type { Cache } from '@clubland/cache';
import { clubScopedTableSql, type Db, loadMigrations, type Migration } from '@clubland/db';
import type { Logger } from '@clubland/log';
import type { Notifier } from '@clubland/notify';
import type { RegisterRoutes } from '@clubland/rpc';
import { v7 as uuidv7 } from 'uuid';
import { createBackgroundWork } from './app/background.ts';
import { bootstrapNetworkAdmin, type NetworkAdminBootstrap } from './app/bootstrap-network-admin.ts';
import { followClubMemberships } from './app/club-memberships.ts';
import { AUTH_SCHEMA, type AuthDeps, type AuthSettings, type ClubDirectory } from './app/deps.ts';
import { createLoginHandles } from './app/login-handles.ts';
import { followMemberErasures } from './app/member-erasure.ts';
import {
  type AuthRateLimitSettings,
  createAuthRateLimits,
  type SignInThrottleSettings,
} from './app/rate-limits.ts';
import { createSigningKeys } from './app/signing-keys.ts';
import { registerAuthRpc } from './rpc.ts';

export { countAccountsAtDomain } from './app/accounts-at-domain.ts';
export type { BootstrapOutcome, NetworkAdminBootstrap } from './app/bootstrap-network-admin.ts';
export type { AuthSettings, ClubDirectory, ClubSummary } from './app/deps.ts';
export {
  type AuthRateLimitSettings,
  defaultRateLimits,
  defaultSignInThrottles,
  type SignInThrottleSettings,
} from './app/rate-limits.ts';
export { type ClubRegistryClient, createClubDirectory } from './club-directory.ts';

export interface AuthServiceOptions {
  db: Db;
  bus: Bus;
  /** Rate limits and the revoked-session list; Redis in the distributed mode so they hold across instances. */
  cache: Cache;
  log: Logger;
  /** Verification and reset emails; the file notifier (`<CLUBLAND_DATA_DIR>/outbox/mail`) by default. */
  notifier: Notifier;
  /** The member service's club registry (createClubDirectory over its RPC client). */
  clubs: ClubDirectory;
  settings: AuthSettings;
  rateLimits?: Partial<AuthRateLimitSettings>;
  /** Password sign-in throttles (growing delays on failures); defaults in rate-limits.ts. */
  signInThrottles?: Partial<SignInThrottleSettings>;
  outboxPollIntervalMs?: number;
  /** How often a running instance checks whether the signing key is due for rotation. */
  keyRotationCheckIntervalMs?: number;
  clock?: () => Date;
  newId?: () => string;
}

/**
 * The auth service, wired: its schema's migrations, its RPC routes, its outbox relay, its signing
 * keys, and a verifier of its own access tokens (with the revocation list) for in-process use.
 */
export async function createAuthService(options: AuthServiceOptions) {
  const clock = options.clock ?? (() => new Date());
  const relay = createOutboxRelay({
    db: options.db,
    bus: options.bus,
    schema: AUTH_SCHEMA,
    log: options.log,
    pollIntervalMs: options.outboxPollIntervalMs ?? 1000,
  });
  const keys = createSigningKeys({ db: options.db, clock, settings: options.settings });
  const verifier: AccessTokenVerifier = createAccessTokenVerifier({
    jwks: () => keys.jwks(),
    issuer: options.settings.issuer,
    audience: options.settings.audience,
    isSessionRevoked: sessionRevocations(options.cache).isRevoked,
    isAuthzOutdated: authzVersions(options.cache).isOutdated,
    clock: () => clock().getTime(),
  });
  const deps: AuthDeps = {
    db: options.db,
    cache: options.cache,
    notifier: options.notifier,
    clubs: options.clubs,
    settings: options.settings,
    clock,
    newId: options.newId ?? uuidv7,
    log: options.log,
    verifier,
    limits: createAuthRateLimits(options.cache, options.rateLimits, options.signInThrottles),
    keys,
    loginHandles: createLoginHandles(options.db, clock),
    eventsWritten: () => relay.notify(),
    background: createBackgroundWork(options.log),
  };
  const register: RegisterRoutes = (router) => registerAuthRpc(router, deps);
  let rotationTimer: NodeJS.Timeout | undefined;
  let memberships: Subscription | undefined;
  let erasures: Subscription | undefined;

  async function rotateSigningKeys(): Promise<'created' | 'rotated' | 'kept'> {
    const outcome = await keys.rotateIfDue();
    if (outcome !== 'kept') options.log.info({ outcome }, 'auth signing key changed');
    return outcome;
  }

  return {
    name: 'auth' as const,
    schema: AUTH_SCHEMA,
    migrations: await authMigrations(),
    register,
    /**
     * Creates the first signing key (or rotates a due one), then starts the outbox relay, the
     * rotation check and the consumers of the member service's membership records and erasures.
     */
    async start(): Promise<void> {
      await rotateSigningKeys();
      relay.start();
      memberships = await followClubMemberships(deps, options.bus);
      erasures = await followMemberErasures(deps, options.bus);
      rotationTimer = setInterval(
        () => {
          rotateSigningKeys().catch((error: unknown) =>
            options.log.error({ err: error }, 'auth signing key rotation failed'),
          );
        },
        options.keyRotationCheckIntervalMs ?? 60 * 60 * 1000,
      );
      rotationTimer.unref();
    },
    /** Finishes the work started after answering, publishes what the outbox still holds, then stops. */
    async stop(): Promise<void> {
      clearInterval(rotationTimer);
      await deps.background.settled();
      await memberships?.close();
      await erasures?.close();
      await relay.stop();
    },
    /** Resolves once the work started after answering (reset emails) has finished; for tests and drains. */
    settled: () => deps.background.settled(),
    /** The public keys (JWKS) that verify our access tokens: serve at /.well-known/jwks.json. */
    jwks: () => keys.jwks(),
    /** Verifies this service's access tokens, revocation list included; for the in-process gateway. */
    verifier,
    /** Rotates now if the active key is older than keyRotationDays (the timer does this hourly). */
    rotateSigningKeys,
    /**
     * Creates the first network administrator, only while none exists (`admin_exists` otherwise,
     * and nothing changes). In-process only, never an RPC: the operator's console and start-up call it.
     */
    bootstrapNetworkAdmin: (input: NetworkAdminBootstrap) => bootstrapNetworkAdmin(deps, input),
  };
}

export type AuthService = Awaited<ReturnType<typeof createAuthService>>;

/**
 * Tables whose rows each belong to a club, by the migration that scopes them: each gets the
 * club-scope template (a club's transaction sees only its rows, the network's all of them; see
 * clubScopedTableSql) appended to that migration's SQL.
 */
const CLUB_SCOPED_TABLES: Readonly<Record<number, readonly string[]>> = {
  7: ['role_grants', 'club_invitations', 'club_memberships'],
};

export async function authMigrations(): Promise<Migration[]> {
  const loaded = await loadMigrations(new URL('./store/migrations/', import.meta.url));
  return [
    { version: 1, name: 'outbox', sql: outboxMigrationSql(AUTH_SCHEMA) },
    ...loaded.map((migration) => ({
      ...migration,
      sql:
        migration.sql +
        (CLUB_SCOPED_TABLES[migration.version] ?? [])
          .map((table) => clubScopedTableSql(AUTH_SCHEMA, table))
          .join(''),
    })),
  ];
}
