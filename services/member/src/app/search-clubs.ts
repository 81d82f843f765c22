import { invalidInput } from '@clubland/errors';
import type { ClubStatus } from '../domain/club.ts';
import {
  type ClubCriteria,
  type ClubProfileRow,
  type ClubSearchRow,
  createClubProfileQueries,
} from '../store/club-profile-queries.ts';
import type { MemberDeps } from './deps.ts';

/** The network directory. Public network data: reads need no caller and skip the domain. */

export interface PageRequest {
  page: number;
  pageSize: number;
}

export interface ClubPage<T> {
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface ClubSearch {
  status: ClubStatus | null;
  text: string;
  isFeatured: boolean | null;
  city: string;
  country: string;
  amenities: string[];
  near: { latitude: number; longitude: number } | null;
  radiusKm: number;
}

const MAX_PAGE_SIZE = 100;

export async function searchClubs(
  deps: MemberDeps,
  search: ClubSearch,
  paging: PageRequest,
): Promise<ClubPage<ClubSearchRow>> {
  const { page, pageSize } = checkedPaging(paging);
  const criteria: ClubCriteria = {
    ...checkedSearch(search),
    limit: pageSize,
    offset: (page - 1) * pageSize,
  };
  const { rows, total } = await deps.db.transaction((tx) => createClubProfileQueries(tx).search(criteria));
  return { rows, total, page, pageSize };
}

export async function getClubProfiles(deps: MemberDeps, ids: readonly string[]): Promise<ClubProfileRow[]> {
  return deps.db.readAtOnce(null, (tx) => createClubProfileQueries(tx).findByIds(ids));
}

export function checkedPaging(paging: PageRequest): PageRequest {
  const page = paging.page === 0 ? 1 : paging.page;
  const pageSize = paging.pageSize === 0 ? 20 : paging.pageSize;
  if (page < 1 || page > 100_000) throw invalidInput('page', 'page must be 1 or more');
  if (pageSize < 1 || pageSize > MAX_PAGE_SIZE)
    throw invalidInput('pageSize', `pageSize must be 1-${MAX_PAGE_SIZE}`);
  return { page, pageSize };
}

function checkedSearch(search: ClubSearch): ClubSearch {
  const text = search.text.trim();
  if (text.length > 200) throw invalidInput('query', 'query must be at most 200 characters');
  if (search.near) {
    const { latitude, longitude } = search.near;
    if (!(Math.abs(latitude) <= 90)) throw invalidInput('location.latitude', 'latitude must be -90 to 90');
    if (!(Math.abs(longitude) <= 180))
      throw invalidInput('location.longitude', 'longitude must be -180 to 180');
  }
  if (!(search.radiusKm >= 0 && search.radiusKm <= 20_100))
    throw invalidInput('radius', 'radius must be 0-20100 km');
  if (search.amenities.length > 20) throw invalidInput('amenities', 'at most 20 amenities');
  return {
    ...search,
    text,
    city: search.city.trim(),
    country: search.country.trim(),
    amenities: [...new Set(search.amenities.map((amenity) => amenity.trim().toLowerCase()).filter(Boolean))],
  };
}
