import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Principal, Role } from '@clubland/authz';
import { type Bus, createMemoryBus, type EventEnvelope } from '@clubland/bus';
import { createMemoryCache } from '@clubland/cache';
import { AuthService } from '@clubland/contract/auth/v1';
import { ClubRegistryService } from '@clubland/contract/member/v1';
import type { CallerContext } from '@clubland/contract/member/v1/caller';
import { ClubDirectoryService } from '@clubland/contract/member/v1/directory';
import { MemberService } from '@clubland/contract/member/v1/members';
import { type Db, migrate } from '@clubland/db';
import { createTestDb } from '@clubland/db/testing';
import { createFileNotifier } from '@clubland/notify';
import { createLoopbackTransport, createRpcClient } from '@clubland/rpc';
import type { Client } from '@connectrpc/connect';
import pino, { type Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
// The real auth service answers who an account is; the member service asks it over RPC.
import { createAuthService, createClubDirectory } from '../../auth/src/index.ts';
import { createAccountDirectory, createMemberService } from '../src/index.ts';

/**
 * The member service on a fresh database (PGlite, or a new PostgreSQL database when
 * DATABASE_URL is set), the in-process bus, and a real RPC client over the in-memory transport.
 * `published` collects every event the outbox relay delivers. The auth service it asks about
 * accounts (linking a record, erasing a linked one) is the real one on the same database, started
 * on first use; `account(clubId)` registers a real account there.
 */
export async function setupMemberService(options: { clock?: () => Date; cardTtlSeconds?: number } = {}) {
  const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
  const db = await createTestDb();
  const bus = createMemoryBus();
  let auth: Promise<AuthForMembers> | undefined;
  const authService = () => {
    auth ??= startAuthForMembers(db, bus, log, clubRegistry);
    return auth;
  };
  const accounts = createAccountDirectory({
    describeAccount: async (request) => (await authService()).client.describeAccount(request),
  });
  const service = await createMemberService({ db, bus, log, outboxPollIntervalMs: 50, accounts, ...options });
  await migrate(db, { schema: service.schema, migrations: service.migrations });
  await service.start();

  const published: EventEnvelope[] = [];
  const subscription = await bus.subscribe({
    consumer: 'member-test-observer',
    types: ['club.*', 'member.*'],
    handler: async (event) => {
      published.push(event);
    },
  });

  const transport = createLoopbackTransport(service.register, log);
  const clubRegistry = createRpcClient(ClubRegistryService, transport);
  let clubs = 0;
  let registered = 0;
  return {
    db,
    bus,
    service,
    published,
    clubRegistry,
    /** The auth service's accounts, for another instance of the service on the same database. */
    accounts,
    members: createRpcClient(MemberService, transport),
    directory: createRpcClient(ClubDirectoryService, transport),
    /** A new club with a unique slug; returns its id. */
    async seedClub(name?: string): Promise<string> {
      clubs += 1;
      const { club } = await clubRegistry.createClub({
        name: name ?? `Club ${clubs}`,
        slug: `club-${clubs}-${uuidv7().slice(-8)}`,
        caller: networkAdminCaller(),
      });
      return club!.id;
    },
    /**
     * A real account whose home club is `clubId` (it holds MEMBER there), registered with the
     * auth service, as the principal the gateway would pass for it.
     */
    async account(clubId: string): Promise<Principal> {
      registered += 1;
      const { user } = await (await authService()).client.register({
        meta: { accessToken: '', ip: `198.51.100.${registered % 250}`, userAgent: 'vitest (member tests)' },
        email: `member-${registered}-${randomUUID().slice(0, 8)}@example.org`,
        password: 'Correct-Horse-Battery-9',
        username: '',
        clubId,
        firstName: 'Linked',
        lastName: 'Account',
      });
      return principalWith('MEMBER', clubId, user!.id);
    },
    async close() {
      await subscription.close();
      await service.stop();
      if (auth) await (await auth).stop();
      await bus.close();
      await db.close();
    },
  };
}

interface AuthForMembers {
  client: Client<typeof AuthService>;
  stop(): Promise<void>;
}

/** The real auth service on the member service's database and bus, for accounts to link records to. */
async function startAuthForMembers(
  db: Db,
  bus: Bus,
  log: Logger,
  clubRegistry: ReturnType<typeof createRpcClient<typeof ClubRegistryService>>,
): Promise<AuthForMembers> {
  const mailDir = await mkdtemp(join(tmpdir(), 'clubland-member-mail-'));
  const auth = await createAuthService({
    db,
    bus,
    cache: createMemoryCache(),
    log,
    notifier: createFileNotifier({ dir: mailDir }),
    clubs: createClubDirectory(clubRegistry),
    settings: {
      issuer: 'clubland-member-test',
      audience: 'clubland-api',
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 86_400,
      keyRotationDays: 30,
      webauthn: { rpId: 'localhost', rpName: 'Clubland', origins: ['http://localhost:8080'] },
      hankoApiUrl: null,
      publicUrl: 'http://localhost:8080',
    },
    outboxPollIntervalMs: 50,
  });
  await migrate(db, { schema: auth.schema, migrations: auth.migrations });
  await auth.start();
  return {
    client: createRpcClient(AuthService, createLoopbackTransport(auth.register, log)),
    async stop() {
      await auth.stop();
      await rm(mailDir, { recursive: true, force: true });
    },
  };
}

export type MemberServiceHarness = Awaited<ReturnType<typeof setupMemberService>>;

/** A principal holding `role` at `clubId` (home club too), as the gateway would pass it. */
export function principalWith(role: Role, clubId: string | null, userId: string = uuidv7()): Principal {
  return { userId, sessionId: uuidv7(), homeClubId: clubId, grants: [{ role, clubId }], source: 'clubland' };
}

/** The CallerContext message the gateway builds from a principal. */
export function callerOf(principal: Principal): CallerContext {
  return {
    $typeName: 'clubland.member.v1.CallerContext',
    userId: principal.userId,
    sessionId: principal.sessionId ?? '',
    homeClubId: principal.homeClubId ?? '',
    grants: principal.grants.map((grant) => ({
      $typeName: 'clubland.member.v1.CallerGrant',
      role: grant.role,
      clubId: grant.clubId ?? '',
    })),
    source: principal.source,
  };
}

/** A network administrator as the gateway would pass them: only they register clubs. */
export function networkAdminCaller(userId: string = uuidv7()): CallerContext {
  return callerOf(principalWith('NETWORK_ADMIN', null, userId));
}

/** Polls until `check` passes (events leave through the outbox relay asynchronously); `check` may be async. */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
