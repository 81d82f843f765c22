import { notFound } from '@clubland/errors';
import { type ClubRow, createClubQueries } from '../store/club-queries.ts';
import type { MemberDeps } from './deps.ts';

/** Reads skip the domain: straight to the store. The registry is public network data. */

export async function getClub(deps: MemberDeps, id: string): Promise<ClubRow> {
  const club = await deps.db.readAtOnce(null, (tx) => createClubQueries(tx).findById(id));
  if (!club) throw notFound('club', id);
  return club;
}

export async function getClubs(deps: MemberDeps, ids: readonly string[]): Promise<ClubRow[]> {
  return deps.db.readAtOnce(null, (tx) => createClubQueries(tx).findByIds(ids));
}

export async function getClubBySlug(deps: MemberDeps, slug: string): Promise<ClubRow> {
  const club = await deps.db.readAtOnce(null, (tx) => createClubQueries(tx).findBySlug(slug));
  if (!club) throw notFound('club', slug);
  return club;
}
