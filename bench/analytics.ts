// A year of a big club's analytics (issue: the analytics service): N visits hosted by the club and N
// of its members elsewhere (50 clubs visited), as many again between other clubs, spread evenly over
// 2025; the report's four reads (visits per London month, top destinations, members, agreements)
// in one read-only tenant transaction, as GetAnalytics sends them. The facts are inserted in bulk
// and the rollups built from them with GROUP BY, as the consumer would have left them.
// On PostgreSQL when DATABASE_URL is set (DATABASE_OWNER_URL: the owner, as .ci/run sets them),
// else on PGlite. Run: N=100000 node bench/analytics.ts

import { migrate } from '@clubland/db';
import { createTestDb } from '@clubland/db/testing';
import { v7 as uuidv7 } from 'uuid';
import { monthBuckets } from '../services/analytics/src/domain/months.ts';
import { segmentsOf, tieredSegmentsOf } from '../services/analytics/src/domain/segments.ts';
import { analyticsMigrations } from '../services/analytics/src/index.ts';
import { createRollupQueries } from '../services/analytics/src/store/rollup-queries.ts';

const db = await createTestDb();
await migrate(db, { schema: 'analytics', migrations: await analyticsMigrations() });
const big = uuidv7();
const others = Array.from({ length: 50 }, () => uuidv7());
const N = Number(process.env.N ?? 100_000);
const start = Date.parse('2025-01-01T00:00:00Z');
const year = 365 * 86400_000;
const step = year / 1000 / N;
await db.transaction(async (tx) => {
  // N visits hosted by the big club and N of its members elsewhere, spread over the year, and as many
  // again between other clubs (not the big club's).
  await tx.query(
    `INSERT INTO analytics.visit_facts (club_id, visit_id, side, other_club_id, status, checked_in_at, checked_out_at, changed_at)
     SELECT c, gen_random_uuid(), s, o, 'CHECKED_OUT', to_timestamp($3::float8 + g * $4::float8),
            to_timestamp($3::float8 + g * $4::float8 + 5400), now()
       FROM generate_series(0, $5::int - 1) g,
            LATERAL (VALUES ($1::uuid, 'HOST', ($2::uuid[])[1 + g % 50]),
                            ($1::uuid, 'HOME', ($2::uuid[])[1 + (g + 7) % 50]),
                            (($2::uuid[])[1 + g % 50], 'HOST', ($2::uuid[])[1 + (g + 1) % 50])) AS v(c, s, o)`,
    [big, others, start / 1000, step, N],
  );
  await tx.query(`INSERT INTO analytics.visit_days (club_id, side, day, visits, completed, seconds)
    SELECT club_id, side, (checked_in_at AT TIME ZONE 'UTC')::date, count(*), count(checked_out_at),
           sum(extract(epoch FROM checked_out_at - checked_in_at))
      FROM analytics.visit_facts GROUP BY 1, 2, 3`);
  await tx.query(`INSERT INTO analytics.destination_days (club_id, other_club_id, day, visits)
    SELECT club_id, other_club_id, (checked_in_at AT TIME ZONE 'UTC')::date, count(*)
      FROM analytics.visit_facts WHERE side = 'HOME' GROUP BY 1, 2, 3`);
  await tx.query(`INSERT INTO analytics.destination_months (club_id, other_club_id, month, visits)
    SELECT club_id, other_club_id, date_trunc('month', day)::date, sum(visits)
      FROM analytics.destination_days GROUP BY 1, 2, 3`);
});
await db.asOwner((tx) =>
  tx.query('ANALYZE analytics.visit_facts; ANALYZE analytics.visit_days; ANALYZE analytics.destination_days'),
);
const from = new Date(start);
const to = new Date(start + year);
const months = monthBuckets(from, to, 'Europe/London');
const times: number[] = [];
for (let run = 0; run < 10; run++) {
  const t0 = performance.now();
  const [buckets, top] = await db.readAtOnce(big, (tx) => {
    const q = createRollupQueries(tx);
    return Promise.all([
      q.visitsByBucket(big, segmentsOf(months)),
      q.topDestinations(big, tieredSegmentsOf({ from, to })),
      q.membership(big, to),
      q.agreements(big),
    ]);
  });
  times.push(performance.now() - t0);
  if (run === 0)
    console.log(
      'visits',
      buckets.reduce((sum, row) => sum + row.visits, 0),
      'top',
      top[0],
    );
}
for (const part of ['visits', 'top'] as const) {
  const partTimes: number[] = [];
  for (let run = 0; run < 10; run++) {
    const t0 = performance.now();
    await db.readAtOnce(big, async (tx): Promise<unknown> => {
      const q = createRollupQueries(tx);
      return part === 'visits'
        ? q.visitsByBucket(big, segmentsOf(months))
        : q.topDestinations(big, tieredSegmentsOf({ from, to }));
    });
    partTimes.push(performance.now() - t0);
  }
  partTimes.sort((a, b) => a - b);
  console.log(part, 'median ms', partTimes[5]!.toFixed(1));
}
// The network administrator's report over the same year (every club's rows, UTC months).
const networkTimes: number[] = [];
const utcMonths = monthBuckets(from, to, 'UTC');
for (let run = 0; run < 10; run++) {
  const t0 = performance.now();
  await db.readAtOnce(null, (tx) => {
    const q = createRollupQueries(tx);
    return Promise.all([
      q.visitsByBucket(null, segmentsOf(utcMonths)),
      q.topDestinations(null, { months: [], ...segmentsOf([{ from, to }]) }),
      q.membership(null, to),
      q.agreements(null),
    ]);
  });
  networkTimes.push(performance.now() - t0);
}
networkTimes.sort((a, b) => a - b);
console.log('network report median ms', networkTimes[5]!.toFixed(1));
times.sort((a, b) => a - b);
console.log(
  db.kind,
  `${N} hosted + ${N} away in a year; report ms median ${times[5]!.toFixed(1)}, all`,
  times.map((t) => t.toFixed(1)).join(' '),
);
await db.close();
