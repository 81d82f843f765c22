// `currentUser` (the client's `me` query) through the gateway, 100 connections, on the embedded
// default and (when DATABASE_URL is set) on PostgreSQL. Target: >= 5,000 req/s, p95 < 50 ms.
// Run: node bench/current-user.ts   (or with DATABASE_URL/REDIS_URL set for the real servers)
import { startClublandForBench } from './lib/clubland.ts';
import { runLoad } from './lib/load.ts';

const CONNECTIONS = 100;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ME =
  'query CurrentUser { me { id clubId email username firstName lastName status roles permissions createdAt updatedAt } }';

async function measure(label: string, env: Record<string, string | undefined>) {
  const clubland = await startClublandForBench(env);
  try {
    const { createClub } = await clubland.graphql<{ createClub: { id: string } }>(
      'mutation($input: CreateClubInput!) { createClub(input: $input) { id } }',
      { input: { name: 'Bench Club', slug: `bench-${Date.now()}` } },
      await clubland.adminToken(),
    );
    const { register } = await clubland.graphql<{ register: { token: string } }>(
      `mutation($input: RegisterInput!) { register(input: $input) { token } }`,
      {
        input: {
          email: `bench-${Date.now()}@example.org`,
          password: 'correct horse battery staple',
          clubId: createClub.id,
          firstName: 'Bench',
          lastName: 'Mark',
        },
      },
    );
    const options = {
      url: `${clubland.url}/graphql`,
      body: JSON.stringify({ query: ME }),
      headers: { authorization: `Bearer ${register.token}` },
      connections: CONNECTIONS,
    };
    await runLoad({ ...options, durationSeconds: 3 }); // warm-up: JIT, caches, connections
    const result = await runLoad({ ...options, durationSeconds: SECONDS });
    return {
      setup: label,
      connections: CONNECTIONS,
      ...result,
      target: '>= 5000 req/s, p95 < 50 ms',
      met: result.requestsPerSecond >= 5000 && result.p95Ms < 50 && result.non2xx === 0 ? 'yes' : 'NO',
    };
  } finally {
    await clubland.stop();
  }
}

const rows = [
  await measure('embedded (PGlite, memory cache)', {
    DATABASE_URL: undefined,
    REDIS_URL: undefined,
    NATS_URL: undefined,
  }),
];
if (process.env.DATABASE_URL) rows.push(await measure('PostgreSQL + Redis + NATS', {}));
console.table(rows);
