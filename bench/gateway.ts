// The gateway's own cost, in one run on one machine: (a) a bare Mercurius `{ hello }` server and
// (b) a signed-in member reading their member record with its club through our gateway, and
// (c) the club admin's members page (first 20 of a roster of BENCH_ROSTER=200), on the embedded
// default and (when DATABASE_URL is set) on PostgreSQL; 100 connections each; p50, p95 and p99.
// Target: ours >= 0.5 x the bare server's req/s, p95 < 100 ms (judged on (b); (c) is a reference row).
// Run: node bench/gateway.ts   (BENCH_ROUNDS=5 rounds of BENCH_SECONDS=5 s per setup)
//
// Every server is up for the whole run and the setups take turns, round after round: a shared
// VM's speed drifts by tens of per cent within a minute, so each round's ratio compares the bare
// server and ours measured seconds apart, and the table reports medians over the rounds.
import { randomBytes } from 'node:crypto';
import { startBareServer } from './lib/bare-server.ts';
import { startClublandForBench } from './lib/clubland.ts';
import { freshDatabase } from './lib/database.ts';
import { type LoadResult, loadGenerator, runLoad } from './lib/load.ts';
import { median } from './lib/rounds.ts';

const CONNECTIONS = 100;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARM_UP_SECONDS = 3;
const PASSWORD = 'correct horse battery staple';
const MEMBER_WITH_CLUB = `query MemberWithClub($id: ID!) {
  member(id: $id) { id memberNumber firstName lastName status club { id name slug status } }
}`;

/** The client's members screen, first page (as bench/members-list.ts asks it). */
const MEMBERS_PAGE = `query Members($pagination: PaginationInput) {
  members(pagination: $pagination) {
    nodes { id clubId userId memberNumber membershipType status firstName lastName email phone joinedDate createdAt updatedAt }
    pageInfo { page pageSize total totalPages hasNextPage hasPrevPage }
  }
}`;
/** Member records in the benchmark club's roster (created through the API, so kept modest). */
const ROSTER = Number(process.env.BENCH_ROSTER ?? 200);

/** The gateway's own pipeline (token, limits, headers, metrics, Mercurius), no service call behind it. */
const TYPENAME = '{ __typename }';

await main();

interface Target {
  label: string;
  url: string;
  body: string;
  headers: Record<string, string>;
  /** Judged against the target; false for reference rows. */
  judged: boolean;
}

interface Server {
  targets: Target[];
  stop(): Promise<void>;
}

/** (a): Fastify + Mercurius with JIT, one resolver, nothing else; in its own process like ours. */
async function startBareTarget(): Promise<Server> {
  const bare = await startBareServer();
  return {
    targets: [
      {
        label: 'bare Mercurius { hello }',
        url: bare.url,
        body: '{"query":"{ hello }"}',
        headers: {},
        judged: false,
      },
    ],
    stop: () => bare.stop(),
  };
}

/** A club, a member user and their member record, set up through the API as a client would. */
async function seed(clubland: Awaited<ReturnType<typeof startClublandForBench>>) {
  const admin = await clubland.adminToken();
  const { createClub } = await clubland.graphql<{ createClub: { id: string } }>(
    'mutation($input: CreateClubInput!) { createClub(input: $input) { id } }',
    { input: { name: 'Bench Club', slug: `bench-${randomBytes(3).toString('hex')}` } },
    admin,
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
    admin,
  );
  // The rest of the roster, records not linked to an account, a few requests at a time.
  for (let next = 2; next <= ROSTER; next += 8) {
    await Promise.all(
      Array.from({ length: Math.min(8, ROSTER - next + 1) }, (_, i) => next + i).map((n) =>
        clubland.graphql(
          'mutation($input: CreateMemberInput!) { createMember(input: $input) { id } }',
          {
            input: {
              clubId: createClub.id,
              memberNumber: `B${String(n).padStart(4, '0')}`,
              firstName: `First${n}`,
              lastName: `Last${(n * 7919) % ROSTER}`,
              email: `roster-${n}-${randomBytes(3).toString('hex')}@example.org`,
              membershipType: ['REGULAR', 'PREMIUM', 'VIP', 'STUDENT'][n % 4],
            },
          },
          admin,
        ),
      ),
    );
  }
  // The club's administrator: a second account of the club, granted CLUB_ADMIN, then signed in
  // (the role is in the token).
  const adminEmail = `club-admin-${randomBytes(4).toString('hex')}@example.org`;
  const clubAdmin = await clubland.graphql<{ register: { user: { id: string } } }>(
    'mutation($input: RegisterInput!) { register(input: $input) { user { id } } }',
    {
      input: {
        email: adminEmail,
        password: PASSWORD,
        clubId: createClub.id,
        firstName: 'Club',
        lastName: 'Admin',
      },
    },
  );
  await clubland.graphql(
    'mutation($userId: ID!, $clubId: ID) { grantRole(userId: $userId, role: "CLUB_ADMIN", clubId: $clubId) { id } }',
    { userId: clubAdmin.register.user.id, clubId: createClub.id },
    admin,
  );
  const { login } = await clubland.graphql<{ login: { token: string } }>(
    'mutation($input: LoginInput!) { login(input: $input) { token } }',
    { input: { email: adminEmail, password: PASSWORD } },
  );
  return { token: register.token, memberId: createMember.id, clubAdminToken: login.token };
}

async function startGateway(database: 'embedded' | 'postgres'): Promise<Server> {
  const env: Record<string, string | undefined> = {};
  let drop: () => Promise<void> = async () => undefined;
  let label = 'embedded (PGlite)';
  if (database === 'embedded')
    Object.assign(env, {
      DATABASE_URL: undefined,
      DATABASE_OWNER_URL: undefined,
      REDIS_URL: undefined,
      NATS_URL: undefined,
    });
  else {
    const fresh = await freshDatabase(process.env.DATABASE_URL!, process.env.DATABASE_OWNER_URL);
    env.DATABASE_URL = fresh.url;
    env.DATABASE_OWNER_URL = fresh.ownerUrl;
    drop = fresh.drop;
    const extras = [process.env.REDIS_URL && 'Redis', process.env.NATS_URL && 'NATS'].filter(Boolean);
    label = ['PostgreSQL', ...extras].join(' + ');
  }
  const clubland = await startClublandForBench(env);
  const { token, memberId, clubAdminToken } = await seed(clubland);
  const check = await clubland.graphql<{ member: { club: { name: string } } }>(
    MEMBER_WITH_CLUB,
    { id: memberId },
    token,
  );
  if (check.member.club.name !== 'Bench Club') throw new Error(`unexpected answer: ${JSON.stringify(check)}`);
  const url = `${clubland.url}/graphql`;
  const headers = { authorization: `Bearer ${token}` };
  const member = JSON.stringify({ query: MEMBER_WITH_CLUB, variables: { id: memberId } });
  const membersPage = JSON.stringify({ query: MEMBERS_PAGE, variables: { pagination: { pageSize: 20 } } });
  const page = await clubland.graphql<{ members: { nodes: unknown[]; pageInfo: { total: number } } }>(
    MEMBERS_PAGE,
    { pagination: { pageSize: 20 } },
    clubAdminToken,
  );
  if (page.members.pageInfo.total !== ROSTER || page.members.nodes.length !== Math.min(20, ROSTER)) {
    throw new Error(`unexpected members page: ${JSON.stringify(page.members.pageInfo)}`);
  }
  const targets: Target[] = [
    { label: `gateway: member + club, ${label}`, url, body: member, headers, judged: true },
    {
      label: `gateway: members page (20 of ${ROSTER}), ${label}`,
      url,
      body: membersPage,
      headers: { authorization: `Bearer ${clubAdminToken}` },
      judged: false,
    },
  ];
  if (database === 'embedded') {
    targets.unshift({
      label: 'gateway: signed-in { __typename } (no service call)',
      url,
      body: JSON.stringify({ query: TYPENAME }),
      headers,
      judged: false,
    });
  }
  return {
    targets,
    async stop() {
      await clubland.stop();
      await drop();
    },
  };
}

async function main(): Promise<void> {
  const servers: Server[] = [];
  try {
    servers.push(await startBareTarget());
    servers.push(await startGateway('embedded'));
    if (process.env.DATABASE_URL) servers.push(await startGateway('postgres'));
    const targets = servers.flatMap((server) => server.targets);
    const load = (target: Target, durationSeconds: number) =>
      runLoad({ ...target, connections: CONNECTIONS, durationSeconds });
    for (const target of targets) await load(target, WARM_UP_SECONDS); // JIT, caches, connections

    const results = new Map<Target, LoadResult[]>(targets.map((target) => [target, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const target of targets) results.get(target)!.push(await load(target, SECONDS));
    }
    const bare = results.get(targets[0]!)!;
    const rows = targets.map((target) => {
      const runs = results.get(target)!;
      const ratios = runs.map((run, round) => run.requestsPerSecond / bare[round]!.requestsPerSecond);
      const ratio = median(ratios, 2);
      const p95Ms = median(runs.map((run) => run.p95Ms));
      const failures = runs.reduce((sum, run) => sum + run.errors + run.non2xx, 0);
      const met = ratio >= 0.5 && p95Ms < 100 && failures === 0;
      return {
        setup: target.label,
        'req/s (median)': Math.round(median(runs.map((run) => run.requestsPerSecond))),
        'req/s per round': runs.map((run) => run.requestsPerSecond).join(' '),
        'p50 ms': median(runs.map((run) => run.p50Ms)),
        'p95 ms': p95Ms,
        'p99 ms': median(runs.map((run) => run.p99Ms)),
        'errors+non2xx': failures,
        'x bare (median of rounds)': ratio,
        met: target === targets[0] ? '—' : target.judged ? (met ? 'yes' : 'NO') : '(ref)',
      };
    });
    console.log(
      `load: ${loadGenerator}, ${CONNECTIONS} connections; ${ROUNDS} rounds of ${SECONDS} s per setup, setups in turn`,
    );
    console.table(rows);
  } finally {
    for (const server of servers.reverse()) await server.stop();
  }
}
