// The front desk under load: a host club's desk checking visitors in through the gateway (the
// checkIn mutation: the member service describes the visitor by home club and member number, the
// reciprocal service verifies every rule, counts the visit against the agreement's limits in the
// database, and writes the visit, its history, its ledger entry and its event in one transaction),
// 50 connections, a different member on every request; beside a bare Mercurius `{ hello }` server
// in the same run for the ratio. Target (issue 30): >= 1,000 check-ins/s, p95 < 100 ms on PostgreSQL.
// Run: DATABASE_URL=… DATABASE_OWNER_URL=… npm run bench:front-desk
//      (BENCH_ROUNDS=5 rounds of BENCH_SECONDS=5 s per setup; BENCH_MEMBERS members seeded;
//      BENCH_CONNECTIONS=50, or 1 for one desk's latency alone)
//
// Members are inserted straight into the home club's roster by the owner (a benchmark needs tens of
// thousands; through createMember that would take longer than the run). Everything the desk then
// does goes through the API. After the run the visits in the database are counted against the
// check-ins answered without a GraphQL error: each must have written exactly one visit.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startBareServer } from './lib/bare-server.ts';
import { insertMembers, logStatements } from './lib/club-ops.ts';
import { startClublandForBench } from './lib/clubland.ts';
import { freshDatabase } from './lib/database.ts';
import { type LoadResult, loadGenerator, runLoad } from './lib/load.ts';
import { median, printRounds } from './lib/rounds.ts';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARM_UP_SECONDS = 3;
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 100_000);
const PASSWORD = 'correct horse battery staple';

const CHECK_IN = `mutation CheckIn($input: CheckInInput!) {
  checkIn(input: $input) { id status checkInTime }
}`;

await main();

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

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    console.error('bench:front-desk measures PostgreSQL: set DATABASE_URL (and DATABASE_OWNER_URL)');
    process.exit(2);
  }
  const fresh = await freshDatabase(process.env.DATABASE_URL, process.env.DATABASE_OWNER_URL);
  // BENCH_LOG_STATEMENTS=1: PostgreSQL logs every statement of this database with its duration (to see
  // what a check-in costs the database); off by default, it slows the run.
  await logStatements(fresh.ownerUrl);
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
    await insertMembers(fresh.ownerUrl, home.clubId, MEMBERS, 'F');

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
    printRounds(rows, bareRuns);
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
