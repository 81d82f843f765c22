import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDb, type TestDb } from '@clubland/db/testing';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClublandToEnd } from '../../../test/e2e/clubland-process.ts';
import type { DemoSeedResult } from '../src/demo/seed-demo.ts';

const MEMBERSHIP_TYPES = [
  'REGULAR',
  'PREMIUM',
  'VIP',
  'CORPORATE',
  'STUDENT',
  'SENIOR',
  'FAMILY',
  'HONORARY',
];
const MEMBER_STATUSES = ['PENDING', 'ACTIVE', 'SUSPENDED', 'EXPIRED', 'INACTIVE'];

const COUNTS = `SELECT (SELECT count(*)::int FROM member.clubs) AS clubs,
  (SELECT count(*)::int FROM member.members) AS members,
  (SELECT count(*)::int FROM auth.users) AS accounts,
  (SELECT count(*)::int FROM auth.role_grants WHERE revoked_at IS NULL) AS grants,
  (SELECT count(*)::int FROM member.club_reviews) AS reviews,
  (SELECT count(*)::int FROM member.favourite_clubs) AS favourites,
  (SELECT count(*)::int FROM reciprocal.agreements) AS agreements,
  (SELECT count(*)::int FROM reciprocal.agreement_changes) AS "agreementChanges",
  (SELECT count(*)::int FROM reciprocal.letters) AS letters,
  (SELECT count(*)::int FROM reciprocal.visits) AS visits,
  (SELECT count(*)::int FROM reciprocal.visit_changes) AS "visitChanges",
  (SELECT count(*)::int FROM reciprocal.ledger_entries) AS "ledgerEntries",
  (SELECT count(*)::int FROM club.facilities) AS facilities,
  (SELECT count(*)::int FROM club.bookings) AS bookings,
  (SELECT count(*)::int FROM club.events) AS events,
  (SELECT count(*)::int FROM club.rsvps) AS rsvps,
  (SELECT count(*)::int FROM governance.proposals) AS proposals,
  (SELECT count(*)::int FROM governance.votes) AS votes,
  (SELECT count(*)::int FROM governance.policies) AS policies`;

type Counts = Record<
  | 'clubs'
  | 'members'
  | 'accounts'
  | 'grants'
  | 'reviews'
  | 'favourites'
  | 'agreements'
  | 'agreementChanges'
  | 'letters'
  | 'visits'
  | 'visitChanges'
  | 'ledgerEntries'
  | 'facilities'
  | 'bookings'
  | 'events'
  | 'rsvps'
  | 'proposals'
  | 'votes'
  | 'policies',
  number
>;

/**
 * `clubland seed --demo` as an operator runs it: on the embedded database, and on PostgreSQL when
 * DATABASE_URL is set (a fresh database; there the explicit command is the only way to seed).
 */
describe.each([
  { backend: 'embedded PGlite', postgres: false },
  { backend: 'PostgreSQL', postgres: true },
])('clubland seed --demo on $backend', ({ postgres }) => {
  const skip = postgres && !process.env.DATABASE_URL;
  let dataDir: string;
  let testDb: TestDb | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'clubland-seed-'));
    if (postgres && !skip) testDb = await createTestDb();
  });
  afterAll(async () => {
    await testDb?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const env = () => ({
    CLUBLAND_DATA_DIR: dataDir,
    DATABASE_URL: postgres ? testDb?.url : undefined,
    DATABASE_OWNER_URL: postgres ? testDb?.ownerUrl : undefined,
    NATS_URL: undefined,
    REDIS_URL: undefined,
    LOG_LEVEL: 'info',
  });

  async function counts(): Promise<Counts> {
    if (testDb?.ownerUrl) {
      // As the owner: the application's login sees no club's members outside a club's transaction.
      const client = new pg.Client({ connectionString: testDb.ownerUrl });
      await client.connect();
      try {
        return (await client.query<Counts>(COUNTS)).rows[0]!;
      } finally {
        await client.end();
      }
    }
    const pglite = new PGlite(dataDir);
    try {
      return (await pglite.query<Counts>(COUNTS)).rows[0]!;
    } finally {
      await pglite.close();
    }
  }

  it.skipIf(skip)(
    'loads the demo network, prints its accounts as one JSON document, and a second run adds nothing',
    async () => {
      const first = await runClublandToEnd(['seed', '--demo', '--json'], env());
      expect(first.code, first.stderr).toBe(0);
      // Standard output is the document alone; the logs went to standard error.
      const result = JSON.parse(first.stdout) as DemoSeedResult;
      expect(first.stderr).toContain('demo network ready');
      const once = await counts();

      const second = await runClublandToEnd(['seed', '--demo', '--json'], env());
      expect(second.code, second.stderr).toBe(0);
      const again = JSON.parse(second.stdout) as DemoSeedResult;
      expect(await counts()).toEqual(once);
      expect(again.created).toEqual({
        clubs: 0,
        accounts: 0,
        members: 0,
        agreements: 0,
        letters: 0,
        visits: 0,
        facilities: 0,
        bookings: 0,
        events: 0,
        rsvps: 0,
        notifications: 0,
        proposals: 0,
        votes: 0,
        policies: 0,
      });
      expect(again.policies).toEqual(result.policies);
      expect(again.proposals).toEqual(result.proposals);
      // The second run finds the same agreements, letter and visits, as the first left them.
      expect(again.agreements).toEqual(result.agreements);
      expect(again.facilities).toEqual(result.facilities);
      expect(again.bookings).toEqual(result.bookings);
      expect(again.events).toEqual(result.events);
      expect(again.letters).toEqual(result.letters);
      expect(again.visits).toEqual(result.visits);
      expect(again.accounts.map((a) => [a.email, a.userId])).toEqual(
        result.accounts.map((a) => [a.email, a.userId]),
      );

      // What the demo network holds.
      expect(result.created).toEqual({
        clubs: result.clubs.length,
        accounts: result.accounts.length,
        members: once.members,
        agreements: 3,
        letters: 1,
        visits: 2,
        facilities: result.facilities.length,
        bookings: result.bookings.length,
        events: result.events.length,
        rsvps: result.events.flatMap((e) => e.rsvps).length,
        // Each club's welcome to its members in standing (INACTIVE ones hear nothing).
        notifications: result.accounts.filter((a) => a.member && a.member.status !== 'INACTIVE').length,
        proposals: 3,
        votes: 7,
        policies: 1,
      });
      expect(result.policies).toMatchObject([{ club: 'pall-mall-club', name: 'Dress code', isActive: true }]);
      // Governance: a vote under way, one decided (2 of 4 is short of two thirds), the Cercle's draft;
      // each club's administrator is an honorary member, its officer.
      expect(result.proposals.map((p) => [p.proposer, p.status, p.votes])).toEqual([
        ['pall-mall-club', 'VOTING_OPEN', 3],
        ['knickerbocker-union', 'REJECTED', 4],
        ['cercle-etoile', 'DRAFT', 0],
      ]);
      expect(once).toMatchObject({ proposals: 3, votes: 7 });
      for (const account of result.accounts.filter((a) => a.roles.includes('CLUB_ADMIN')))
        expect(account.member).toMatchObject({ membershipType: 'HONORARY', status: 'ACTIVE' });
      expect(result.clubs.length).toBeGreaterThanOrEqual(4);
      expect(new Set(result.clubs.map((c) => c.city)).size).toBe(result.clubs.length);
      expect(new Set(result.clubs.map((c) => c.country)).size).toBe(result.clubs.length);
      expect(once).toMatchObject({ clubs: result.clubs.length, accounts: result.accounts.length });
      expect(once.reviews).toBeGreaterThan(0);
      expect(once.favourites).toBeGreaterThan(0);
      for (const club of result.clubs) {
        const people = result.accounts.filter((a) => a.clubId === club.id);
        expect(people.map((a) => a.roles[0])).toEqual(
          expect.arrayContaining(['CLUB_ADMIN', 'STAFF', 'MEMBER']),
        );
      }
      const members = result.accounts.flatMap((a) => (a.member ? [a.member] : []));
      expect(new Set(members.map((m) => m.membershipType))).toEqual(new Set(MEMBERSHIP_TYPES));
      expect(new Set(members.map((m) => m.status))).toEqual(new Set(MEMBER_STATUSES));
      for (const account of result.accounts) {
        expect(account).toMatchObject({ email: expect.stringContaining('@'), password: expect.any(String) });
      }
      expect(result.accounts.filter((a) => a.roles.includes('NETWORK_ADMIN'))).toHaveLength(1);

      // Reciprocity: one agreement of each status the demo shows, every one on the ledger port.
      expect(result.agreements.map((a) => [a.proposer, a.partner, a.status])).toEqual([
        ['pall-mall-club', 'knickerbocker-union', 'ACTIVE'],
        ['pall-mall-club', 'cercle-etoile', 'PENDING'],
        ['knickerbocker-union', 'harbourside-club', 'SUSPENDED'],
      ]);
      expect(once).toMatchObject({ agreements: 3, letters: 1, visits: 2 });
      // Drafted and submitted (3 × 2), approved and activated (2 × 2), suspended (1).
      expect(once.agreementChanges).toBe(11);
      // Ada's week in New York, approved by the host, from the day of the seed at the host.
      expect(result.letters).toEqual([
        {
          id: expect.any(String),
          memberNumber: 'PMC-0001',
          host: 'knickerbocker-union',
          status: 'APPROVED',
          arrivesOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
          departsOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        },
      ]);
      const [letter] = result.letters;
      expect(Date.parse(letter!.departsOn) - Date.parse(letter!.arrivesOn)).toBe(6 * 86_400_000);
      // Two New York members at the Pall Mall Club, checked out under the agreement's cost sharing:
      // £25 a visitor paid by the home club, what they ate, drank and used paid by the member.
      expect(result.visits).toEqual([
        {
          id: expect.any(String),
          memberNumber: 'KNU-0001',
          host: 'pall-mall-club',
          status: 'CHECKED_OUT',
          visitDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
          costs: { total: 2 * 2500 + 6400, homeClubShare: 2 * 2500, memberShare: 6400, currency: 'GBP' },
        },
        {
          id: expect.any(String),
          memberNumber: 'KNU-0003',
          host: 'pall-mall-club',
          status: 'CHECKED_OUT',
          visitDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
          costs: {
            total: 3 * 2500 + 18000 + 4850,
            homeClubShare: 3 * 2500,
            memberShare: 18000 + 4850,
            currency: 'GBP',
          },
        },
      ]);
      // This month's at the host, so the settlement period of the month has them.
      const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format().slice(0, 7);
      for (const visit of result.visits) expect(visit.visitDate.slice(0, 7)).toBe(month);
      // Checked in, then out: two changes each; every cross-club fact has its ledger entry.
      expect(once.visitChanges).toBe(4);
      expect(once.ledgerEntries).toBeGreaterThanOrEqual(once.agreementChanges + once.visitChanges);

      // Club operations, club by club: 2-4 facilities, a week of bookings by its members, two
      // upcoming events with RSVPs; every row the service holds is one the result names.
      expect(once).toMatchObject({
        facilities: result.facilities.length,
        bookings: result.bookings.length,
        events: result.events.length,
        rsvps: result.events.flatMap((e) => e.rsvps).length,
      });
      const now = Date.now();
      const memberNumbers = new Map(
        result.accounts.flatMap((a): [string, string][] => (a.member ? [[a.member.number, a.club!]] : [])),
      );
      for (const club of result.clubs) {
        const facilities = result.facilities.filter((f) => f.club === club.slug);
        expect(facilities.length).toBeGreaterThanOrEqual(2);
        expect(facilities.length).toBeLessThanOrEqual(4);
        expect(new Set(facilities.map((f) => f.name)).size).toBe(facilities.length);

        const bookings = result.bookings.filter((b) => b.club === club.slug);
        expect(bookings.length).toBeGreaterThanOrEqual(3);
        for (const booking of bookings) {
          expect(memberNumbers.get(booking.memberNumber)).toBe(club.slug);
          expect(facilities.map((f) => f.name)).toContain(booking.facility);
          // The week after the seed's day at the club: tomorrow to six days on, local time.
          const startsIn = Date.parse(booking.startsAt) - now;
          expect(startsIn).toBeGreaterThan(0);
          expect(startsIn).toBeLessThan(8 * 86_400_000);
          expect(Date.parse(booking.endsAt)).toBeGreaterThan(Date.parse(booking.startsAt));
        }
        expect(bookings.filter((b) => b.status === 'CONFIRMED').length).toBeGreaterThanOrEqual(3);
        expect(new Set(bookings.map((b) => b.startsAt.slice(0, 10))).size).toBeGreaterThanOrEqual(3);

        const events = result.events.filter((e) => e.club === club.slug);
        expect(events).toHaveLength(2);
        for (const event of events) {
          expect(event.status).toBe('PUBLISHED');
          expect(Date.parse(event.startsAt)).toBeGreaterThan(now);
          expect(event.rsvps.length).toBeGreaterThan(0);
          for (const rsvp of event.rsvps) expect(memberNumbers.get(rsvp.memberNumber)).toBe(club.slug);
        }
        // Seats are taken by the YES answers (a member and their guests).
        expect(events.some((e) => e.seatsTaken > 0)).toBe(true);
      }
      // A cancellation in the week, for the statistics to count.
      expect(result.bookings.filter((b) => b.status === 'CANCELLED').length).toBeGreaterThan(0);
    },
    300_000,
  );
});
