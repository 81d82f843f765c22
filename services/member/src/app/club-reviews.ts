import { authorize } from '@clubland/authz';
import { assertClubId } from '@clubland/db';
import { ClubError, invalidInput, notFound } from '@clubland/errors';
import { checkReview, type NewReview } from '../domain/club-profile.ts';
import { createClubQueries } from '../store/club-queries.ts';
import { createReviewQueries, type ReviewRow } from '../store/review-queries.ts';
import type { MemberDeps, UseCaseContext } from './deps.ts';
import { checkedPaging, type PageRequest } from './search-clubs.ts';

/** Reviews are public; writing one needs review:write at the reviewer's home club. */

export async function listClubReviews(deps: MemberDeps, clubId: string, paging: PageRequest) {
  const club = assertClubId(clubId);
  const { page, pageSize } = checkedPaging(paging);
  const result = await deps.db.transaction((tx) =>
    createReviewQueries(tx).page(club, pageSize, (page - 1) * pageSize),
  );
  return { ...result, page, pageSize };
}

export async function reviewClub(
  deps: MemberDeps,
  context: UseCaseContext,
  clubId: string,
  input: NewReview,
): Promise<ReviewRow> {
  const principal = context.principal;
  authorize(principal, 'review:write', principal?.homeClubId ?? null);
  const club = assertClubId(clubId);
  if (club === principal.homeClubId) {
    throw new ClubError('request.forbidden', 'members review the clubs they visit, not their own', {
      permission: 'review:write',
    });
  }
  const checked = checkReview(input);
  if (!checked.ok) throw invalidInput(checked.field, checked.message);
  const now = context.clock();
  return deps.db.transaction(async (tx) => {
    if (!(await createClubQueries(tx).findById(club))) throw notFound('club', club);
    return createReviewQueries(tx).upsert(
      { id: context.newId(), clubId: club, userId: principal.userId, ...checked.value, createdAt: now },
      now,
    );
  });
}
