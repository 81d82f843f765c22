import { notFound } from '@clubland/errors';
import { createMemberHistoryQueries, type StatusChangeRow } from '../store/member-history-queries.ts';
import { createMemberQueries } from '../store/member-queries.ts';
import { authorizeMemberRead, guardRead } from './access.ts';
import type { MemberDeps, UseCaseContext } from './deps.ts';

/** A member's lifecycle history, newest first: staff see anyone's, a member their own. */
export async function listStatusChanges(
  deps: MemberDeps,
  context: UseCaseContext,
  clubId: string,
  memberId: string,
): Promise<StatusChangeRow[]> {
  const reader = authorizeMemberRead(context.principal, clubId);
  return deps.db.withTenant(clubId, async (tx) => {
    const member = await createMemberQueries(tx).findById(clubId, memberId);
    if (!member) throw notFound('member', memberId);
    guardRead(reader, member);
    return createMemberHistoryQueries(tx).statusChanges(clubId, memberId);
  });
}
