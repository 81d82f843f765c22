import type { ClubStatus } from '@clubland/contract/member/v1';
import type { GetClubProfilesResponse } from '@clubland/contract/member/v1/directory';
import type { ClubFact, ClubFacts } from './app/deps.ts';

/** The one call we use of a `createRpcClient(ClubDirectoryService, transport)` client. */
export interface ClubProfilesClient {
  getClubProfiles(request: { ids: string[] }): Promise<GetClubProfilesResponse>;
}

const STATUS: Record<number, ClubFact['status']> = { 1: 'ACTIVE', 2: 'INACTIVE', 3: 'SUSPENDED' };

/**
 * ClubFacts over the member service's GetClubProfiles RPC (in-memory or gRPC). A club the member
 * service does not know is absent; a failure propagates, so nothing is decided on a guess.
 */
export function createClubFacts(directory: ClubProfilesClient): ClubFacts {
  return {
    async describe(ids) {
      const unique = [...new Set(ids)];
      const facts = new Map<string, ClubFact>();
      if (unique.length === 0) return facts;
      const { clubs } = await directory.getClubProfiles({ ids: unique });
      for (const club of clubs) {
        facts.set(club.id, {
          id: club.id,
          status: STATUS[club.status as ClubStatus] ?? 'INACTIVE',
          timezone: club.timezone || 'UTC',
          currency: club.currency || 'USD',
        });
      }
      return facts;
    },
  };
}
