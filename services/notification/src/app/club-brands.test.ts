import { ClubError } from '@clubland/errors';
import { describe, expect, it } from 'vitest';
import { createClubBrands } from './club-brands.ts';

/** The registry is a FAKE (an object answering getClub as the member service's RPC client does). */
function registry() {
  const calls: string[] = [];
  const answers = new Map<string, () => Promise<{ club?: { name: string; website: string } }>>();
  return {
    calls,
    answers,
    client: {
      getClub: ({ id }: { id: string }) => {
        calls.push(id);
        return (answers.get(id) ?? (async () => ({})))();
      },
    },
  };
}

describe('createClubBrands', () => {
  it('asks once per club within the TTL, again after it; an unknown club or none is null', async () => {
    const fake = registry();
    let now = 0;
    fake.answers.set('a', async () => ({ club: { name: 'Athenaeum', website: '' } }));
    const brands = createClubBrands(fake.client, { ttlMs: 1_000, clock: () => now });
    expect(await brands.brandOf('a')).toEqual({ clubName: 'Athenaeum', websiteUrl: null });
    expect(await brands.brandOf('a')).toEqual({ clubName: 'Athenaeum', websiteUrl: null });
    expect(fake.calls).toEqual(['a']);
    now = 1_000;
    await brands.brandOf('a');
    expect(fake.calls).toEqual(['a', 'a']);
    expect(await brands.brandOf('b')).toBeNull();
    expect(await brands.brandOf(null)).toBeNull();
    fake.answers.set('gone', async () => {
      throw new ClubError('entity.not_found', 'no such club');
    });
    expect(await brands.brandOf('gone')).toBeNull();
  });

  it('does not remember a failure: the next ask tries again', async () => {
    const fake = registry();
    fake.answers.set('a', async () => {
      throw new Error('member service unavailable');
    });
    const brands = createClubBrands(fake.client);
    await expect(brands.brandOf('a')).rejects.toThrow('unavailable');
    fake.answers.set('a', async () => ({ club: { name: 'Athenaeum', website: 'https://a.example' } }));
    expect(await brands.brandOf('a')).toEqual({ clubName: 'Athenaeum', websiteUrl: 'https://a.example' });
  });
});
