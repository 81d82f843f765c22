import { ClubStatus } from '@clubland/contract/member/v1';
import type { ClubDirectoryService, ClubProfile, ClubReview } from '@clubland/contract/member/v1/directory';
import type { Client } from '@connectrpc/connect';
import DataLoader from 'dataloader';
import type { Caller } from '../caller.ts';
import { tracedBatch } from '../traced-batch.ts';
import { callerContextOf, type PaginationArg, pageInfoOf, pagingOf } from './members.ts';
import { optionalIso } from './timestamps.ts';

/**
 * The club directory: GraphQL in, ClubDirectoryService RPC out. The `Club` fields added by
 * directory.graphql resolve from the profile when the parent came from here, and otherwise (a club
 * from clubs.graphql's `club(id)`) from a per-request DataLoader, so a list costs one call.
 */

type DirectoryClient = Client<typeof ClubDirectoryService>;
interface Context {
  caller: Caller;
}

const PROFILE = Symbol('club profile');
type GraphqlClub = ReturnType<typeof toClub>;
interface ClubParent {
  id: string;
  [PROFILE]?: GraphqlClub;
}

const statusNames: Record<ClubStatus, string | null> = {
  [ClubStatus.UNSPECIFIED]: null,
  [ClubStatus.ACTIVE]: 'ACTIVE',
  [ClubStatus.INACTIVE]: 'INACTIVE',
  [ClubStatus.SUSPENDED]: 'SUSPENDED',
};

/** Output guard: exactly the fields the SDL declares. */
function toClub(club: ClubProfile, hit?: { distanceKm?: number; relevanceScore?: number }) {
  const shape = {
    id: club.id,
    name: club.name,
    slug: club.slug,
    description: club.description || null,
    location: club.location || null,
    website: club.website || null,
    status: statusNames[club.status],
    createdAt: optionalIso(club.createdAt),
    updatedAt: optionalIso(club.updatedAt),
    address: club.address ?? null,
    phone: club.contactPhone || null,
    email: club.contactEmail || null,
    logo: club.logoUrl || null,
    logoURL: club.logoUrl || null,
    latitude: club.latitude ?? null,
    longitude: club.longitude ?? null,
    contactEmail: club.contactEmail || null,
    contactPhone: club.contactPhone || null,
    amenities: club.amenities,
    operatingHours: club.operatingHours.map(({ day, opens, closes }) => ({ day, opens, closes })),
    images: club.images,
    settings: club.settings ?? {
      allowReciprocal: false,
      requireApproval: false,
      maxVisitsPerMonth: 0,
      reciprocalFee: 0,
    },
    timezone: club.timezone,
    currency: club.currency,
    isFeatured: club.isFeatured,
    averageRating: club.averageRating,
    reviewCount: club.reviewCount,
    distance: hit?.distanceKm ?? null,
    relevanceScore: hit?.relevanceScore ?? null,
  };
  return Object.assign(shape, { [PROFILE]: shape });
}

function toReview(review: ClubReview) {
  return {
    id: review.id,
    clubId: review.clubId,
    rating: review.rating,
    comment: review.comment || null,
    author: review.author || null,
    createdAt: optionalIso(review.createdAt),
  };
}

interface Loaders {
  profiles: DataLoader<string, GraphqlClub | null>;
  relations: DataLoader<string, { favorited: boolean; isMember: boolean; lastVisitedAt: null } | null>;
}

export function directoryResolvers(clients: { directory: DirectoryClient }) {
  const { directory } = clients;
  // One set of loaders per request: the caller object is created per request.
  const loaders = new WeakMap<Caller, Loaders>();

  function loadersOf(context: Context): Loaders {
    let found = loaders.get(context.caller);
    if (!found) {
      found = {
        profiles: new DataLoader(
          tracedBatch('directory.getClubProfiles', async (ids: readonly string[]) => {
            const { clubs } = await directory.getClubProfiles({ ids: [...ids] });
            const byId = new Map(clubs.map((club) => [club.id, toClub(club)]));
            return ids.map((id) => byId.get(id) ?? null);
          }),
        ),
        relations: new DataLoader(
          tracedBatch('directory.getClubRelations', async (ids: readonly string[]) => {
            const principal = await context.caller.principal();
            if (!principal) return ids.map(() => null);
            const { relations } = await directory.getClubRelations({
              caller: callerContextOf(principal),
              clubIds: [...ids],
            });
            const byId = new Map(
              relations.map((r) => [
                r.clubId,
                { favorited: r.favourited, isMember: r.isMember, lastVisitedAt: null },
              ]),
            );
            return ids.map((id) => byId.get(id) ?? null);
          }),
        ),
      };
      loaders.set(context.caller, found);
    }
    return found;
  }

  /** A profile field: from the parent when it is a directory profile, else loaded by id. */
  function field<K extends keyof GraphqlClub>(name: K) {
    return async (parent: ClubParent, _args: unknown, context: Context) => {
      const profile = parent[PROFILE] ?? (await loadersOf(context).profiles.load(parent.id));
      return profile ? profile[name] : null;
    };
  }

  const clubFields = [
    'address',
    'phone',
    'email',
    'logo',
    'logoURL',
    'latitude',
    'longitude',
    'contactEmail',
    'contactPhone',
    'amenities',
    'operatingHours',
    'images',
    'settings',
    'timezone',
    'currency',
    'isFeatured',
    'averageRating',
    'reviewCount',
    'distance',
    'relevanceScore',
  ] as const;

  async function connection(result: {
    clubs: GraphqlClub[];
    totalCount: number;
    page: number;
    pageSize: number;
  }) {
    return {
      nodes: result.clubs,
      pageInfo: pageInfoOf(
        result.page,
        result.pageSize,
        result.totalCount,
        result.page * result.pageSize < result.totalCount,
      ),
    };
  }

  return {
    Club: {
      ...Object.fromEntries(clubFields.map((name) => [name, field(name)])),
      userRelation: (parent: ClubParent, _args: unknown, context: Context) =>
        loadersOf(context).relations.load(parent.id),
    },
    Query: {
      async clubs(
        _root: unknown,
        args: {
          pagination?: PaginationArg | null;
          filter?: {
            status?: string | null;
            search?: string | null;
            isFeatured?: boolean | null;
            city?: string | null;
            country?: string | null;
            amenities?: string[] | null;
          } | null;
        },
      ) {
        const { page, pageSize } = pagingOf(args.pagination);
        const filter = args.filter ?? {};
        const result = await directory.listClubs({
          page,
          pageSize,
          filter: {
            status: filter.status
              ? ClubStatus[filter.status as keyof typeof ClubStatus]
              : ClubStatus.UNSPECIFIED,
            search: filter.search ?? '',
            isFeatured: filter.isFeatured ?? undefined,
            city: filter.city ?? '',
            country: filter.country ?? '',
            amenities: filter.amenities ?? [],
          },
        });
        return connection({ ...result, clubs: result.clubs.map((club) => toClub(club)) });
      },
      async myClub(_root: unknown, _args: unknown, context: Context) {
        const principal = await context.caller.requirePrincipal();
        if (!principal.homeClubId) return null;
        const { club } = await directory.getMyClub({ caller: callerContextOf(principal) });
        return club ? toClub(club) : null;
      },
      async searchClubs(
        _root: unknown,
        args: {
          query: string;
          location?: { latitude: number; longitude: number } | null;
          radius?: number | null;
          amenities?: string[] | null;
          pagination?: PaginationArg | null;
        },
      ) {
        const { page, pageSize } = pagingOf(args.pagination);
        const result = await directory.searchClubs({
          query: args.query,
          near: args.location ?? undefined,
          radiusKm: args.radius ?? 0,
          amenities: args.amenities ?? [],
          page,
          pageSize,
        });
        const clubs = result.hits.map((hit) => toClub(hit.club!, hit));
        return connection({ ...result, clubs });
      },
      async clubReviews(_root: unknown, args: { clubId: string; pagination?: PaginationArg | null }) {
        const { page, pageSize } = pagingOf(args.pagination);
        const result = await directory.listClubReviews({ clubId: args.clubId, page, pageSize });
        return {
          nodes: result.reviews.map(toReview),
          averageRating: result.averageRating,
          pageInfo: pageInfoOf(
            result.page,
            result.pageSize,
            result.totalCount,
            result.page * result.pageSize < result.totalCount,
          ),
        };
      },
    },
    Mutation: {
      async toggleFavoriteClub(_root: unknown, args: { clubId: string }, context: Context) {
        const principal = await context.caller.requirePrincipal();
        const result = await directory.toggleFavouriteClub({
          caller: callerContextOf(principal),
          clubId: args.clubId,
        });
        // The relation loader must not answer from before the toggle.
        loadersOf(context).relations.clear(args.clubId);
        return {
          success: true,
          message: result.favourited ? 'added to favourites' : 'removed from favourites',
          club: toClub(result.club!),
        };
      },
      async reviewClub(
        _root: unknown,
        args: { clubId: string; rating: number; comment?: string | null; author?: string | null },
        context: Context,
      ) {
        const principal = await context.caller.requirePrincipal();
        const { review } = await directory.reviewClub({
          caller: callerContextOf(principal),
          clubId: args.clubId,
          rating: args.rating,
          comment: args.comment ?? '',
          author: args.author ?? '',
        });
        return toReview(review!);
      },
      async updateClubProfile(
        _root: unknown,
        args: { clubId: string; input: UpdateClubProfileArg },
        context: Context,
      ) {
        const principal = await context.caller.requirePrincipal();
        const { input } = args;
        const { club } = await directory.updateClubProfile({
          caller: callerContextOf(principal),
          clubId: args.clubId,
          description: input.description ?? undefined,
          location: input.location ?? undefined,
          website: input.website ?? undefined,
          address: input.address ?? undefined,
          latitude: input.latitude ?? undefined,
          longitude: input.longitude ?? undefined,
          contactEmail: input.contactEmail ?? undefined,
          contactPhone: input.contactPhone ?? undefined,
          logoUrl: input.logo ?? undefined,
          amenities: input.amenities ? { values: input.amenities } : undefined,
          operatingHours: input.operatingHours ? { values: input.operatingHours } : undefined,
          images: input.images ? { values: input.images } : undefined,
          settings: input.settings ?? undefined,
          timezone: input.timezone ?? undefined,
          currency: input.currency ?? undefined,
          isFeatured: input.isFeatured ?? undefined,
        });
        return toClub(club!);
      },
    },
  };
}

interface UpdateClubProfileArg {
  description?: string | null;
  location?: string | null;
  website?: string | null;
  address?: { street: string; city: string; state: string; postalCode: string; country: string } | null;
  latitude?: number | null;
  longitude?: number | null;
  contactEmail?: string | null;
  contactPhone?: string | null;
  logo?: string | null;
  amenities?: string[] | null;
  operatingHours?: { day: string; opens: string; closes: string }[] | null;
  images?: string[] | null;
  settings?: {
    allowReciprocal: boolean;
    requireApproval: boolean;
    maxVisitsPerMonth: number;
    reciprocalFee: number;
  } | null;
  timezone?: string | null;
  currency?: string | null;
  isFeatured?: boolean | null;
}
