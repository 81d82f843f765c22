import { notFound } from '@clubland/errors';
import { createMemberHistoryQueries } from '../store/member-history-queries.ts';
import { createMemberQueries } from '../store/member-queries.ts';
import { createReviewQueries } from '../store/review-queries.ts';
import { authorizeMemberRead, guardRead } from './access.ts';
import type { MemberDeps, UseCaseContext } from './deps.ts';

/**
 * A member's data export, as one JSON document: the record (with staff notes for the club's
 * admins), the status history, the privacy audit, and, when the record is linked to an account,
 * that account's reviews and favourite clubs. Needs member:export at the club, or the member's
 * own account. The export itself is audited in the same transaction.
 *
 * Whose export decides what it holds. The person's own (subject access) holds all of it: their
 * reviews and favourites across the network. A club's export of its member holds that club's data
 * only: the member's review of this club and whether they favourite it, never what they wrote
 * about or chose among other clubs (a club could otherwise learn it by linking a record).
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
    const isOwn = member.userId !== null && member.userId === reader.principal.userId;
    const history = createMemberHistoryQueries(tx);
    await history.addPrivacyAudit({
      id: context.newId(),
      clubId,
      memberId,
      action: 'EXPORT',
      actorUserId: reader.principal.userId,
      reason: isOwn ? 'subject access request' : 'club export',
      at: now,
    });
    const reviews = createReviewQueries(tx);
    // null: every club (the person's own export); otherwise this club only.
    const clubs = isOwn ? null : [clubId];
    return {
      exportedAt: now.toISOString(),
      member,
      statusHistory: await history.statusChanges(clubId, memberId),
      privacyAudit: await history.privacyAudit(clubId, memberId),
      reviews: member.userId ? await reviews.byUser(member.userId, clubs) : [],
      favouriteClubIds: member.userId ? await reviews.favourites(member.userId, clubs) : [],
    };
  });
  return JSON.stringify(document);
}
