// A club's availability under load: members asking `availableSlots` (the client's
// bookings/available_slots operation: one facility's slots for one day) through the gateway, cycling
// over 20 facilities × the next 30 days, with 5,000 bookings held in that window; beside a bare
// Mercurius `{ hello }` server in the same run for the ratio. Target (issue 32): p95 < 20 ms.
// Run: DATABASE_URL=… DATABASE_OWNER_URL=… npm run bench:availability
//      (BENCH_ROUNDS=5 rounds of BENCH_SECONDS=5 s per setup)
//
// The club, its administrator, the member who asks and the 20 facilities are made through the API.
// The 5,000 bookings are inserted straight into club.bookings by the owner (one statement; through
// createFacilityBooking they would be the other benchmark), spread so that the exclusion constraint
// holds: facility n % 20, day (n / 20) % 30, hour 07:00 + n / 600 local, unit 1 or 2 in turn.
import pg from 'pg';
import { startBareServer } from './lib/bare-server.ts';
import {
  asOwner,
  clubWithAdmin,
  createFacilities,
  dayFromToday,
  insertMembers,
  logStatements,
  memberAccount,
} from './lib/club-ops.ts';
import { startClublandForBench } from './lib/clubland.ts';
import { freshDatabase } from './lib/database.ts';
import { type LoadResult, loadGenerator, runLoad } from './lib/load.ts';
import { median, printRounds } from './lib/rounds.ts';

const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARM_UP_SECONDS = 3;
const FACILITIES = 20;
const DAYS = 30;
const BOOKINGS = 5_000;
const TIMEZONE = 'Europe/London';

// The client's document (contract/mobile-client/operations/bookings/available_slots.graphql).
const AVAILABLE_SLOTS = `query AvailableSlots($facilityId: ID!, $date: Time!, $slotDuration: Int!) {
  availableSlots(facilityId: $facilityId, date: $date, slotDuration: $slotDuration) {
    startTime endTime available reason
  }
}`;

if (!process.env.DATABASE_URL) {
  console.error(
    'bench:availability seeds its bookings in PostgreSQL: set DATABASE_URL (and DATABASE_OWNER_URL)',
  );
  process.exit(2);
}
const fresh = await freshDatabase(process.env.DATABASE_URL, process.env.DATABASE_OWNER_URL);
await logStatements(fresh.ownerUrl);
const bare = await startBareServer();
const clubland = await startClublandForBench({ DATABASE_URL: fresh.url, DATABASE_OWNER_URL: fresh.ownerUrl });
try {
  const club = await clubWithAdmin(clubland, TIMEZONE);
  // Two courts each, every day 07:00-22:00 (the default hours), bookings of 1-2 hours on the half
  // hour, 15 minutes kept free after each, bookable 60 days ahead.
  const facilities = await createFacilities(clubland, club.token, club.clubId, FACILITIES, {
    capacity: 2,
    slotDuration: 30,
    minBookingDuration: 60,
    maxBookingDuration: 120,
    bufferMinutes: 15,
    advanceBookingDays: 60,
  });
  const members = await insertMembers(fresh.ownerUrl, club.clubId, 500);
  const firstDay = dayFromToday(1);
  await asOwner(fresh.ownerUrl, club.clubId, async (client) => {
    await client.query(
      `INSERT INTO club.bookings (id, club_id, facility_id, unit, member_id, starts_at, ends_at, blocked_until,
         status, currency, payment_status, created_by, created_at, updated_at)
       SELECT gen_random_uuid(), $1::uuid, ($2::uuid[])[n % $3 + 1], 1 + (n / ($3 * $4)) % 2,
         ($5::uuid[])[n % cardinality($5::uuid[]) + 1],
         at, at + interval '1 hour', at + interval '75 minutes',
         'CONFIRMED', 'GBP', 'PAID', ($5::uuid[])[n % cardinality($5::uuid[]) + 1], now(), now()
       FROM generate_series(0, $6::int - 1) AS n,
         LATERAL (SELECT (($7::date + (n / $3) % $4) + make_interval(hours => 7 + n / ($3 * $4)))
                         AT TIME ZONE $8 AS at) AS local`,
      [club.clubId, facilities, FACILITIES, DAYS, members, BOOKINGS, firstDay, TIMEZONE],
    );
  });
  const owner = new pg.Client({ connectionString: fresh.ownerUrl });
  await owner.connect();
  // As autovacuum would have by the time a club has 5,000 bookings.
  await owner.query('ANALYZE');
  await owner.end();

  const member = await memberAccount(clubland, club.clubId, club.networkAdmin, fresh.ownerUrl);
  const headers = { authorization: '' };
  // Request i: facility i % 20, day (i / 20) % 30: consecutive requests ask different facilities.
  const bodies = Array.from({ length: FACILITIES * DAYS }, (_, i) =>
    JSON.stringify({
      query: AVAILABLE_SLOTS,
      variables: {
        facilityId: facilities[i % FACILITIES],
        date: `${dayFromToday(1 + Math.floor(i / FACILITIES))}T00:00:00.000Z`,
        slotDuration: 60,
      },
    }),
  );
  // The member's grant reaches the token once the auth service has heard of the member record: sign
  // in until a token reads the facility.
  for (let attempt = 0; ; attempt++) {
    headers.authorization = `Bearer ${await member.signIn()}`;
    const response = await fetch(`${clubland.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: bodies[0],
    });
    const answer = (await response.json()) as {
      data?: { availableSlots: { available: boolean }[] };
      errors?: unknown[];
    };
    if (!answer.errors) {
      const slots = answer.data!.availableSlots;
      console.log(
        `first day of the first court: ${slots.length} slots, ${slots.filter((slot) => !slot.available).length} taken`,
      );
      break;
    }
    if (attempt > 100) throw new Error(`availableSlots never answered: ${JSON.stringify(answer.errors)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  let next = 0;
  const slots = async (seconds: number): Promise<LoadResult> => {
    const result = await runLoad({
      url: `${clubland.url}/graphql`,
      body: bodies[0]!,
      bodies,
      headers,
      connections: CONNECTIONS,
      durationSeconds: seconds,
      sequenceFrom: next,
    });
    next += result.requests;
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
  await slots(WARM_UP_SECONDS);

  const asked: LoadResult[] = [];
  const bareRuns: LoadResult[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    bareRuns.push(await hello(SECONDS));
    asked.push(await slots(SECONDS));
  }
  console.log(
    `load: ${loadGenerator}, ${CONNECTIONS} connections; ${ROUNDS} rounds of ${SECONDS} s per setup, setups in turn; ` +
      `${FACILITIES} facilities × ${DAYS} days from ${firstDay}, ${BOOKINGS} bookings held`,
  );
  printRounds(
    [
      ['bare Mercurius { hello }', bareRuns],
      ['gateway: availableSlots (one facility, one day), PostgreSQL', asked],
    ],
    bareRuns,
  );
  const p95 = median(asked.map((run) => run.p95Ms));
  console.log(`target p95 < 20 ms: ${p95 < 20 ? 'met' : 'NOT met'}`);
} finally {
  await clubland.stop();
  await bare.stop();
  await fresh.drop();
}
