// The gateway's own cost, in one run on one machine: (a) a bare Mercurius `{ hello }` server and
// (b) a signed-in member reading their member record with its club through our gateway, on the
// embedded default and (when DATABASE_URL is set) on PostgreSQL; 100 connections each.
// Target: ours >= 0.5 x the bare server's req/s, p95 < 100 ms.
// Run: node bench/gateway.ts          (BENCH_SECONDS=10 by default)
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { startClublandForBench } from './lib/clubland.ts';
import { type LoadResult, runLoad } from './lib/load.ts';

const CONNECTIONS = 100;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PASSWORD = 'correct horse battery staple';
const ADMIN = { email: 'bench-admin@example.org', password: 'network administration for the bench' };
const MEMBER_WITH_CLUB = `query MemberWithClub($id: ID!) {
  member(id: $id) { id memberNumber firstName lastName status club { id name slug status } }
}`;

/** The gateway's own pipeline (token, limits, headers, metrics, Mercurius), no service call behind it. */
const TYPENAME = '{ __typename }';

if (process.argv[2] === '--bare-server') {
  await serveBareMercurius();
} else {
  await main();
}

/** (a): Fastify + Mercurius with JIT, one resolver, nothing else; in its own process like ours. */
async function serveBareMercurius(): Promise<void> {
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

async function startBareServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, [new URL(import.meta.url).pathname, '--bare-server'], {
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

async function measureLoad(url: string, body: string, headers: Record<string, string> = {}) {
  const options = { url, body, headers, connections: CONNECTIONS };
  await runLoad({ ...options, durationSeconds: 3 }); // warm-up: JIT, caches, connections
  return runLoad({ ...options, durationSeconds: SECONDS });
}

/** A club, a member user and their member record, set up through the API as a client would. */
async function seed(clubland: Awaited<ReturnType<typeof startClublandForBench>>) {
  const { login: admin } = await clubland.graphql<{ login: { token: string } }>(
    'mutation($input: LoginInput!) { login(input: $input) { token } }',
    { input: ADMIN },
  );
  const { createClub } = await clubland.graphql<{ createClub: { id: string } }>(
    'mutation($input: CreateClubInput!) { createClub(input: $input) { id } }',
    { input: { name: 'Bench Club', slug: `bench-${randomBytes(3).toString('hex')}` } },
    admin.token,
  );
  const email = `member-${randomBytes(4).toString('hex')}@example.org`;
  const { register } = await clubland.graphql<{ register: { token: string; user: { id: string } } }>(
    'mutation($input: RegisterInput!) { register(input: $input) { token user { id } } }',
    { input: { email, password: PASSWORD, clubId: createClub.id, firstName: 'Ada', lastName: 'Bench' } },
  );
  const { createMember } = await clubland.graphql<{ createMember: { id: string } }>(
    'mutation($input: CreateMemberInput!) { createMember(input: $input) { id } }',
    {
      input: {
        clubId: createClub.id,
        userId: register.user.id,
        memberNumber: 'B0001',
        firstName: 'Ada',
        lastName: 'Bench',
        email,
        membershipType: 'REGULAR',
      },
    },
    admin.token,
  );
  return { token: register.token, memberId: createMember.id };
}

async function measureGateway(
  database: 'embedded' | 'postgres',
): Promise<{ typename: LoadResult; member: LoadResult }> {
  const env: Record<string, string | undefined> = {
    CLUBLAND_BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
    CLUBLAND_BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    CLUBLAND_DEMO: 'false',
    // One member from one address at thousands of requests a second: limits high enough not to
    // refuse, still counted on every request so their cost is in the figure.
    RATE_LIMIT_MEMBER: '100000000',
    RATE_LIMIT_PER_IP: '100000000',
  };
  let dropDatabase = async () => undefined as unknown;
  if (database === 'embedded')
    Object.assign(env, { DATABASE_URL: undefined, REDIS_URL: undefined, NATS_URL: undefined });
  else {
    const server = process.env.DATABASE_URL!;
    const name = `clubland_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(server);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
    dropDatabase = async () => {
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    };
  }
  const clubland = await startClublandForBench(env);
  try {
    const { token, memberId } = await seed(clubland);
    const check = await clubland.graphql<{ member: { club: { name: string } } }>(
      MEMBER_WITH_CLUB,
      { id: memberId },
      token,
    );
    if (check.member.club.name !== 'Bench Club')
      throw new Error(`unexpected answer: ${JSON.stringify(check)}`);
    const headers = { authorization: `Bearer ${token}` };
    const url = `${clubland.url}/graphql`;
    const typename =
      database === 'embedded'
        ? await measureLoad(url, JSON.stringify({ query: TYPENAME }), headers)
        : undefined;
    const member = await measureLoad(
      url,
      JSON.stringify({ query: MEMBER_WITH_CLUB, variables: { id: memberId } }),
      headers,
    );
    return { typename: typename ?? member, member };
  } finally {
    await clubland.stop();
    await dropDatabase();
  }
}

async function main(): Promise<void> {
  const bare = await startBareServer();
  let bareResult: LoadResult;
  try {
    bareResult = await measureLoad(bare.url, JSON.stringify({ query: '{ hello }' }));
  } finally {
    await bare.stop();
  }
  const rows: Record<string, unknown>[] = [
    { setup: 'bare Mercurius { hello }', connections: CONNECTIONS, ...bareResult, 'x bare': 1, met: '—' },
  ];
  const setups: ['embedded' | 'postgres', string][] = [
    ['embedded', 'gateway: member + club, embedded (PGlite)'],
  ];
  if (process.env.DATABASE_URL) {
    const extras = [process.env.REDIS_URL && 'Redis', process.env.NATS_URL && 'NATS'].filter(Boolean);
    setups.push([
      'postgres',
      `gateway: member + club, PostgreSQL${extras.length ? ` + ${extras.join(' + ')}` : ''}`,
    ]);
  }
  const row = (label: string, result: LoadResult, target: boolean) => {
    const ratio = Math.round((result.requestsPerSecond / bareResult.requestsPerSecond) * 100) / 100;
    const met = ratio >= 0.5 && result.p95Ms < 100 && result.non2xx === 0 && result.errors === 0;
    rows.push({
      setup: label,
      connections: CONNECTIONS,
      ...result,
      'x bare': ratio,
      met: target ? (met ? 'yes' : 'NO') : '(ref)',
    });
  };
  for (const [database, label] of setups) {
    const { typename, member } = await measureGateway(database);
    if (database === 'embedded') row('gateway: signed-in { __typename } (no service call)', typename, false);
    row(label, member, true);
  }
  console.table(rows);
}
