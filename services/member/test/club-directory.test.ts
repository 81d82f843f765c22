import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerOf, type MemberServiceHarness, principalWith, setupMemberService } from './setup.ts';

const address = (city: string, country: string) => ({
  street: '1 Main St',
  city,
  state: '',
  postalCode: '0000',
  country,
});

describe('the club directory over RPC', () => {
  let harness: MemberServiceHarness;
  const ids: Record<string, string> = {};

  async function profile(key: string, name: string, patch: Record<string, unknown>) {
    ids[key] = await harness.seedClub(name);
    await harness.directory.updateClubProfile({
      caller: callerOf(principalWith('CLUB_ADMIN', ids[key]!)),
      clubId: ids[key]!,
      ...patch,
    });
  }

  beforeAll(async () => {
    harness = await setupMemberService();
    await profile('reform', 'The Reform Club', {
      description: 'A gentlemen’s club on Pall Mall, founded 1836.',
      address: address('London', 'United Kingdom'),
      latitude: 51.5067,
      longitude: -0.1324,
      amenities: { values: ['Library', 'Pool', 'Dining'] },
      settings: { allowReciprocal: true, requireApproval: true, maxVisitsPerMonth: 4, reciprocalFee: 25 },
      timezone: 'Europe/London',
      currency: 'GBP',
    });
    await profile('new-club', 'The New Club', {
      description: 'Edinburgh club on Princes Street.',
      address: address('Edinburgh', 'United Kingdom'),
      latitude: 55.9521,
      longitude: -3.1965,
      amenities: { values: ['library'] },
    });
    await profile('cercle', 'Cercle de l’Union Interalliée', {
      description: 'Private club with a garden.',
      address: address('Paris', 'France'),
      latitude: 48.8714,
      longitude: 2.3169,
      amenities: { values: ['pool', 'garden'] },
    });
    await profile('yale', 'The Yale Club', {
      description: 'Across from Grand Central.',
      address: address('New York', 'United States'),
      latitude: 40.7536,
      longitude: -73.9776,
      amenities: { values: ['gym', 'pool'] },
    });
    await harness.directory.updateClubProfile({
      caller: callerOf(principalWith('NETWORK_ADMIN', null)),
      clubId: ids.cercle!,
      isFeatured: true,
    });
  });
  afterAll(async () => {
    await harness.close();
  });

  const names = (hits: { club?: { slug: string; name: string } }[]) => hits.map((hit) => hit.club!.name);

  it('searches by text in the name, description or city, best match first', async () => {
    const byName = await harness.directory.searchClubs({ query: 'reform' });
    expect(names(byName.hits)).toEqual(['The Reform Club']);
    expect(byName.hits[0]!.relevanceScore).toBeGreaterThan(0);
    const byDescription = await harness.directory.searchClubs({ query: 'garden' });
    expect(names(byDescription.hits)).toEqual(['Cercle de l’Union Interalliée']);
    const byCity = await harness.directory.searchClubs({ query: 'edinburgh' });
    expect(names(byCity.hits)).toEqual(['The New Club']);
    const none = await harness.directory.searchClubs({ query: 'zzz' });
    expect(none.totalCount).toBe(0);
  });

  it('filters by city and country and by amenities (all of them, any case)', async () => {
    const inLondon = await harness.directory.listClubs({ filter: { city: 'london' } });
    expect(inLondon.clubs.map((c) => c.name)).toEqual(['The Reform Club']);
    const inUk = await harness.directory.listClubs({ filter: { country: 'United Kingdom' } });
    expect(inUk.totalCount).toBe(2);
    const withPool = await harness.directory.searchClubs({ query: '', amenities: ['POOL'] });
    expect(names(withPool.hits).sort()).toEqual([
      'Cercle de l’Union Interalliée',
      'The Reform Club',
      'The Yale Club',
    ]);
    const poolAndLibrary = await harness.directory.searchClubs({ query: '', amenities: ['pool', 'library'] });
    expect(names(poolAndLibrary.hits)).toEqual(['The Reform Club']);
  });

  it('finds clubs within a distance of a point, nearest first, with the distance (haversine)', async () => {
    const trafalgar = { latitude: 51.508, longitude: -0.1281 };
    const near = await harness.directory.searchClubs({ query: '', near: trafalgar, radiusKm: 400 });
    expect(names(near.hits)).toEqual(['The Reform Club', 'Cercle de l’Union Interalliée']);
    expect(near.hits[0]!.distanceKm).toBeLessThan(1);
    // London to Paris is about 340 km.
    expect(near.hits[1]!.distanceKm).toBeGreaterThan(330);
    expect(near.hits[1]!.distanceKm).toBeLessThan(350);
    const wider = await harness.directory.searchClubs({ query: '', near: trafalgar, radiusKm: 600 });
    expect(names(wider.hits)).toEqual(['The Reform Club', 'Cercle de l’Union Interalliée', 'The New Club']);
    const everywhere = await harness.directory.searchClubs({ query: '', near: trafalgar });
    expect(names(everywhere.hits).at(-1)).toBe('The Yale Club');
    await expect(
      harness.directory.searchClubs({ query: '', near: { latitude: 91, longitude: 0 } }),
    ).rejects.toMatchObject({ details: { field: 'location.latitude' } });
  });

  it('lists featured clubs; only the network decides which', async () => {
    const featured = await harness.directory.listClubs({ filter: { isFeatured: true } });
    expect(featured.clubs.map((c) => c.id)).toEqual([ids.cercle]);
    await expect(
      harness.directory.updateClubProfile({
        caller: callerOf(principalWith('CLUB_ADMIN', ids.reform!)),
        clubId: ids.reform!,
        isFeatured: true,
      }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
    await expect(
      harness.directory.updateClubProfile({
        caller: callerOf(principalWith('CLUB_ADMIN', ids.reform!)),
        clubId: ids.yale!,
        description: 'hijacked',
      }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
  });

  it('pages a club’s reviews, newest first, each page exactly its size', async () => {
    for (const rating of [1, 2, 3, 4, 5]) {
      await harness.directory.reviewClub({
        caller: callerOf(principalWith('MEMBER', ids.reform!)),
        clubId: ids.cercle!,
        rating,
        comment: `review ${rating}`,
        author: '',
      });
    }
    const first = await harness.directory.listClubReviews({ clubId: ids.cercle!, page: 1, pageSize: 3 });
    const second = await harness.directory.listClubReviews({ clubId: ids.cercle!, page: 2, pageSize: 3 });
    expect(first.totalCount).toBe(5);
    expect(first.reviews.map((review) => review.rating)).toEqual([5, 4, 3]);
    expect(second.reviews.map((review) => review.rating)).toEqual([2, 1]);
  });

  it('keeps one review per user and club, with the average, and no reviews of one’s own club', async () => {
    const visitor = callerOf(principalWith('MEMBER', ids.yale!));
    await harness.directory.reviewClub({
      caller: visitor,
      clubId: ids.reform!,
      rating: 3,
      comment: 'Fine',
      author: 'J.',
    });
    await harness.directory.reviewClub({
      caller: visitor,
      clubId: ids.reform!,
      rating: 5,
      comment: 'Superb library',
      author: 'J.',
    });
    await harness.directory.reviewClub({
      caller: callerOf(principalWith('MEMBER', ids.cercle!)),
      clubId: ids.reform!,
      rating: 4,
      comment: '',
      author: '',
    });
    const reviews = await harness.directory.listClubReviews({ clubId: ids.reform! });
    expect(reviews.totalCount).toBe(2);
    expect(reviews.averageRating).toBe(4.5);
    expect(reviews.reviews.map((r) => r.rating).sort()).toEqual([4, 5]);
    const [club] = (await harness.directory.getClubProfiles({ ids: [ids.reform!] })).clubs;
    expect(club).toMatchObject({ averageRating: 4.5, reviewCount: 2 });
    await expect(
      harness.directory.reviewClub({
        caller: visitor,
        clubId: ids.reform!,
        rating: 6,
        comment: '',
        author: '',
      }),
    ).rejects.toMatchObject({ details: { field: 'rating' } });
    await expect(
      harness.directory.reviewClub({
        caller: callerOf(principalWith('MEMBER', ids.reform!)),
        clubId: ids.reform!,
        rating: 5,
        comment: '',
        author: '',
      }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
  });

  it('toggles favourites per user, reports relations, and answers myClub', async () => {
    const user = principalWith('MEMBER', ids.reform!);
    const caller = callerOf(user);
    expect((await harness.directory.toggleFavouriteClub({ caller, clubId: ids.yale! })).favourited).toBe(
      true,
    );
    const { relations } = await harness.directory.getClubRelations({
      caller,
      clubIds: [ids.yale!, ids.reform!],
    });
    expect(relations).toEqual([
      expect.objectContaining({ clubId: ids.yale, favourited: true, isMember: false }),
      expect.objectContaining({ clubId: ids.reform, favourited: false, isMember: true }),
    ]);
    const other = await harness.directory.getClubRelations({
      caller: callerOf(principalWith('MEMBER', ids.reform!)),
      clubIds: [ids.yale!],
    });
    expect(other.relations[0]!.favourited).toBe(false);
    expect((await harness.directory.toggleFavouriteClub({ caller, clubId: ids.yale! })).favourited).toBe(
      false,
    );
    await expect(harness.directory.toggleFavouriteClub({ clubId: ids.yale! })).rejects.toMatchObject({
      code: 'request.unauthenticated',
    });
    const mine = await harness.directory.getMyClub({ caller });
    expect(mine.club).toMatchObject({
      id: ids.reform,
      currency: 'GBP',
      timezone: 'Europe/London',
      settings: { requireApproval: true, maxVisitsPerMonth: 4, reciprocalFee: 25 },
      amenities: ['library', 'pool', 'dining'],
    });
  });
});
