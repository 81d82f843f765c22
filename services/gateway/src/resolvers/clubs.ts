import { timestampDate } from '@bufbuild/protobuf/wkt';
import { type Club, type ClubRegistryService, ClubStatus } from '@clubland/contract/member/v1';
import { isClubError } from '@clubland/errors';
import type { Client } from '@connectrpc/connect';

type ClubRegistry = Client<typeof ClubRegistryService>;

interface CreateClubArgs {
  input: {
    name: string;
    slug: string;
    description?: string | null;
    location?: string | null;
    website?: string | null;
  };
}

export function clubResolvers(clubRegistry: ClubRegistry) {
  return {
    Query: {
      async club(_root: unknown, args: { id: string }) {
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
      async createClub(_root: unknown, { input }: CreateClubArgs) {
        const { club } = await clubRegistry.createClub({
          name: input.name,
          slug: input.slug,
          description: input.description ?? '',
          location: input.location ?? '',
          website: input.website ?? '',
        });
        if (!club) throw new Error('createClub answered without a club');
        return toGraphql(club);
      },
    },
  };
}

const statuses: Record<ClubStatus, string | null> = {
  [ClubStatus.UNSPECIFIED]: null,
  [ClubStatus.ACTIVE]: 'ACTIVE',
  [ClubStatus.INACTIVE]: 'INACTIVE',
  [ClubStatus.SUSPENDED]: 'SUSPENDED',
};

export function toGraphql(club: Club) {
  return {
    id: club.id,
    name: club.name,
    slug: club.slug,
    description: club.description || null,
    location: club.location || null,
    website: club.website || null,
    status: statuses[club.status],
    createdAt: club.createdAt ? timestampDate(club.createdAt).toISOString() : null,
    updatedAt: club.updatedAt ? timestampDate(club.updatedAt).toISOString() : null,
  };
}
