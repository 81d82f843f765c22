import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventEnvelope } from '@clubland/bus';
import { type Cache, createMemoryCache } from '@clubland/cache';
import { createRedisCache } from '@clubland/cache/redis';
import { AuthService } from '@clubland/contract/auth/v1';
import { migrate } from '@clubland/db';
import { createFileNotifier, readOutbox, type StoredMessage } from '@clubland/notify';
import { createLoopbackTransport, createRpcClient } from '@clubland/rpc';
import { Redis } from 'ioredis';
import pino from 'pino';
import { networkAdminCaller, setupMemberService } from '../../member/test/setup.ts';
import type { AuthRateLimitSettings, SignInThrottleSettings } from '../src/app/rate-limits.ts';
import { type AuthSettings, createAuthService, createClubDirectory } from '../src/index.ts';

/** A clock the test moves by hand; every part of the service (and the token verifier) reads it. */
export function createTestClock(start = new Date('2031-03-01T09:00:00Z')) {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

export const testSettings: AuthSettings = {
  issuer: 'https://auth.clubland.test',
  audience: 'clubland',
  accessTokenTtlSeconds: 15 * 60,
  refreshTokenTtlSeconds: 30 * 24 * 60 * 60,
  keyRotationDays: 30,
  webauthn: { rpId: 'clubland.test', rpName: 'Clubland', origins: ['https://clubland.test'] },
  hankoApiUrl: null,
  publicUrl: 'https://app.clubland.test',
};

export interface AuthHarnessOptions {
  settings?: Partial<AuthSettings>;
  rateLimits?: Partial<AuthRateLimitSettings>;
  signInThrottles?: Partial<SignInThrottleSettings>;
  /** The cache in place of the memory one (or the REDIS_URL one); the harness does not close it. */
  cache?: Cache;
}

/**
 * The auth service on a fresh database (PGlite, or a new PostgreSQL database with DATABASE_URL),
 * beside the real member service (its club registry is the ClubDirectory), the memory cache (or
 * Redis under a unique prefix with REDIS_URL), a file notifier in a temporary folder, a hand-moved
 * clock, and a real RPC client over the in-memory transport. One active club, `club`, exists.
 */
export async function setupAuthService(options: AuthHarnessOptions = {}) {
  const log = pino({ level: process.env.AUTH_TEST_LOG_LEVEL ?? 'silent' });
  const member = await setupMemberService();
  const clock = createTestClock();
  const outboxDir = await mkdtemp(join(tmpdir(), 'clubland-auth-mail-'));
  const cachePrefix = `test:auth:${randomUUID()}:`;
  const ownsCache = options.cache === undefined;
  const cache: Cache =
    options.cache ??
    (process.env.REDIS_URL
      ? createRedisCache({ url: process.env.REDIS_URL, keyPrefix: cachePrefix })
      : createMemoryCache());
  const settings = { ...testSettings, ...options.settings };

  const service = await createAuthService({
    db: member.db,
    bus: member.bus,
    cache,
    log,
    notifier: createFileNotifier({ dir: outboxDir, clock: clock.now }),
    clubs: createClubDirectory(member.clubRegistry),
    settings,
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
    ...(options.signInThrottles ? { signInThrottles: options.signInThrottles } : {}),
    clock: clock.now,
    outboxPollIntervalMs: 50,
  });
  await migrate(member.db, { schema: service.schema, migrations: service.migrations });
  await service.start();

  const published: EventEnvelope[] = [];
  const subscription = await member.bus.subscribe({
    consumer: `auth-test-observer-${randomUUID()}`,
    types: ['user.*'],
    handler: async (event) => {
      published.push(event);
    },
  });

  const club = await createClub(member, 'reform');
  const transport = createLoopbackTransport(service.register, log);
  const auth = createRpcClient(AuthService, transport);

  return {
    db: member.db,
    cache,
    service,
    auth,
    member,
    club,
    clock,
    settings,
    published,
    createClub: (slug: string) => createClub(member, slug),
    /** The emails sent so far, oldest first (once the work started after answering is done). */
    async outbox(): Promise<StoredMessage[]> {
      await service.settled();
      return readOutbox(outboxDir);
    },
    /** Rows in an auth table, seen as the owner (no RLS). */
    async count(table: string, where = 'true'): Promise<number> {
      const { rows } = await member.db.asOwner((tx) =>
        tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM auth.${table} WHERE ${where}`),
      );
      return rows[0]!.n;
    },
    /** Seeds a role directly, as an operator's bootstrap would (nobody can grant the first NETWORK_ADMIN). */
    async seedRole(userId: string, role: string, clubId: string | null): Promise<void> {
      await member.db.asOwner((tx) =>
        tx.query(
          `INSERT INTO auth.role_grants (id, user_id, role, club_id, granted_at) VALUES ($1, $2, $3, $4, now())`,
          [randomUUID(), userId, role, clubId],
        ),
      );
    },
    async close() {
      await subscription.close();
      await service.stop();
      await member.close();
      if (!ownsCache) return;
      if (process.env.REDIS_URL) await deleteKeys(process.env.REDIS_URL, `${cachePrefix}*`);
      await cache.close();
      await rm(outboxDir, { recursive: true, force: true });
    },
  };
}

export type AuthHarness = Awaited<ReturnType<typeof setupAuthService>>;

async function createClub(member: Awaited<ReturnType<typeof setupMemberService>>, slug: string) {
  const { club } = await member.clubRegistry.createClub({
    // Only network administrators register clubs.
    caller: networkAdminCaller(),
    name: `Club ${slug}`,
    slug,
    description: '',
    location: 'London',
    website: '',
  });
  return club!;
}

/** Who calls, as the gateway would fill it in. */
export function meta(accessToken = '', ip = '203.0.113.7') {
  return { accessToken, ip, userAgent: 'vitest/5 (auth tests)' };
}

export const strongPassword = 'Correct-Horse-Battery-9';

let serial = 0;
/** Registers a fresh account at `clubId` over RPC and returns the sign-in response. */
export async function registerUser(
  harness: AuthHarness,
  overrides: Partial<{ email: string; password: string; username: string; clubId: string; ip: string }> = {},
) {
  serial += 1;
  const email = overrides.email ?? `member${serial}-${randomUUID().slice(0, 8)}@example.com`;
  const password = overrides.password ?? strongPassword;
  const response = await harness.auth.register({
    meta: meta('', overrides.ip ?? `198.51.100.${serial % 250}`),
    email,
    password,
    username: overrides.username ?? '',
    clubId: overrides.clubId ?? harness.club.id,
    firstName: 'Ada',
    lastName: 'Lovelace',
  });
  return { ...response, email, password, userId: response.user!.id };
}

/** The token in the link of the newest email to `to` with `template`. */
export async function tokenFromOutbox(harness: AuthHarness, to: string, template: string): Promise<string> {
  const messages = (await harness.outbox()).filter((m) => m.to === to && m.template === template);
  const link = messages.at(-1)?.data.link;
  if (typeof link !== 'string') throw new Error(`no ${template} email to ${to}`);
  const token = new URL(link).searchParams.get('token');
  if (!token) throw new Error(`no token in ${link}`);
  return token;
}

/** Deletes every key this run wrote, with a plain client that sees keys unprefixed. */
async function deleteKeys(url: string, pattern: string): Promise<void> {
  const admin = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, found] = await admin.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      if (found.length > 0) await admin.del(...found);
    } while (cursor !== '0');
  } finally {
    await admin.quit();
  }
}
