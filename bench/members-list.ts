// `members(pagination: { pageSize: 20 })` (the client's members query) for a club of 10,000
// members through the gateway as its club admin, 100 connections; on the embedded default and,
// when DATABASE_URL is set, on PostgreSQL. Target: >= 2,000 req/s, p95 < 200 ms.
// Run: node bench/members-list.ts
import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { startClublandForBench } from './lib/clubland.ts';
import { freshDatabase } from './lib/database.ts';
import { runLoad } from './lib/load.ts';

const MEMBERS = 10_000;
const CONNECTIONS = 100;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PASSWORD = 'correct horse battery staple';
const MEMBERS_QUERY = `query Members($pagination: PaginationInput, $status: MemberStatus) {
  members(pagination: $pagination, status: $status) {
    nodes { id clubId userId memberNumber membershipType status firstName lastName email phone joinedDate createdAt updatedAt }
    pageInfo { page pageSize total totalPages hasNextPage hasPrevPage }
  }
}`;

type Sql = (text: string, params?: unknown[]) => Promise<unknown>;

/** 10,000 members of every type and status, and the admin's CLUB_ADMIN grant, written as the owner. */
async function seed(sql: Sql, clubId: string, adminId: string): Promise<void> {
  await sql(
    `INSERT INTO member.members (id, club_id, member_number, membership_type, status, first_name, last_name,
       email, preferences, joined_at, ledger_identity, created_at, updated_at)
     SELECT gen_random_uuid(), $1::uuid, 'M' || lpad(n::text, 6, '0'),
       (ARRAY['REGULAR','PREMIUM','VIP','CORPORATE','STUDENT','SENIOR'])[1 + n % 6],
       (ARRAY['ACTIVE','ACTIVE','ACTIVE','PENDING','SUSPENDED'])[1 + n % 5],
       'First' || n, 'Last' || (n * 7919 % $2::int), 'member' || n || '@example.org', '{}'::jsonb,
       now() - (n || ' minutes')::interval, 'ledger-' || $1::text || '-' || n,
       now() - (n || ' minutes')::interval, now()
     FROM generate_series(1, $2::int) AS n`,
    [clubId, MEMBERS],
  );
  await sql(
    `INSERT INTO auth.role_grants (id, user_id, role, club_id, granted_at) VALUES ($1, $2, 'CLUB_ADMIN', $3, now())`,
    [randomUUID(), adminId, clubId],
  );
  // Statistics, as autovacuum (PostgreSQL) or the embedded database's VACUUM timer would have
  // gathered them by the time a club of 10,000 is in daily use.
  await sql('ANALYZE');
}

async function measure(label: string, database: 'embedded' | 'postgres') {
  const email = `admin-${randomBytes(4).toString('hex')}@example.org`;
  const env: Record<string, string | undefined> =
    database === 'embedded' ? { DATABASE_URL: undefined, REDIS_URL: undefined, NATS_URL: undefined } : {};
  let ownerUrl: string | undefined;
  let dropDatabase = async () => undefined as unknown;
  if (database === 'postgres') {
    // Created and seeded by the owner (DATABASE_OWNER_URL when set); the server logs in as DATABASE_URL's role.
    const fresh = await freshDatabase(process.env.DATABASE_URL!, process.env.DATABASE_OWNER_URL);
    env.DATABASE_URL = fresh.url;
    env.DATABASE_OWNER_URL = fresh.ownerUrl;
    ownerUrl = fresh.ownerUrl;
    dropDatabase = fresh.drop;
  }

  // 1. A club and its future admin, created through the API as a client would.
  const first = await startClublandForBench(env);
  const { createClub } = await first.graphql<{ createClub: { id: string } }>(
    'mutation($input: CreateClubInput!) { createClub(input: $input) { id } }',
    { input: { name: 'Bench Club', slug: `bench-${randomBytes(3).toString('hex')}` } },
    await first.adminToken(),
  );
  const { register } = await first.graphql<{ register: { user: { id: string } } }>(
    'mutation($input: RegisterInput!) { register(input: $input) { user { id } } }',
    { input: { email, password: PASSWORD, clubId: createClub.id, firstName: 'Club', lastName: 'Admin' } },
  );
  await first.stop(false);

  // 2. Bulk data straight into the database (there is no bulk import API yet).
  if (ownerUrl) {
    const client = new pg.Client({ connectionString: ownerUrl });
    await client.connect();
    await seed((text, params) => client.query(text, params), createClub.id, register.user.id);
    await client.end();
  } else {
    const pglite = new PGlite(first.dataDir);
    await seed((text, params) => pglite.query(text, params), createClub.id, register.user.id);
    await pglite.close();
  }

  // 3. The measured run, signed in as the club admin.
  const clubland = await startClublandForBench(env, first.dataDir);
  try {
    const { login } = await clubland.graphql<{ login: { token: string } }>(
      'mutation($input: LoginInput!) { login(input: $input) { token } }',
      { input: { email, password: PASSWORD } },
    );
    const check = await clubland.graphql<{ members: { pageInfo: { total: number }; nodes: unknown[] } }>(
      MEMBERS_QUERY,
      { pagination: { pageSize: 20 } },
      login.token,
    );
    if (check.members.nodes.length !== 20 || check.members.pageInfo.total < MEMBERS) {
      throw new Error(`unexpected page: ${JSON.stringify(check.members.pageInfo)}`);
    }
    const options = {
      url: `${clubland.url}/graphql`,
      body: JSON.stringify({ query: MEMBERS_QUERY, variables: { pagination: { pageSize: 20 } } }),
      headers: { authorization: `Bearer ${login.token}` },
      connections: CONNECTIONS,
    };
    await runLoad({ ...options, durationSeconds: 3 });
    const result = await runLoad({ ...options, durationSeconds: SECONDS });
    const met = result.requestsPerSecond >= 2000 && result.p95Ms < 200 && result.non2xx === 0;
    return { setup: label, members: MEMBERS, connections: CONNECTIONS, ...result, met: met ? 'yes' : 'NO' };
  } finally {
    await clubland.stop();
    rmSync(first.dataDir, { recursive: true, force: true });
    await dropDatabase();
  }
}

const rows = [await measure('embedded (PGlite)', 'embedded')];
if (process.env.DATABASE_URL) rows.push(await measure('PostgreSQL', 'postgres'));
console.table(rows);
