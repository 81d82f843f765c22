import { randomUUID } from 'node:crypto';
import { createMemoryBus } from '@clubland/bus';
import { clubUpdated } from '@clubland/contract/events/member';
import { describe, expect, it } from 'vitest';
import { cacheClubFacts, forgetOnClubEvents } from './club-facts-cache.ts';
import type { ClubFact, ClubFacts } from './deps.ts';

const clubId = randomUUID();

/** The member service's answer, as it stands now, counting the questions. */
function directory() {
  const asked: string[][] = [];
  let timezone = 'Europe/London';
  const facts: ClubFacts = {
    describe: async (ids) => {
      asked.push([...ids]);
      return new Map(
        ids.map((id): [string, ClubFact] => [id, { id, status: 'ACTIVE', timezone, currency: 'GBP' }]),
      );
    },
  };
  return { facts, asked, move: (zone: string) => (timezone = zone) };
}

describe('cacheClubFacts with forgetOnClubEvents', () => {
  it("asks once, then answers from memory until the club's change is announced on any instance", async () => {
    const bus = createMemoryBus();
    const source = directory();
    const clubs = cacheClubFacts(source.facts, { ttlMs: 60_000 });
    const subscription = await forgetOnClubEvents(bus, clubs, randomUUID());
    try {
      await clubs.describe([clubId]);
      await clubs.describe([clubId]);
      expect(source.asked).toHaveLength(1);

      source.move('Australia/Sydney');
      await bus.publish([
        clubUpdated.build({ tenantId: clubId, correlationId: null, data: { clubId, fields: ['timezone'] } }),
      ]);
      await expect
        .poll(async () => (await clubs.describe([clubId])).get(clubId)?.timezone)
        .toBe('Australia/Sydney');
      expect(source.asked).toHaveLength(2);
    } finally {
      await subscription.close();
      await bus.close();
    }
  });
});
