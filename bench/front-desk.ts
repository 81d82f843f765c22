// The front desk under load: a host club's desk checking visitors in through the gateway (the
// checkIn mutation: the member service describes the visitor by home club and member number, the
// reciprocal service verifies every rule, counts the visit against the agreement's limits in the
// database, and writes the visit, its history, its ledger entry and its event in one transaction),
// 50 connections, a different member on every request; beside a bare Mercurius `{ hello }` server
// in the same run for the ratio. Target (issue 30): >= 1,000 check-ins/s, p95 < 100 ms on PostgreSQL.
// Run: DATABASE_URL=… DATABASE_OWNER_URL=… npm run bench:front-desk
//      (BENCH_ROUNDS=5 rounds of BENCH_SECONDS=5 s per setup; BENCH_MEMBERS members seeded)
//
// Members are inserted straight into the home club's roster by the owner (a benchmark needs tens of
// thousands; through createMember that would take longer than the run). Everything the desk then
// does goes through the API. After the run the visits in the database are counted against the
// check-ins answered without a GraphQL error: each must have written exactly one visit.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { startClublandForBench } from './lib/clubland.ts';
import { freshDatabase } from './lib/database.ts';
import { type LoadResult, loadGenerator, runLoad } from './lib/load.ts';

const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARM_UP_SECONDS = 3;
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 100_000);
const PASSWORD = 'correct horse battery staple';

const CHECK_IN = `mutation CheckIn($input: CheckInInput!) {
  checkIn(input: $input) { id status checkInTime }
}`;

if (process.argv[2] === '--bare-server') {
  await serveBareMercurius();
} else {
  await main();
}

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

type Clubland = Awaited<ReturnType<typeof startClublandForBench>>;

/** A club with its administrator (CLUB_ADMIN holds visit:manage and agreement:manage), signed in. */
async function clubWithAdmin(clubland: Clubland, admin: string, name: string, where: [number, number]) {
  const { createClub } = await clubland.graphql<{ createClub: { id: string } }>(
    'mutation($input: CreateClubInput!) { createClub(input: $input) { id } }',
    {
      input: {
        name,
        slug: `${name.toLowerCase().replaceAll(' ', '-')}-${randomBytes(3).toString('hex')}`,
        latitude: where[0],
        longitude: where[1],
        currency: 'GBP',
      },
    },
    admin,
  );
  const email = `admin-${randomBytes(4).toString('hex')}@example.org`;
  const { register } = await clubland.graphql<{ register: { user: { id: string } } }>(
    'mutation($input: RegisterInput!) { register(input: $input) { user { id } } }',
    { input: { email, password: PASSWORD, clubId: createClub.id, firstName: 'Desk', lastName: name } },
  );
  await clubland.graphql(
    'mutation($userId: ID!, $clubId: ID) { grantRole(userId: $userId, role: "CLUB_ADMIN", clubId: $clubId) { id } }',
    { userId: register.user.id, clubId: createClub.id },
    admin,
  );
  const { login } = await clubland.graphql<{ login: { token: string } }>(
    'mutation($input: LoginInput!) { login(input: $input) { token } }',
    { input: { email, password: PASSWORD } },
  );
  return { clubId: createClub.id, token: login.token };
}

/** `count` ACTIVE members F0…F<count-1> of `clubId`, inserted as the owner under the club's tenant. */
async function insertMembers(ownerUrl: string, clubId: string, count: number): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [clubId]);
    await client.query(
      `INSERT INTO member.members (id, club_id, member_number, membership_type, status, first_name, last_name,
         preferences, joined_at, ledger_identity, created_at, updated_at)
       SELECT gen_random_uuid(), $1::uuid, 'F' || n, 'REGULAR', 'ACTIVE', 'Visitor', 'No. ' || n,
         '{"receiveNewsletter":false,"receivePromotions":false,"allowDataSharing":false,"preferredLanguage":"en","dietaryRestrictions":[],"interests":[]}',
         now(), 'did:clubland:member:bench-' || $1::text || '-' || n, now(), now()
       FROM generate_series(0, $2::int - 1) AS n`,
      [clubId, count],
    );
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}

async function countVisits(ownerUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM reciprocal.visits');
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

function median(values: number[], decimals = 1): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return Math.round(value * 10 ** decimals) / 10 ** decimals;
}

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    console.error('bench:front-desk measures PostgreSQL: set DATABASE_URL (and DATABASE_OWNER_URL)');
    process.exit(2);
  }
  const fresh = await freshDatabase(process.env.DATABASE_URL, process.env.DATABASE_OWNER_URL);
  // BENCH_LOG_STATEMENTS=1: PostgreSQL logs every statement of this database with its duration (to see
  // what a check-in costs the database); off by default, it slows the run.
  if (process.env.BENCH_LOG_STATEMENTS) {
    const owner = new pg.Client({ connectionString: fresh.ownerUrl });
    await owner.connect();
    await owner.query(
      `ALTER DATABASE ${new URL(fresh.ownerUrl).pathname.slice(1)} SET log_min_duration_statement = 0`,
    );
    await owner.end();
  }
  const bare = await startBareServer();
  const clubland = await startClublandForBench({
    DATABASE_URL: fresh.url,
    DATABASE_OWNER_URL: fresh.ownerUrl,
  });
  try {
    const admin = await clubland.adminToken();
    // London and New York: 5,570 km apart, far beyond any distance rule.
    const home = await clubWithAdmin(clubland, admin, 'Home Club', [51.5066, -0.1337]);
    const host = await clubWithAdmin(clubland, admin, 'Host Club', [40.7496, -73.9772]);
    const { createReciprocalAgreement } = await clubland.graphql<{
      createReciprocalAgreement: { id: string };
    }>(
      'mutation($input: CreateReciprocalAgreementInput!) { createReciprocalAgreement(input: $input) { id } }',
      {
        input: {
          partnerClubId: host.clubId,
          agreementType: 'BILATERAL',
          // Limits high enough never to refuse: the bench measures the desk's work, not refusals.
          terms: { maxVisitsPerMonth: 31, maxVisitsPerYear: 365, guestsPerVisit: 2, reciprocalFee: 25 },
        },
      },
      home.token,
    );
    await clubland.graphql(
      'mutation($id: ID!) { approveReciprocalAgreement(id: $id) { id status } }',
      { id: createReciprocalAgreement.id },
      host.token,
    );
    await insertMembers(fresh.ownerUrl, home.clubId, MEMBERS);

    const headers = { authorization: `Bearer ${host.token}` };
    const body = JSON.stringify({
      query: CHECK_IN,
      variables: { input: { hostClubId: host.clubId, homeClubId: home.clubId, memberNumber: 'F{{n}}' } },
    });
    // The member service hears of the agreement through its event: wait until the desk admits.
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(`${clubland.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: body.replace('{{n}}', String(MEMBERS - 1)),
      });
      const answer = (await response.json()) as { errors?: unknown[] };
      if (!answer.errors) break;
      if (attempt > 100) throw new Error(`the desk never admitted: ${JSON.stringify(answer.errors)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    let next = 0;
    let admitted = 1;
    const checkIns = async (seconds: number): Promise<LoadResult> => {
      const result = await runLoad({
        url: `${clubland.url}/graphql`,
        body,
        headers,
        connections: CONNECTIONS,
        durationSeconds: seconds,
        sequenceFrom: next,
      });
      // Requests still in flight when wrk stopped may have been served: skip past them.
      next += result.requests + CONNECTIONS * 2;
      admitted += result.requests - result.graphqlErrors;
      if (next + CONNECTIONS * 2 >= MEMBERS - 1) throw new Error('BENCH_MEMBERS too small for this run');
      return result;
    };
    const hello = (seconds: number) =>
      runLoad({
        url: bare.url,
        body: '{"query":"{ hello }"}',
        connections: CONNECTIONS,
        durationSeconds: seconds,
      });
    await hello(WARM_UP_SECONDS);
    await checkIns(WARM_UP_SECONDS);

    const desk: LoadResult[] = [];
    const bareRuns: LoadResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      bareRuns.push(await hello(SECONDS));
      desk.push(await checkIns(SECONDS));
    }
    const visits = await countVisits(fresh.ownerUrl);
    const rows = [
      ['bare Mercurius { hello }', bareRuns],
      ['gateway: front-desk checkIn, PostgreSQL', desk],
    ] as const;
    console.log(
      `load: ${loadGenerator}, ${CONNECTIONS} connections; ${ROUNDS} rounds of ${SECONDS} s per setup, setups in turn; ${MEMBERS} members`,
    );
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
    const checkInRate = median(desk.map((run) => run.requestsPerSecond));
    const p95 = median(desk.map((run) => run.p95Ms));
    // A request in flight when a round ended may have been served without wrk reading the answer.
    const inFlight = (ROUNDS + 2) * CONNECTIONS;
    console.log(
      `check-ins answered without error: ${admitted}; visits in the database: ${visits}` +
        (visits >= admitted && visits <= admitted + inFlight
          ? ` (one each, give or take the <= ${inFlight} in flight at the rounds' ends)`
          : ' (MISMATCH: check the desk)'),
    );
    console.log(
      `target >= 1000 check-ins/s and p95 < 100 ms: ${checkInRate >= 1000 && p95 < 100 ? 'met' : 'NOT met'}`,
    );
  } finally {
    await clubland.stop();
    await bare.stop();
    await fresh.drop();
  }
}
