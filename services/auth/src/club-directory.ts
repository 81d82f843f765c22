import { type Club, ClubStatus } from '@clubland/contract/member/v1';
import { isClubError } from '@clubland/errors';
import type { ClubDirectory, ClubSummary } from './app/deps.ts';

/** The two calls we use of a `createRpcClient(ClubRegistryService, transport)` client. */
export interface ClubRegistryClient {
  getClub(request: { id: string }): Promise<{ club?: Club | undefined }>;
  getClubBySlug(request: { slug: string }): Promise<{ club?: Club | undefined }>;
}

/**
 * The ClubDirectory over the member service's ClubRegistry RPC client (in-memory or gRPC, the
 * caller's choice). An unknown club is null, not an error; other failures propagate.
 */
export function createClubDirectory(registry: ClubRegistryClient): ClubDirectory {
  async function orNull(call: () => Promise<{ club?: Club | undefined }>): Promise<ClubSummary | null> {
    try {
      const { club } = await call();
      return club ? summaryOf(club) : null;
    } catch (error) {
      if (isClubError(error) && (error.code === 'entity.not_found' || error.code === 'club.not_found'))
        return null;
      throw error;
    }
  }
  return {
    findById: (id) => orNull(() => registry.getClub({ id })),
    findBySlug: (slug) => orNull(() => registry.getClubBySlug({ slug })),
  };
}

const statuses: Partial<Record<ClubStatus, ClubSummary['status']>> = {
  [ClubStatus.ACTIVE]: 'ACTIVE',
  [ClubStatus.INACTIVE]: 'INACTIVE',
  [ClubStatus.SUSPENDED]: 'SUSPENDED',
};

function summaryOf(club: Club): ClubSummary {
  // An unspecified status is treated as not active: registration refuses rather than guesses.
  return { id: club.id, slug: club.slug, name: club.name, status: statuses[club.status] ?? 'INACTIVE' };
}
