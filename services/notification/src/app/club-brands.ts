import { isClubError } from '@clubland/errors';
import type { ClubBranding } from '../domain/email-layout.ts';

/**
 * A club's name and branding for the messages it sends: asked of the member service's club
 * registry (this service keeps no copy of clubs), remembered for a few minutes so a fan-out or a
 * delivery batch asks once per club. An unknown club, or none, is null: the texts then read the
 * catalogue's neutral phrase ("your club").
 */
export interface ClubBrands {
  brandOf(clubId: string | null): Promise<ClubBranding | null>;
}

/** The one call used of a `createRpcClient(ClubRegistryService, transport)` client. */
export interface ClubRegistryClient {
  getClub(request: { id: string }): Promise<{ club?: { name: string; website: string } | undefined }>;
}

/** No registry to ask (a test, a service alone without the member service): every club unnamed. */
export const unnamedClubs: ClubBrands = { brandOf: async () => null };

export function createClubBrands(
  registry: ClubRegistryClient,
  options: { ttlMs?: number; clock?: () => number } = {},
): ClubBrands {
  const ttlMs = options.ttlMs ?? 300_000;
  const clock = options.clock ?? Date.now;
  const known = new Map<string, { at: number; brand: Promise<ClubBranding | null> }>();
  return {
    brandOf(clubId) {
      if (!clubId) return Promise.resolve(null);
      const hit = known.get(clubId);
      if (hit && clock() - hit.at < ttlMs) return hit.brand;
      const brand = registry.getClub({ id: clubId }).then(
        ({ club }) =>
          club ? { clubName: club.name, websiteUrl: club.website === '' ? null : club.website } : null,
        (error: unknown) => {
          known.delete(clubId);
          if (isClubError(error) && error.code.endsWith('not_found')) return null;
          throw error;
        },
      );
      known.set(clubId, { at: clock(), brand });
      if (known.size > 10_000) known.delete(known.keys().next().value!);
      return brand;
    },
  };
}
