import { type Club, type ClubRegistryService, ClubStatus } from '@clubland/contract/member/v1';
import { isClubError } from '@clubland/errors';
import type { Client } from '@connectrpc/connect';
import DataLoader from 'dataloader';
import type { ClubCache } from '../club-cache.ts';
import type {
  Club as GraphqlClub,
  ClubStatus as GraphqlClubStatus,
  MutationResolvers,
  QueryResolvers,
} from '../generated/graphql.ts';
import { tracedBatch } from '../traced-batch.ts';
import { callerContextOf } from './members.ts';
import { requiredIso } from './timestamps.ts';

type ClubRegistry = Client<typeof ClubRegistryService>;

/** A club as the registry knows it: the parent of every `Club` resolver (the directory adds the rest). */
export type ClubModel = Pick<
  GraphqlClub,
  'id' | 'name' | 'slug' | 'description' | 'location' | 'website' | 'status' | 'createdAt' | 'updatedAt'
>;

export function clubResolvers(clubRegistry: ClubRegistry): {
  Query: Pick<QueryResolvers, 'club'>;
  Mutation: Pick<MutationResolvers, 'createClub' | 'updateClub' | 'setClubStatus'>;
} {
  return {
    Query: {
      async club(_root, args) {
        try {
          const { club } = await clubRegistry.getClub({ id: args.id });
          return club ? toGraphql(club) : null;
        } catch (error) {
          // The contract types `club` as nullable: an unknown id is null, not an error.
          if (isClubError(error) && error.code === 'entity.not_found') return null;
          throw error;
        }
      },
    },
    Mutation: {
      // The member service authorises (club:create, club:write, network:manage); the caller travels along.
      async createClub(_root, { input }, { caller }) {
        const { club } = await clubRegistry.createClub({
          caller: callerContextOf(await caller.requirePrincipal()),
          name: input.name,
          slug: input.slug,
          description: input.description ?? '',
          location: input.location ?? '',
          website: input.website ?? '',
          address: input.address ?? undefined,
          latitude: input.latitude ?? undefined,
          longitude: input.longitude ?? undefined,
          timezone: input.timezone ?? '',
          currency: input.currency ?? '',
          contactEmail: input.contactEmail ?? '',
          contactPhone: input.contactPhone ?? '',
        });
        if (!club) throw new Error('createClub answered without a club');
        return toGraphql(club);
      },
      async updateClub(_root, { id, input }, { caller }) {
        const { club } = await clubRegistry.updateClub({
          caller: callerContextOf(await caller.requirePrincipal()),
          clubId: id,
          name: input.name ?? undefined,
          slug: input.slug ?? undefined,
          description: input.description ?? undefined,
          location: input.location ?? undefined,
          website: input.website ?? undefined,
          address: input.address ?? undefined,
          latitude: input.latitude ?? undefined,
          longitude: input.longitude ?? undefined,
          timezone: input.timezone ?? undefined,
          currency: input.currency ?? undefined,
          contactEmail: input.contactEmail ?? undefined,
          contactPhone: input.contactPhone ?? undefined,
        });
        if (!club) throw new Error('updateClub answered without a club');
        return toGraphql(club);
      },
      async setClubStatus(_root, { id, status, reason }, { caller }) {
        const { club } = await clubRegistry.setClubStatus({
          caller: callerContextOf(await caller.requirePrincipal()),
          clubId: id,
          status: statusValues[status],
          reason,
        });
        if (!club) throw new Error('setClubStatus answered without a club');
        return toGraphql(club);
      },
    },
  };
}

/**
 * Clubs by id for one request: every `load` of the same tick goes out as one BatchGetClubs, for
 * the ids the instance's club cache does not hold.
 */
export function createClubLoader(
  clubRegistry: ClubRegistry,
  options: { cache: boolean; shared?: ClubCache } = { cache: true },
): DataLoader<string, ClubModel | null> {
  const shared = options.shared;
  return new DataLoader(
    tracedBatch('clubs.batchGetClubs', async (ids: readonly string[]) => {
      const found = new Map<string, ClubModel>();
      for (const id of ids) {
        const cached = shared?.get(id);
        if (cached) found.set(id, cached);
      }
      const missing = ids.filter((id) => !found.has(id));
      if (missing.length > 0) {
        const { clubs } = await clubRegistry.batchGetClubs({ ids: missing });
        for (const club of clubs) {
          const model = toGraphql(club);
          found.set(model.id, model);
          shared?.set(model);
        }
      }
      return ids.map((id) => found.get(id) ?? null);
    }),
    { cache: options.cache },
  );
}

/** The client's status names as the registry's enum (setClubStatus). */
const statusValues: Record<GraphqlClubStatus, ClubStatus> = {
  ACTIVE: ClubStatus.ACTIVE,
  INACTIVE: ClubStatus.INACTIVE,
  SUSPENDED: ClubStatus.SUSPENDED,
};

const statuses: Record<ClubStatus, GraphqlClubStatus | null> = {
  [ClubStatus.UNSPECIFIED]: null,
  [ClubStatus.ACTIVE]: 'ACTIVE',
  [ClubStatus.INACTIVE]: 'INACTIVE',
  [ClubStatus.SUSPENDED]: 'SUSPENDED',
};

/** Output guard: exactly the registry's fields the SDL declares. */
export function toGraphql(club: Club): ClubModel {
  const status = statuses[club.status];
  if (status === null) throw new Error(`club ${club.id} came without a status`);
  return {
    id: club.id,
    name: club.name,
    slug: club.slug,
    description: club.description || null,
    location: club.location || null,
    website: club.website || null,
    status,
    createdAt: requiredIso(club.createdAt, "the club's createdAt"),
    updatedAt: requiredIso(club.updatedAt, "the club's updatedAt"),
  };
}
