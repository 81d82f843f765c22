// What the club-operations benchmarks (bench/availability.ts, bench/bookings.ts) share: the bare
// Mercurius server for the ratio, a club with its administrator and facilities made through the
// API, members inserted as the owner, and the table of medians.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { startClublandForBench } from './clubland.ts';
import type { LoadResult } from './load.ts';

export type Clubland = Awaited<ReturnType<typeof startClublandForBench>>;

const PASSWORD = 'correct horse battery staple';

/** Fastify + Mercurius (`jit: 1`), `type Query { hello: String }`, in a process of its own. */
export async function startBareServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, [fileURLToPath(import.meta.url), '--bare-server'], {
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  return {
    url: `http://127.0.0.1:${chunk.toString().trim()}/graphql`,
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--bare-server') {
  const { default: Fastify } = await import('fastify');
  const { default: mercurius } = await import('mercurius');
  const app = Fastify();
  await app.register(mercurius, {
    schema: 'type Query { hello: String }',
    resolvers: { Query: { hello: async () => 'world' } },
    jit: 1,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`${(app.server.address() as AddressInfo).port}\n`);
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

/** A club in `timezone` with its administrator (CLUB_ADMIN: facility and booking management), signed in. */
export async function clubWithAdmin(clubland: Clubland, timezone: string) {
  const admin = await clubland.adminToken();
  const { createClub } = await clubland.graphql<{ createClub: { id: string } }>(
    'mutation($input: CreateClubInput!) { createClub(input: $input) { id } }',
    {
      input: {
        name: 'Bench Club',
        slug: `bench-${randomBytes(3).toString('hex')}`,
        timezone,
        currency: 'GBP',
      },
    },
    admin,
  );
  const email = `club-admin-${randomBytes(4).toString('hex')}@example.org`;
  const { register } = await clubland.graphql<{ register: { user: { id: string } } }>(
    'mutation($input: RegisterInput!) { register(input: $input) { user { id } } }',
    { input: { email, password: PASSWORD, clubId: createClub.id, firstName: 'Club', lastName: 'Admin' } },
  );
  await clubland.graphql(
    'mutation($userId: ID!, $clubId: ID) { grantRole(userId: $userId, role: "CLUB_ADMIN", clubId: $clubId) { id } }',
    { userId: register.user.id, clubId: createClub.id },
    admin,
  );
  return { clubId: createClub.id, networkAdmin: admin, token: await login(clubland, email) };
}

export async function login(clubland: Clubland, email: string): Promise<string> {
  const { login } = await clubland.graphql<{ login: { token: string } }>(
    'mutation($input: LoginInput!) { login(input: $input) { token } }',
    { input: { email, password: PASSWORD } },
  );
  return login.token;
}

/**
 * A member of the club with an account, made through the API (register, createMember linked to the
 * account, activateMember), its email marked verified by the owner; `signIn` until a token carries the MEMBER grant (the auth service hears of the record
 * by its event).
 */
export async function memberAccount(
  clubland: Clubland,
  clubId: string,
  networkAdmin: string,
  ownerUrl: string,
): Promise<{ signIn(): Promise<string> }> {
  const email = `member-${randomBytes(4).toString('hex')}@example.org`;
  const { register } = await clubland.graphql<{ register: { user: { id: string } } }>(
    'mutation($input: RegisterInput!) { register(input: $input) { user { id } } }',
    { input: { email, password: PASSWORD, clubId, firstName: 'Ada', lastName: 'Bench' } },
  );
  const { createMember } = await clubland.graphql<{ createMember: { id: string } }>(
    'mutation($input: CreateMemberInput!) { createMember(input: $input) { id } }',
    {
      input: {
        clubId,
        userId: register.user.id,
        memberNumber: 'A0001',
        firstName: 'Ada',
        lastName: 'Bench',
        email,
        membershipType: 'REGULAR',
      },
    },
    networkAdmin,
  );
  await clubland.graphql(
    'mutation($id: ID!, $clubId: ID) { activateMember(id: $id, clubId: $clubId) { id } }',
    { id: createMember.id, clubId },
    networkAdmin,
  );
  // The bench has no mailbox to follow the verification link from: the owner marks the email verified.
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  await owner.query('UPDATE auth.users SET email_verified_at = now() WHERE email = $1', [email]);
  await owner.end();
  return { signIn: () => login(clubland, email) };
}

/** `count` facilities through createFacility, a few requests at a time; their ids in order. */
export async function createFacilities(
  clubland: Clubland,
  token: string,
  clubId: string,
  count: number,
  settings: Record<string, unknown>,
): Promise<string[]> {
  const ids: string[] = [];
  for (let next = 0; next < count; next += 8) {
    const batch = Array.from({ length: Math.min(8, count - next) }, (_, i) => next + i);
    const made = await Promise.all(
      batch.map((n) =>
        clubland.graphql<{ createFacility: { id: string } }>(
          'mutation($input: CreateFacilityInput!) { createFacility(input: $input) { id } }',
          {
            input: {
              clubId,
              name: `Court ${n + 1}`,
              type: 'TENNIS_COURT',
              amenities: [],
              ...settings,
            },
          },
          token,
        ),
      ),
    );
    ids.push(...made.map((answer) => answer.createFacility.id));
  }
  return ids;
}

/** Runs `work` as the owner in one transaction under the club's tenant. */
export async function asOwner<T>(
  ownerUrl: string,
  clubId: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [clubId]);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } finally {
    await client.end();
  }
}

/** `count` ACTIVE REGULAR members M0…M<count-1> of the club, inserted as the owner; their ids in order. */
export async function insertMembers(ownerUrl: string, clubId: string, count: number): Promise<string[]> {
  return asOwner(ownerUrl, clubId, async (client) => {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO member.members (id, club_id, member_number, membership_type, status, first_name, last_name,
         preferences, joined_at, ledger_identity, created_at, updated_at)
       SELECT gen_random_uuid(), $1::uuid, 'M' || n, 'REGULAR', 'ACTIVE', 'Booker', 'No. ' || n,
         '{"receiveNewsletter":false,"receivePromotions":false,"allowDataSharing":false,"preferredLanguage":"en","dietaryRestrictions":[],"interests":[]}',
         now(), 'did:clubland:member:bench-' || $1::text || '-' || n, now(), now()
       FROM generate_series(0, $2::int - 1) AS n
       ORDER BY n
       RETURNING id`,
      [clubId, count],
    );
    return rows.map((row) => row.id);
  });
}

/** BENCH_LOG_STATEMENTS=1: PostgreSQL logs every statement of the database with its duration. */
export async function logStatements(ownerUrl: string): Promise<void> {
  if (!process.env.BENCH_LOG_STATEMENTS) return;
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  await owner.query(
    `ALTER DATABASE ${new URL(ownerUrl).pathname.slice(1)} SET log_min_duration_statement = 0`,
  );
  await owner.end();
}

/** YYYY-MM-DD of the UTC day `days` after today. */
export function dayFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

export function median(values: number[], decimals = 1): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return Math.round(value * 10 ** decimals) / 10 ** decimals;
}

/** The medians over the rounds, each round's ratio to the bare server's round before it. */
export function printRounds(
  rows: readonly (readonly [string, LoadResult[]])[],
  bareRuns: LoadResult[],
): void {
  console.table(
    rows.map(([setup, runs]) => ({
      setup,
      'req/s (median)': Math.round(median(runs.map((run) => run.requestsPerSecond))),
      'req/s per round': runs.map((run) => run.requestsPerSecond).join(' '),
      'p50 ms': median(runs.map((run) => run.p50Ms)),
      'p95 ms': median(runs.map((run) => run.p95Ms)),
      'p99 ms': median(runs.map((run) => run.p99Ms)),
      'errors+non2xx+graphql': runs.reduce(
        (sum, run) => sum + run.errors + run.non2xx + run.graphqlErrors,
        0,
      ),
      'x bare (median of rounds)': median(
        runs.map((run, i) => run.requestsPerSecond / bareRuns[i]!.requestsPerSecond),
        2,
      ),
    })),
  );
}
