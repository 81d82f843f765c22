// Bookings made through the gateway on PostgreSQL: the club's staff booking courts on behalf of
// members (the client's bookings/create_booking operation with `memberId`, booking:manage), 50
// connections, every request a different court and hour so they do not all fight for one slot;
// beside a bare Mercurius `{ hello }` server in the same run for the ratio. Target (issue 32):
// >= 1,000 bookings/s, p95 < 100 ms.
// Run: DATABASE_URL=… DATABASE_OWNER_URL=… npm run bench:bookings
//      (BENCH_ROUNDS=5 rounds of BENCH_SECONDS=5 s per setup; BENCH_BOOKINGS bodies prepared)
//
// The club, its administrator and the 200 courts are made through the API; the members who are
// booked for are inserted straight into the club's roster by the owner (as bench/front-desk.ts
// does), ACTIVE, with no caps on the courts, and BENCH_HISTORY_DAYS (30) days of past bookings, every
// court every hour of the day, COMPLETED, then ANALYZE: a club in business. Request n books court n % 200 for one hour, the
// (n / 200)th hour from 07:00 tomorrow (local) on (15 a day), for member n % BENCH_MEMBERS. After the
// run the bookings in the database are counted against the answers without a GraphQL error: each
// must have written exactly one.
import pg from 'pg';
import { startBareServer } from './lib/bare-server.ts';
import {
  asOwner,
  clubWithAdmin,
  createFacilities,
  dayFromToday,
  insertMembers,
  logStatements,
} from './lib/club-ops.ts';
import { startClublandForBench } from './lib/clubland.ts';
import { freshDatabase } from './lib/database.ts';
import { type LoadResult, loadGenerator, runLoad } from './lib/load.ts';
import { median, printRounds } from './lib/rounds.ts';

const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARM_UP_SECONDS = 3;
const FACILITIES = 200;
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 10_000);
const BOOKINGS = Number(process.env.BENCH_BOOKINGS ?? 100_000);
/** Days of past bookings the club has when the run starts (every court, every hour, all completed). */
const HISTORY_DAYS = Number(process.env.BENCH_HISTORY_DAYS ?? 30);
const HOURS_A_DAY = 15;
const TIMEZONE = 'Europe/London';

// The client's document (contract/mobile-client/operations/bookings/create_booking.graphql).
const CREATE_BOOKING = `mutation CreateBooking($input: CreateBookingInput!) {
  createFacilityBooking(input: $input) {
    id clubId facilityId memberId startTime endTime status purpose guestCount
    facility { id name type }
    createdAt
  }
}`;

if (!process.env.DATABASE_URL) {
  console.error('bench:bookings measures PostgreSQL: set DATABASE_URL (and DATABASE_OWNER_URL)');
  process.exit(2);
}
const fresh = await freshDatabase(process.env.DATABASE_URL, process.env.DATABASE_OWNER_URL);
await logStatements(fresh.ownerUrl);
const bare = await startBareServer();
const clubland = await startClublandForBench({ DATABASE_URL: fresh.url, DATABASE_OWNER_URL: fresh.ownerUrl });
try {
  const club = await clubWithAdmin(clubland, TIMEZONE);
  // One court each, every day 07:00-22:00 (the default hours), hourly, bookable a year ahead.
  const facilities = await createFacilities(clubland, club.token, club.clubId, FACILITIES, {
    capacity: 1,
    slotDuration: 60,
    minBookingDuration: 60,
    maxBookingDuration: 60,
    advanceBookingDays: 365,
  });
  const members = await insertMembers(fresh.ownerUrl, club.clubId, MEMBERS);
  // A club in business: the last HISTORY_DAYS days of every court booked every hour from 07:00 to
  // 21:00 (the database server's clock) by its members,
  // all COMPLETED, and the planner's statistics as autovacuum keeps them. On an empty table the
  // statements' cached plans are made for an empty table, and the run measured them, not the club.
  await asOwner(fresh.ownerUrl, club.clubId, (client) =>
    client.query(
      `INSERT INTO club.bookings (id, club_id, facility_id, unit, member_id, starts_at, ends_at, blocked_until,
         status, guest_count, currency, payment_status, created_by, created_at, updated_at)
       SELECT gen_random_uuid(), $1::uuid, f.id, 1, m.id, s.at, s.at + interval '1 hour', s.at + interval '1 hour',
              'COMPLETED', 0, 'GBP', 'PAID', m.id, s.at - interval '2 days', s.at
         FROM unnest($2::uuid[]) WITH ORDINALITY AS f (id, n),
              LATERAL (SELECT date_trunc('hour', now()) - (h * interval '1 hour') AS at, h
                         FROM generate_series(1, $4::int * 24) AS h WHERE extract(hour FROM now() - h * interval '1 hour') BETWEEN 7 AND 21) AS s,
              LATERAL (SELECT ($3::uuid[])[1 + ((f.n * 7919 + s.h) % array_length($3::uuid[], 1))] AS id) AS m`,
      [club.clubId, facilities, members, HISTORY_DAYS],
    ),
  );
  const owner = new pg.Client({ connectionString: fresh.ownerUrl });
  await owner.connect();
  await owner.query('ANALYZE');
  const { rows: history } = await owner.query<{ n: number }>('SELECT count(*)::int AS n FROM club.bookings');
  const pastBookings = history[0]!.n;
  // Tomorrow's local 07:00 in the club's zone, and each day's after it (the zone's rules, not a fixed offset).
  const { rows: days } = await owner.query<{ at: Date }>(
    `SELECT (($1::date + d) + time '07:00') AT TIME ZONE $2 AS at FROM generate_series(0, $3::int) AS d ORDER BY d`,
    [dayFromToday(1), TIMEZONE, Math.ceil(BOOKINGS / FACILITIES / HOURS_A_DAY)],
  );
  await owner.end();
  const bodies = Array.from({ length: BOOKINGS }, (_, n) => {
    const slot = Math.floor(n / FACILITIES);
    const start = days[Math.floor(slot / HOURS_A_DAY)]!.at.getTime() + (slot % HOURS_A_DAY) * 3_600_000;
    return JSON.stringify({
      query: CREATE_BOOKING,
      variables: {
        input: {
          clubId: club.clubId,
          facilityId: facilities[n % FACILITIES],
          memberId: members[n % MEMBERS],
          startTime: new Date(start).toISOString(),
          endTime: new Date(start + 3_600_000).toISOString(),
          guestCount: 1,
          purpose: 'Singles',
        },
      },
    });
  });
  const headers = { authorization: `Bearer ${club.token}` };

  let next = 0;
  let booked = 0;
  const bookings = async (seconds: number): Promise<LoadResult> => {
    const result = await runLoad({
      url: `${clubland.url}/graphql`,
      body: bodies[0]!,
      bodies,
      headers,
      connections: CONNECTIONS,
      durationSeconds: seconds,
      sequenceFrom: next,
    });
    // Requests still in flight when wrk stopped may have been served: skip past them.
    next += result.requests + CONNECTIONS * 2;
    booked += result.requests - result.graphqlErrors;
    if (next + CONNECTIONS * 2 >= BOOKINGS) throw new Error('BENCH_BOOKINGS too small for this run');
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
  await bookings(WARM_UP_SECONDS);

  const made: LoadResult[] = [];
  const bareRuns: LoadResult[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    bareRuns.push(await hello(SECONDS));
    made.push(await bookings(SECONDS));
  }
  const counter = new pg.Client({ connectionString: fresh.ownerUrl });
  await counter.connect();
  const { rows } = await counter.query<{ n: string }>('SELECT count(*) AS n FROM club.bookings');
  await counter.end();
  const written = Number(rows[0]!.n) - pastBookings;
  console.log(
    `load: ${loadGenerator}, ${CONNECTIONS} connections; ${ROUNDS} rounds of ${SECONDS} s per setup, setups in turn; ` +
      `${FACILITIES} courts, ${MEMBERS} members, ${pastBookings} past bookings (${HISTORY_DAYS} days)`,
  );
  printRounds(
    [
      ['bare Mercurius { hello }', bareRuns],
      ['gateway: createFacilityBooking (staff for a member), PostgreSQL', made],
    ],
    bareRuns,
  );
  const rate = median(made.map((run) => run.requestsPerSecond));
  const p95 = median(made.map((run) => run.p95Ms));
  // A request in flight when a round ended may have been served without wrk reading the answer.
  const inFlight = (ROUNDS + 1) * CONNECTIONS;
  console.log(
    `bookings answered without error: ${booked}; bookings in the database: ${written}` +
      (written >= booked && written <= booked + inFlight
        ? ` (one each, give or take the <= ${inFlight} in flight at the rounds' ends)`
        : ' (MISMATCH: check the bookings)'),
  );
  console.log(`target >= 1000 bookings/s and p95 < 100 ms: ${rate >= 1000 && p95 < 100 ? 'met' : 'NOT met'}`);
} finally {
  await clubland.stop();
  await bare.stop();
  await fresh.drop();
}
