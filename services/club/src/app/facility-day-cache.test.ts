import { randomUUID } from 'node:crypto';
import { createMemoryBus } from '@clubland/bus';
import { facilityUpdated } from '@clubland/contract/events/facility';
import { describe, expect, it } from 'vitest';
import type { FacilityRow } from '../store/facility-queries.ts';
import { createFacilityDayCache, type FacilityDay, forgetOnFacilityEvents } from './facility-day-cache.ts';

const clubId = randomUUID();
const courtId = randomUUID();
const poolId = randomUUID();

/** A loader that counts its reads and answers what the "table" holds now. */
function countingLoader() {
  const loads: string[] = [];
  let held = 0;
  return {
    loads,
    book: () => held++,
    load: async (club: string, facilityId: string, date: string): Promise<FacilityDay | undefined> => {
      loads.push(`${facilityId}/${date}`);
      if (club !== clubId) return undefined;
      const facility = { id: facilityId, clubId: club } as FacilityRow;
      return { facility, closures: [], held: Array.from({ length: held }, () => ({}) as never) };
    },
  };
}

describe('createFacilityDayCache', () => {
  it('reads a facility day once, then from memory, until the facility is forgotten: every day of it', async () => {
    const loader = countingLoader();
    const cache = createFacilityDayCache({ ttlMs: 60_000, load: loader.load });
    await cache.read(clubId, courtId, '2026-06-01');
    await cache.read(clubId, courtId, '2026-06-02');
    await cache.read(clubId, poolId, '2026-06-01');
    expect((await cache.read(clubId, courtId, '2026-06-01'))?.held).toHaveLength(0);
    expect(loader.loads).toHaveLength(3);

    loader.book();
    cache.forget(courtId);
    expect((await cache.read(clubId, courtId, '2026-06-01'))?.held).toHaveLength(1);
    expect((await cache.read(clubId, courtId, '2026-06-02'))?.held).toHaveLength(1);
    // The pool was not forgotten: still the day as first read.
    expect((await cache.read(clubId, poolId, '2026-06-01'))?.held).toHaveLength(0);
    expect(loader.loads).toHaveLength(5);
  });

  it('still forgets a day whose read was in flight at the previous forget', async () => {
    const loader = countingLoader();
    let release: () => void = () => undefined;
    let holding = true;
    const cache = createFacilityDayCache({
      ttlMs: 60_000,
      load: async (club, facilityId, date) => {
        const day = await loader.load(club, facilityId, date);
        if (holding) await new Promise<void>((resolve) => (release = resolve));
        return day;
      },
    });
    const reading = cache.read(clubId, courtId, '2026-06-01');
    await expect.poll(() => loader.loads.length).toBe(1);
    holding = false;
    // A write's forget while the read is in flight: the cache reads again, and keeps that answer.
    loader.book();
    cache.forget(courtId);
    release();
    expect((await reading)?.held).toHaveLength(1);
    // The next write's forget must reach what that retried read kept.
    loader.book();
    cache.forget(courtId);
    expect((await cache.read(clubId, courtId, '2026-06-01'))?.held).toHaveLength(2);
  });

  it('keeps its index of one facility bounded, and forgetting still reaches what it holds', async () => {
    const loader = countingLoader();
    const cache = createFacilityDayCache({ ttlMs: 60_000, load: loader.load });
    const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
    // Past the bound the index starts again, forgetting the days it held: they are read anew.
    for (let n = 0; n <= 1_000; n++) await cache.read(clubId, courtId, day(n));
    expect(loader.loads).toHaveLength(1_001);
    await cache.read(clubId, courtId, day(0));
    expect(loader.loads).toHaveLength(1_002);
    // What the new index holds is still forgotten by a write.
    loader.book();
    cache.forget(courtId);
    expect((await cache.read(clubId, courtId, day(1_000)))?.held).toHaveLength(1);
  });

  it('keeps no answer for a facility that is not there', async () => {
    const loader = countingLoader();
    const cache = createFacilityDayCache({ ttlMs: 60_000, load: loader.load });
    expect(await cache.read(randomUUID(), courtId, '2026-06-01')).toBeUndefined();
    expect(await cache.read(randomUUID(), courtId, '2026-06-01')).toBeUndefined();
    expect(loader.loads).toHaveLength(2);
  });

  it("forgets a facility another instance wrote when the write's event arrives", async () => {
    const bus = createMemoryBus();
    const loader = countingLoader();
    const cache = createFacilityDayCache({ ttlMs: 60_000, load: loader.load });
    const subscription = await forgetOnFacilityEvents(bus, cache, randomUUID());
    try {
      await cache.read(clubId, courtId, '2026-06-01');
      loader.book();
      const event = facilityUpdated.build({
        tenantId: clubId,
        correlationId: null,
        data: {
          facilityId: courtId,
          clubId,
          name: 'Court 1',
          facilityType: 'TENNIS_COURT',
          status: 'ACTIVE',
          changedBy: randomUUID(),
          changedAt: new Date().toISOString(),
          fields: ['closures'],
        },
      });
      await bus.publish([event]);
      await expect.poll(async () => (await cache.read(clubId, courtId, '2026-06-01'))?.held.length).toBe(1);
    } finally {
      await subscription.close();
      await bus.close();
    }
  });
});
