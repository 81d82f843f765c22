import { assertClubId } from '@clubland/db';
import { ClubError, notFound } from '@clubland/errors';
import { type ClubProfileRow, createClubProfileQueries } from '../store/club-profile-queries.ts';
import { createReviewQueries } from '../store/review-queries.ts';
import type { MemberDeps, UseCaseContext } from './deps.ts';

/** The calling user's own view of the directory: favourites, memberships, their home club. */

function requireCaller(context: UseCaseContext) {
  if (!context.principal) throw new ClubError('request.unauthenticated', 'sign in first');
  return context.principal;
}

export async function toggleFavouriteClub(
  deps: MemberDeps,
  context: UseCaseContext,
  clubId: string,
): Promise<{ favourited: boolean; club: ClubProfileRow }> {
  const principal = requireCaller(context);
  const club = assertClubId(clubId);
  return deps.db.transaction(async (tx) => {
    const [profile] = await createClubProfileQueries(tx).findByIds([club]);
    if (!profile) throw notFound('club', club);
    const favourited = await createReviewQueries(tx).toggleFavourite(principal.userId, club, context.clock());
    return { favourited, club: profile };
  });
}

export interface ClubRelation {
  clubId: string;
  favourited: boolean;
  isMember: boolean;
}

export async function clubRelations(
  deps: MemberDeps,
  context: UseCaseContext,
  clubIds: readonly string[],
): Promise<ClubRelation[]> {
  const principal = requireCaller(context);
  const ids = clubIds.map(assertClubId);
  const favourites = new Set(
    await deps.db.readAtOnce(null, (tx) => createReviewQueries(tx).favourites(principal.userId, ids)),
  );
  return ids.map((clubId) => ({
    clubId,
    favourited: favourites.has(clubId),
    // A role in force there, as the auth service minted it: a registration names a home club, but
    // the club has to accept the person before they are its member (auth's domain/member-standing.ts).
    isMember: principal.grants.some((grant) => grant.clubId === clubId),
  }));
}

export async function myClub(deps: MemberDeps, context: UseCaseContext): Promise<ClubProfileRow> {
  const principal = requireCaller(context);
  if (!principal.homeClubId) throw notFound('club', 'home club');
  const [club] = await deps.db.readAtOnce(null, (tx) =>
    createClubProfileQueries(tx).findByIds([principal.homeClubId!]),
  );
  if (!club) throw notFound('club', principal.homeClubId);
  return club;
}
