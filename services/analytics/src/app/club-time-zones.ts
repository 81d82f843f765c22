import type { GetClubProfilesResponse } from '@clubland/contract/member/v1/directory';
import { isTimeZone } from '../domain/months.ts';
import type { ClubTimeZones } from './deps.ts';

/** The one call we use of a `createRpcClient(ClubDirectoryService, transport)` client. */
export interface ClubProfilesClient {
  getClubProfiles(request: { ids: string[] }): Promise<GetClubProfilesResponse>;
}

/**
 * Clubs' time zones over the member service's GetClubProfiles, remembered for `ttlMs` (a club
 * rarely moves; a report a minute late in following it buckets by the old zone once). A zone this
 * process does not know reads as UTC rather than failing the report.
 */
export function createClubTimeZones(
  directory: ClubProfilesClient,
  options: { ttlMs?: number; clock?: () => Date } = {},
): ClubTimeZones {
  const ttlMs = options.ttlMs ?? 60_000;
  const clock = options.clock ?? (() => new Date());
  const known = new Map<string, { zone: string | null; until: number }>();
  return {
    async of(clubId) {
      const now = clock().getTime();
      const hit = known.get(clubId);
      if (hit && hit.until > now) return hit.zone;
      const { clubs } = await directory.getClubProfiles({ ids: [clubId] });
      const club = clubs.find((candidate) => candidate.id === clubId);
      const zone = club ? (club.timezone && isTimeZone(club.timezone) ? club.timezone : 'UTC') : null;
      if (known.size > 10_000) known.clear();
      known.set(clubId, { zone, until: now + ttlMs });
      return zone;
    },
  };
}
