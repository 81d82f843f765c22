// The network's settlement for a period with netting (issue 30, item 6): 200 clubs, 1,000,000
// CHECKED_OUT visits in March 2026 (plus 250,000 in February and 50,000 cancelled in March, which
// it must skip), through SettlementService.GetNetworkSettlement as a network admin: the database
// sums the visits per (home, host, currency), the service nets the sums. Target: < 2 s.
// On PostgreSQL when DATABASE_URL is set (DATABASE_OWNER_URL: the owner, as in COMMON.md), and on
// the embedded database with `--pglite`.
// Run: node bench/settlement.ts [--pglite] [runs=5]

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from '@bufbuild/protobuf';
import { createMemoryBus } from '@clubland/bus';
import { CallerContextSchema } from '@clubland/contract/member/v1/caller';
import { SettlementService } from '@clubland/contract/reciprocal/v1/settlement';
import { createPgliteDb, createPostgresDb, type Db, ensureAppLogin, migrate } from '@clubland/db';
import { createReciprocalService } from '@clubland/reciprocal-service';
import { createLoopbackTransport, createRpcClient } from '@clubland/rpc';
import pg from 'pg';
import pino from 'pino';
// The query GetNetworkSettlement runs, timed alone: the database's share of the figure.
import { createSettlementQueries } from '../services/reciprocal/src/store/settlement-queries.ts';
import { freshDatabase } from './lib/database.ts';

const CLUBS = 200;
const VISITS = 1_000_000;
const OTHER_MONTH_VISITS = 250_000;
const CANCELLED_VISITS = 50_000;
const PERIOD = '2026-03';
const args = process.argv.slice(2);
const onPglite = args.includes('--pglite');
const RUNS = Number(args.find((arg) => /^[0-9]+$/.test(arg)) ?? 5);

const TERMS = {
  maxVisitsPerMonth: null,
  maxVisitsPerYear: null,
  maxStayNights: null,
  minDistanceKm: null,
  refuseHostCityResidents: false,
  guestsPerVisit: 2,
  allowedFacilities: [],
  blackoutDates: [],
  requiresLetter: false,
  costSharing: {
    guestFee: 2500,
    currency: 'GBP',
    guestFeeCovered: true,
    facilityFeesCovered: false,
    foodBeverageCovered: false,
    percentageCovered: 100,
    maxAmountCovered: null,
  },
  specialConditions: null,
};

/**
 * Clubs (one in ten bills in USD, one in ten in EUR), an agreement per pair, and the visits, written
 * as the owner with INSERT … SELECT generate_series: each visit's pair, day and costs follow from
 * its number, so every run of the benchmark settles the same network.
 */
const SEED_SQL = `
CREATE TEMP TABLE bench_clubs ON COMMIT DROP AS
  SELECT n, gen_random_uuid() AS id,
         CASE n % 10 WHEN 0 THEN 'USD' WHEN 1 THEN 'EUR' ELSE 'GBP' END AS currency
    FROM generate_series(0, ${CLUBS - 1}) AS n;
CREATE TEMP TABLE bench_pairs ON COMMIT DROP AS
  SELECT a.n AS a, b.n AS b, gen_random_uuid() AS agreement_id, a.id AS a_id, b.id AS b_id
    FROM bench_clubs a JOIN bench_clubs b ON a.n < b.n;
INSERT INTO reciprocal.agreements (id, proposer_club_id, partner_club_id, agreement_type, status, starts_on, terms,
    created_by, created_at, updated_at)
  SELECT agreement_id, a_id, b_id, 'BILATERAL', 'ACTIVE', '2026-01-01', '${JSON.stringify(TERMS)}'::jsonb,
         gen_random_uuid(), now(), now()
    FROM bench_pairs;
CREATE TEMP TABLE bench_visits ON COMMIT DROP AS
  SELECT v,
         v % ${CLUBS} AS home,
         (v % ${CLUBS} + 1 + (v / ${CLUBS}) % ${CLUBS - 1}) % ${CLUBS} AS host,
         CASE WHEN v <= ${VISITS + CANCELLED_VISITS} THEN date '2026-03-01' + (v % 31) ELSE date '2026-02-01' + (v % 28) END AS day,
         CASE WHEN v > ${VISITS} AND v <= ${VISITS + CANCELLED_VISITS} THEN 'CANCELLED' ELSE 'CHECKED_OUT' END AS status,
         1000 + (v * 37) % 4000 AS fee,
         (v::bigint * 7919 % 6000)::int AS food
    FROM generate_series(1, ${VISITS + CANCELLED_VISITS + OTHER_MONTH_VISITS}) AS v;
INSERT INTO reciprocal.visits (id, home_club_id, host_club_id, member_id, agreement_id, status, guest_count,
    identified_by, visit_date, nights, checked_in_at, checked_out_at, costs, created_by, created_at, updated_at)
  SELECT gen_random_uuid(), home.id, host.id, gen_random_uuid(), pair.agreement_id, s.status, 0, 'NUMBER', s.day, 0,
         s.day + time '10:00', CASE WHEN s.status = 'CHECKED_OUT' THEN s.day + time '15:00' END,
         jsonb_build_object('guestFee', s.fee, 'facilityFees', 0, 'foodBeverage', s.food, 'other', 0,
           'total', s.fee + s.food, 'currency', host.currency,
           -- The home club covers the fee, a share of it that depends on the home club: positions do not cancel out.
           'homeClubShare', s.fee * (50 + s.home % 51) / 100,
           'memberShare', s.fee + s.food - s.fee * (50 + s.home % 51) / 100),
         home.id, s.day + time '10:00', s.day + time '15:00'
    FROM bench_visits s
    JOIN bench_clubs home ON home.n = s.home
    JOIN bench_clubs host ON host.n = s.host
    JOIN bench_pairs pair ON pair.a = least(s.home, s.host) AND pair.b = greatest(s.home, s.host);
`;

interface Target {
  label: string;
  db: Db;
  /** VACUUM ANALYZE outside a transaction: statistics and the visibility map an index-only scan needs. */
  vacuum(): Promise<void>;
  close(): Promise<void>;
}

async function postgresTarget(): Promise<Target> {
  const server = process.env.DATABASE_URL;
  if (!server) throw new Error('set DATABASE_URL (and DATABASE_OWNER_URL), or pass --pglite');
  const fresh = await freshDatabase(server, process.env.DATABASE_OWNER_URL ?? server);
  const db = createPostgresDb({ url: fresh.url, ownerUrl: fresh.ownerUrl, poolSize: 4 });
  await ensureAppLogin(db, fresh.url);
  const version = await db.asOwner((tx) => tx.query<{ server_version: string }>('SHOW server_version'));
  return {
    label: `PostgreSQL ${version.rows[0]!.server_version}`,
    db,
    async vacuum() {
      const owner = new pg.Client({ connectionString: fresh.ownerUrl });
      await owner.connect();
      await owner.query('VACUUM ANALYZE');
      await owner.end();
    },
    async close() {
      await db.close();
      // BENCH_KEEP=1 leaves the database for EXPLAIN ANALYZE by hand.
      if (process.env.BENCH_KEEP) console.log(`kept ${fresh.ownerUrl}`);
      else await fresh.drop();
    },
  };
}

function pgliteTarget(): Target {
  const dataDir = mkdtempSync(join(tmpdir(), 'clubland-settlement-bench-'));
  const db = createPgliteDb({ dataDir, vacuumIntervalMs: 0 });
  return {
    label: 'PGlite (embedded, data on disk)',
    db,
    vacuum: () => db.vacuum(),
    async close() {
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

async function main() {
  const log = pino({ level: 'silent' });
  const target = onPglite ? pgliteTarget() : await postgresTarget();
  try {
    const service = await createReciprocalService({
      db: target.db,
      bus: createMemoryBus(),
      log,
      // Settlement asks nothing of clubs, members, visitors or mail: these ports answer nobody.
      clubs: { describe: async () => new Map() },
      members: { find: async () => null },
      visitors: { describe: async () => ({ found: false, failure: 'not_found' }) },
      notifier: { send: async () => undefined },
      agreementScheduleIntervalMs: 0,
      letterExpiryIntervalMs: 0,
      settlementScheduleIntervalMs: 0,
    });
    await migrate(target.db, { schema: service.schema, migrations: service.migrations });

    let start = process.hrtime.bigint();
    await target.db.asOwner((tx) => tx.query(SEED_SQL));
    await target.vacuum();
    const visits = await target.db.asOwner((tx) =>
      tx.query<{ status: string; n: string }>(
        `SELECT status || ' ' || to_char(visit_date, 'YYYY-MM') AS status, count(*) AS n FROM reciprocal.visits GROUP BY 1 ORDER BY 1`,
      ),
    );
    console.log(
      `${target.label}: seeded in ${(ms(start) / 1000).toFixed(1)} s:`,
      visits.rows.map((row) => `${row.n} ${row.status}`).join(', '),
    );

    const client = createRpcClient(SettlementService, createLoopbackTransport(service.register, log));
    const caller = create(CallerContextSchema, {
      userId: randomUUID(),
      grants: [{ role: 'NETWORK_ADMIN', clubId: '' }],
      source: 'clubland',
    });
    const totals: number[] = [];
    const sqlOnly: number[] = [];
    let summary = '';
    for (let run = 0; run < RUNS; run++) {
      start = process.hrtime.bigint();
      const result = await client.getNetworkSettlement({ caller, period: PERIOD });
      totals.push(ms(start));
      summary = `${result.positions.length} positions, ${result.transfers.length} transfers`;
      start = process.hrtime.bigint();
      await target.db.transaction((tx) =>
        createSettlementQueries(tx).networkObligations(PERIOD, '2026-03-01', '2026-03-31'),
      );
      sqlOnly.push(ms(start));
    }
    console.log(
      `${target.label}: network settlement of ${PERIOD} (${summary}): median ${median(totals).toFixed(0)} ms ` +
        `over ${RUNS} runs [${totals.map((t) => t.toFixed(0)).join(', ')}]; the SQL sums alone: median ` +
        `${median(sqlOnly).toFixed(0)} ms [${sqlOnly.map((t) => t.toFixed(0)).join(', ')}]; target < 2000 ms`,
    );

    // One pair's statement, as a club's admin reads it while the period is open (a preview: the
    // pair's ~50 visits read and hashed), then the month closed once: every pair's statement issued.
    const { rows: pair } = await target.db.asOwner((tx) =>
      tx.query<{ a: string; b: string }>(
        'SELECT proposer_club_id AS a, partner_club_id AS b FROM reciprocal.agreements ORDER BY id LIMIT 1',
      ),
    );
    const treasurer = create(CallerContextSchema, {
      userId: randomUUID(),
      grants: [{ role: 'CLUB_ADMIN', clubId: pair[0]!.a }],
      source: 'clubland',
    });
    const pairTimes: number[] = [];
    let lines = 0;
    for (let run = 0; run < RUNS; run++) {
      start = process.hrtime.bigint();
      const { statement } = await client.getStatement({
        caller: treasurer,
        clubId: pair[0]!.a,
        partnerClubId: pair[0]!.b,
        period: PERIOD,
      });
      pairTimes.push(ms(start));
      lines = statement?.lines.length ?? 0;
    }
    console.log(
      `${target.label}: one pair's statement (${lines} lines): median ${median(pairTimes).toFixed(1)} ms ` +
        `[${pairTimes.map((t) => t.toFixed(1)).join(', ')}]`,
    );
    await client.openPeriod({ caller, period: PERIOD });
    start = process.hrtime.bigint();
    const closed = await client.closePeriod({ caller, period: PERIOD });
    console.log(
      `${target.label}: closing ${PERIOD} issued ${closed.statementsIssued} statements ` +
        `(${VISITS} lines) in ${(ms(start) / 1000).toFixed(1)} s (once)`,
    );
  } finally {
    await target.close();
  }
}

await main();
