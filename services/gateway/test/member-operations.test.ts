import { readFileSync } from 'node:fs';
import type { Principal } from '@clubland/authz';
import { loadSchemaSdl } from '@clubland/contract/graphql';
import { ClubDirectoryService } from '@clubland/contract/member/v1/directory';
import { MemberService } from '@clubland/contract/member/v1/members';
import { ClubError } from '@clubland/errors';
import { createInMemoryTransport, createRpcClient } from '@clubland/rpc';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildSchema, parse, validate } from 'graphql';
import mercurius from 'mercurius';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MemberServiceHarness, principalWith, setupMemberService } from '../../member/test/setup.ts';
// The gateway's own pieces, as its index.ts wires them.
import { createCaller } from '../src/caller.ts';
import { toClientError } from '../src/errors.ts';
import { clubResolvers } from '../src/resolvers/clubs.ts';
import { directoryResolvers } from '../src/resolvers/directory.ts';
import { memberResolvers } from '../src/resolvers/members.ts';
import { scalarResolvers } from '../src/resolvers/scalars.ts';

/**
 * The mobile client's member and club operations, exactly as the app sends them
 * (contract/mobile-client/operations), through GraphQL to the member service over RPC.
 * Tokens are stood in for by a verifier that maps a token to a principal: token checking is the
 * auth service's and is tested there.
 */
const OPERATIONS = new URL('../../../contract/mobile-client/operations/', import.meta.url);
const operation = (path: string) => readFileSync(new URL(path, OPERATIONS), 'utf8');
const FILES = [
  'clubs/club.graphql',
  'clubs/featured_clubs.graphql',
  'clubs/get_all_clubs.graphql',
  'clubs/get_club_reviews.graphql',
  'clubs/my_club.graphql',
  'clubs/search_clubs.graphql',
  'clubs/toggle_favorite.graphql',
  'bookings/member.graphql',
  'bookings/members.graphql',
  'bookings/create_member.graphql',
  'bookings/update_member.graphql',
];

interface Body {
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary response shapes
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

describe('the mobile client’s club and member operations through GraphQL', () => {
  let harness: MemberServiceHarness;
  let app: FastifyInstance;
  const principals = new Map<string, Principal>();
  let clubA: string;
  let clubB: string;

  beforeAll(async () => {
    harness = await setupMemberService();
    const log = pino({ level: 'silent' });
    const transport = createInMemoryTransport(harness.service.register, log);
    const members = memberResolvers({ members: createRpcClient(MemberService, transport) });
    const directory = directoryResolvers({ directory: createRpcClient(ClubDirectoryService, transport) });
    const clubs = clubResolvers(harness.clubRegistry);
    const verifier = {
      async verify(token: string) {
        const principal = principals.get(token);
        if (!principal) throw new ClubError('request.unauthenticated', 'bad token');
        return principal;
      },
    };
    app = Fastify({ logger: false });
    await app.register(mercurius, {
      schema: loadSchemaSdl(),
      resolvers: {
        ...scalarResolvers,
        Query: { ...clubs.Query, ...members.Query, ...directory.Query },
        Mutation: { ...clubs.Mutation, ...members.Mutation, ...directory.Mutation },
        Club: directory.Club,
      } as never,
      context: (request) => ({
        caller: createCaller(verifier, String(request.headers.authorization ?? '').replace(/^Bearer /, ''), {
          ip: request.ip,
          userAgent: '',
        }),
      }),
      errorFormatter: (execution) => ({
        statusCode: 200,
        response: {
          data: execution.data ?? null,
          errors: (execution.errors ?? []).map((error) => toClientError(error, 'test', app.log)),
        },
      }),
    });
    clubA = await harness.seedClub('The Reform Club');
    clubB = await harness.seedClub('The Athenaeum');
    await harness.directory.updateClubProfile({
      caller: {
        userId: principalWith('NETWORK_ADMIN', null).userId,
        grants: [{ role: 'NETWORK_ADMIN', clubId: '' }],
      },
      clubId: clubB,
      isFeatured: true,
      address: {
        street: '107 Pall Mall',
        city: 'London',
        state: '',
        postalCode: 'SW1Y 5ER',
        country: 'United Kingdom',
      },
      latitude: 51.5066,
      longitude: -0.1326,
      amenities: { values: ['library', 'dining'] },
    });
  });
  afterAll(async () => {
    await app.close();
    await harness.close();
  });

  function signIn(principal: Principal): string {
    const token = `token-${principal.userId}`;
    principals.set(token, principal);
    return token;
  }

  async function run(file: string, variables: Record<string, unknown>, token?: string): Promise<Body> {
    const response = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      payload: { query: operation(file), variables },
    });
    return response.json() as Body;
  }

  it('validates every one of the operations against our schema', () => {
    const schema = buildSchema(loadSchemaSdl());
    for (const file of FILES)
      expect(
        validate(schema, parse(operation(file))).map((e) => e.message),
        file,
      ).toEqual([]);
  });

  it('runs the member operations with realistic variables, and keeps club B’s staff out of club A', async () => {
    const admin = signIn(principalWith('CLUB_ADMIN', clubA));
    const created = await run(
      'bookings/create_member.graphql',
      {
        input: {
          memberNumber: 'RC-1042',
          firstName: 'Phileas',
          lastName: 'Fogg',
          email: 'phileas.fogg@example.co.uk',
          phone: '+44 20 7930 9374',
          dateOfBirth: '1830-01-01T00:00:00Z',
          membershipType: 'REGULAR',
          address: {
            street: '7 Savile Row',
            city: 'London',
            state: '',
            postalCode: 'W1S 3PE',
            country: 'United Kingdom',
          },
          emergencyContact: { name: 'Passepartout', relationship: 'valet', phone: '+44 20 7930 0000' },
          preferences: { receiveNewsletter: true, preferredLanguage: 'en-GB' },
        },
      },
      admin,
    );
    expect(created.errors).toBeUndefined();
    const member = created.data!.createMember;
    expect(member).toMatchObject({ clubId: clubA, memberNumber: 'RC-1042', status: 'PENDING', userId: null });

    const read = await run('bookings/member.graphql', { id: member.id }, admin);
    expect(read.errors).toBeUndefined();
    expect(read.data!.member).toMatchObject({
      dateOfBirth: '1830-01-01T00:00:00.000Z',
      address: { city: 'London' },
      emergencyContact: { name: 'Passepartout' },
      preferences: { receiveNewsletter: true, receivePromotions: false, preferredLanguage: 'en-GB' },
    });

    const updated = await run(
      'bookings/update_member.graphql',
      { id: member.id, input: { phone: '+44 20 0000 0000', membershipType: 'VIP' } },
      admin,
    );
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateMember).toMatchObject({
      phone: '+44 20 0000 0000',
      membershipType: 'VIP',
      lastName: 'Fogg',
    });

    const listed = await run(
      'bookings/members.graphql',
      { pagination: { page: 1, pageSize: 10 }, status: 'PENDING' },
      admin,
    );
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.members.nodes.map((m: { id: string }) => m.id)).toEqual([member.id]);
    expect(listed.data!.members.pageInfo).toEqual({
      page: 1,
      pageSize: 10,
      total: 1,
      totalPages: 1,
      hasNextPage: false,
      hasPrevPage: false,
    });

    // Club B's staff: an empty roster of their own, and nothing of A's by id.
    const staffB = signIn(principalWith('STAFF', clubB));
    const theirs = await run('bookings/members.graphql', { pagination: { page: 1, pageSize: 10 } }, staffB);
    expect(theirs.data!.members.nodes).toEqual([]);
    const notTheirs = await run('bookings/member.graphql', { id: member.id }, staffB);
    expect(notTheirs.data!.member).toBeNull();
    const forced = await run(
      'bookings/update_member.graphql',
      { id: member.id, input: { firstName: 'X' } },
      signIn(principalWith('CLUB_ADMIN', clubB)),
    );
    expect(forced.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const anonymous = await run('bookings/members.graphql', {});
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const duplicate = await run(
      'bookings/create_member.graphql',
      {
        input: {
          memberNumber: 'RC-1042',
          firstName: 'A',
          lastName: 'B',
          email: 'a@b.co',
          membershipType: 'REGULAR',
        },
      },
      admin,
    );
    expect(duplicate.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'memberNumber' });
  });

  it('runs the club operations with realistic variables', async () => {
    const member = signIn(principalWith('MEMBER', clubA));
    const club = await run('clubs/club.graphql', { id: clubB }, member);
    expect(club.errors).toBeUndefined();
    expect(club.data!.club).toMatchObject({
      id: clubB,
      name: 'The Athenaeum',
      settings: { allowReciprocal: true, maxVisitsPerMonth: 0 },
    });

    const featured = await run(
      'clubs/featured_clubs.graphql',
      { pagination: { page: 1, pageSize: 10 } },
      member,
    );
    expect(featured.errors).toBeUndefined();
    expect(featured.data!.clubs.nodes.map((c: { id: string }) => c.id)).toEqual([clubB]);
    expect(featured.data!.clubs.nodes[0].address.city).toBe('London');

    const all = await run('clubs/get_all_clubs.graphql', {
      filter: { status: 'ACTIVE' },
      pagination: { page: 1, pageSize: 1 },
    });
    expect(all.errors).toBeUndefined();
    expect(all.data!.clubs.pageInfo).toEqual({
      page: 1,
      pageSize: 1,
      total: 2,
      totalPages: 2,
      hasNextPage: true,
      hasPrevPage: false,
    });

    const search = await run(
      'clubs/search_clubs.graphql',
      {
        query: 'athenaeum',
        location: { latitude: 51.508, longitude: -0.128 },
        radius: 5,
        amenities: ['library'],
        pagination: { page: 1, pageSize: 10 },
      },
      member,
    );
    expect(search.errors).toBeUndefined();
    expect(search.data!.searchClubs.nodes).toHaveLength(1);
    expect(search.data!.searchClubs.nodes[0].distance).toBeLessThan(1);
    expect(search.data!.searchClubs.nodes[0].relevanceScore).toBeGreaterThan(0);
    expect(search.data!.searchClubs.pageInfo).toEqual({ hasNextPage: false, totalCount: 1 });

    await harness.directory.reviewClub({
      caller: {
        userId: principalWith('MEMBER', clubA).userId,
        homeClubId: clubA,
        grants: [{ role: 'MEMBER', clubId: clubA }],
      },
      clubId: clubB,
      rating: 5,
      comment: 'A splendid library.',
      author: 'P. Fogg',
    });
    const reviews = await run('clubs/get_club_reviews.graphql', {
      clubId: clubB,
      pagination: { page: 1, pageSize: 10 },
    });
    expect(reviews.errors).toBeUndefined();
    expect(reviews.data!.clubReviews.nodes[0]).toMatchObject({
      rating: 5,
      comment: 'A splendid library.',
      author: 'P. Fogg',
    });

    const mine = await run('clubs/my_club.graphql', {}, member);
    expect(mine.data!.myClub).toMatchObject({ id: clubA, name: 'The Reform Club' });

    const toggled = await run('clubs/toggle_favorite.graphql', { clubId: clubB }, member);
    expect(toggled.errors).toBeUndefined();
    expect(toggled.data!.toggleFavoriteClub).toMatchObject({
      success: true,
      club: { id: clubB, userRelation: { favorited: true } },
    });
    const again = await run('clubs/toggle_favorite.graphql', { clubId: clubB }, member);
    expect(again.data!.toggleFavoriteClub.club.userRelation.favorited).toBe(false);
  });
});
