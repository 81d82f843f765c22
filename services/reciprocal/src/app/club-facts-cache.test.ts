import { describe, expect, it } from 'vitest';
import { cacheClubFacts } from './club-facts-cache.ts';
import type { ClubFact, ClubFacts } from './deps.ts';

function fact(id: string, status: ClubFact['status'] = 'ACTIVE'): ClubFact {
  return { id, name: id, status, latitude: 0, longitude: 0, city: '', timezone: 'UTC', currency: 'GBP' };
}

function countingFacts(known: Map<string, ClubFact>) {
  const asked: string[][] = [];
  const facts: ClubFacts = {
    async describe(ids) {
      asked.push([...ids]);
      return new Map(ids.flatMap((id) => (known.has(id) ? [[id, known.get(id)!] as const] : [])));
    },
  };
  return { facts, asked };
}

describe('cached club facts', () => {
  it('asks once for a club within its lifetime, and again after', async () => {
    let clock = 0;
    const { facts, asked } = countingFacts(new Map([['a', fact('a')]]));
    const cache = cacheClubFacts(facts, { ttlMs: 1000, now: () => clock });
    await cache.describe(['a']);
    await cache.describe(['a']);
    expect(asked).toEqual([['a']]);
    clock = 1001;
    await cache.describe(['a']);
    expect(asked).toEqual([['a'], ['a']]);
  });

  it('asks again at once for a club it was told to forget', async () => {
    const known = new Map([['a', fact('a')]]);
    const { facts } = countingFacts(known);
    const cache = cacheClubFacts(facts, { ttlMs: 60_000 });
    expect((await cache.describe(['a'])).get('a')?.status).toBe('ACTIVE');
    known.set('a', fact('a', 'SUSPENDED'));
    expect((await cache.describe(['a'])).get('a')?.status).toBe('ACTIVE');
    cache.forget('a');
    expect((await cache.describe(['a'])).get('a')?.status).toBe('SUSPENDED');
  });

  it('does not remember a club it did not find', async () => {
    const known = new Map<string, ClubFact>();
    const { facts, asked } = countingFacts(known);
    const cache = cacheClubFacts(facts, { ttlMs: 60_000 });
    expect((await cache.describe(['b'])).has('b')).toBe(false);
    known.set('b', fact('b'));
    expect((await cache.describe(['b'])).has('b')).toBe(true);
    expect(asked).toEqual([['b'], ['b']]);
  });
});
