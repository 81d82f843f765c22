import { notFound } from '@clubland/errors';
import { createMemberHistoryQueries } from '../store/member-history-queries.ts';
import { createMemberQueries } from '../store/member-queries.ts';
import { createReviewQueries } from '../store/review-queries.ts';
import { authorizeMemberRead, guardRead } from './access.ts';
import type { MemberDeps, UseCaseContext } from './deps.ts';

/**
 * A member's data export (subject access): everything this service holds about them, as one JSON
 * document: the record with staff notes, the status history, the privacy audit, and, when the
 * record is linked to a user, that user's reviews and favourite clubs. Needs member:export at the
 * club, or the member's own user. The export itself is audited in the same transaction.
 */
export async function exportMember(
  deps: MemberDeps,
  context: UseCaseContext,
  clubId: string,
  memberId: string,
): Promise<string> {
  const reader = authorizeMemberRead(context.principal, clubId, 'member:export');
  const now = context.clock();
  const document = await deps.db.withTenant(clubId, async (tx) => {
    const member = await createMemberQueries(tx).findById(clubId, memberId);
    if (!member) throw notFound('member', memberId);
    guardRead(reader, member);
    const history = createMemberHistoryQueries(tx);
    await history.addPrivacyAudit({
      id: context.newId(),
      clubId,
      memberId,
      action: 'EXPORT',
      actorUserId: reader.principal.userId,
      reason: reader.scope === 'self' ? 'subject access request' : 'club export',
      at: now,
    });
    const reviews = createReviewQueries(tx);
    return {
      exportedAt: now.toISOString(),
      member,
      statusHistory: await history.statusChanges(clubId, memberId),
      privacyAudit: await history.privacyAudit(clubId, memberId),
      reviews: member.userId ? await reviews.byUser(member.userId) : [],
      favouriteClubIds: member.userId ? await reviews.favourites(member.userId, null) : [],
    };
  });
  return JSON.stringify(document);
}
