import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskWorld, footprint } from './desk-world.ts';
import { type ReciprocalServiceHarness, setupReciprocalService } from './setup.ts';

const PARALLEL = 20;

/**
 * Limits under concurrency: desks checking the same member in at the same moment never pass a
 * limit. The database decides (a conditional upsert on reciprocal.visit_counts), not a read in code.
 * Runs on PGlite, and on PostgreSQL with DATABASE_URL set (COMMON.md), where the check-ins really run
 * at once on separate connections.
 */
describe('visit limits under concurrency', () => {
  let harness: ReciprocalServiceHarness;
  const now = new Date('2026-06-15T11:00:00Z');

  beforeAll(async () => {
    harness = await setupReciprocalService({ clock: () => now });
  });
  afterAll(() => harness.close());

  async function seedCount(home: string, host: string, memberId: string, period: string, visits: number) {
    await harness.db.withTenant(host, (tx) =>
      tx.query(
        `INSERT INTO reciprocal.visit_counts (home_club_id, host_club_id, member_id, period, visits)
         VALUES ($1, $2, $3, $4, $5)`,
        [home, host, memberId, period, visits],
      ),
    );
  }

  async function countOf(host: string, memberId: string, period: string): Promise<number> {
    const { rows } = await harness.db.withTenant(host, (tx) =>
      tx.query<{ visits: number }>(
        'SELECT visits FROM reciprocal.visit_counts WHERE host_club_id = $1 AND member_id = $2 AND period = $3',
        [host, memberId, period],
      ),
    );
    return rows[0]?.visits ?? 0;
  }

  for (const [limit, period, terms] of [
    ['monthly', '2026-06', { maxVisitsPerMonth: 5 }],
    ['yearly', '2026', { maxVisitsPerYear: 5 }],
  ] as const) {
    it(`admits exactly one of ${PARALLEL} parallel check-ins one visit short of the ${limit} limit`, async () => {
      const world = await deskWorld(harness, { terms });
      await seedCount(world.home, world.host, world.memberId, period, 4);
      const before = await footprint(harness);
      // Desks at several terminals of the host club, all at once.
      const outcomes = await Promise.allSettled(
        Array.from({ length: PARALLEL }, () =>
          harness.visits.checkIn({
            caller: world.desk,
            hostClubId: world.host,
            identification: {
              by: { case: 'memberNumber', value: { homeClubId: world.home, memberNumber: 'V-1' } },
            },
          }),
        ),
      );
      const admitted = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const refusals = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
      expect(admitted).toHaveLength(1);
      // Every other desk was refused by the limit itself, not by an accident of the race.
      const reason = limit === 'monthly' ? 'MONTHLY_LIMIT_REACHED' : 'YEARLY_LIMIT_REACHED';
      for (const refusal of refusals) {
        expect(refusal).toMatchObject({ code: 'visit.refused', details: { reasons: [reason] } });
      }
      expect(await countOf(world.host, world.memberId, period)).toBe(5);
      const after = await footprint(harness);
      expect(after.visits).toBe(before.visits! + 1);
      expect(after.ledgerEntries).toBe(before.ledgerEntries! + 1);
    });
  }

  it(`admits exactly the monthly allowance over rounds of ${PARALLEL} parallel check-ins`, async () => {
    const world = await deskWorld(harness, { terms: { maxVisitsPerMonth: 3 } });
    const identification = {
      by: { case: 'memberNumber' as const, value: { homeClubId: world.home, memberNumber: 'V-1' } },
    };
    let admittedInAll = 0;
    for (let round = 0; round < 5; round += 1) {
      const outcomes = await Promise.allSettled(
        Array.from({ length: PARALLEL }, () =>
          harness.visits.checkIn({ caller: world.desk, hostClubId: world.host, identification }),
        ),
      );
      const admitted = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
      admittedInAll += admitted.length;
      // One open visit per member: the visitor leaves before the next round (check-out is another
      // use case; here the row is closed directly).
      for (const { visit } of admitted) {
        await harness.db.withTenant(world.host, (tx) =>
          tx.query(`UPDATE reciprocal.visits SET status = 'CHECKED_OUT', checked_out_at = $2 WHERE id = $1`, [
            visit!.id,
            now,
          ]),
        );
      }
    }
    expect(admittedInAll).toBe(3);
    expect(await countOf(world.host, world.memberId, '2026-06')).toBe(3);
    expect(await countOf(world.host, world.memberId, '2026')).toBe(3);
  });

  it('lets twenty desks verify at once without counting anything', async () => {
    const world = await deskWorld(harness, { terms: { maxVisitsPerMonth: 1 } });
    const outcomes = await Promise.allSettled(
      Array.from({ length: PARALLEL }, () =>
        harness.visits.verifyVisitor({
          caller: world.desk,
          hostClubId: world.host,
          identification: {
            by: { case: 'memberNumber', value: { homeClubId: world.home, memberNumber: 'V-1' } },
          },
        }),
      ),
    );
    expect(outcomes.every((outcome) => outcome.status === 'fulfilled' && outcome.value.allowed)).toBe(true);
    expect(await countOf(world.host, world.memberId, '2026-06')).toBe(0);
  });
});
