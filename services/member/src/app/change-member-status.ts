import { authorize } from '@clubland/authz';
import { addToOutbox } from '@clubland/bus';
import { ClubError, invalidInput, notFound } from '@clubland/errors';
import type { MemberStatus } from '../domain/member.ts';
import { checkTransition } from '../domain/member-lifecycle.ts';
import { memberStatusChangedEvent } from '../events/builders.ts';
import { createMemberHistoryQueries, type StatusChangeRow } from '../store/member-history-queries.ts';
import { createMemberQueries, type MemberRow } from '../store/member-queries.ts';
import { MEMBER_SCHEMA, type MemberDeps, type UseCaseContext } from './deps.ts';

export interface StatusChangeInput {
  memberId: string;
  to: MemberStatus;
  reason: string;
  /** A renewal (to ACTIVE) may set the new expiry. */
  expiresAt: Date | null;
}

/**
 * Moves a member through the lifecycle (domain/member-lifecycle.ts). A legal transition updates
 * the member, appends to the status history and writes `member.status_changed`, all in one
 * transaction; an illegal one throws CONFLICT before anything is written.
 */
export async function changeMemberStatus(
  deps: MemberDeps,
  context: UseCaseContext,
  clubId: string,
  input: StatusChangeInput,
): Promise<{ member: MemberRow; change: StatusChangeRow }> {
  authorize(context.principal, 'member:write', clubId);
  const principal = context.principal;
  const reason = input.reason.trim();
  if (reason.length === 0 || reason.length > 1000)
    throw invalidInput('reason', 'reason must be 1-1000 characters');
  const now = context.clock();
  if (input.expiresAt && input.expiresAt <= now)
    throw invalidInput('expiresAt', 'expiresAt must be in the future');

  // In `finally`: a COMMIT that failed on a lost connection may still have committed.
  const result = await deps.db
    .withTenant(clubId, async (tx) => {
      const members = createMemberQueries(tx);
      // FOR UPDATE: two concurrent transitions of one member serialise, and the second sees the first's status.
      const current = await members.findById(clubId, input.memberId, { forUpdate: true });
      if (!current) throw notFound('member', input.memberId);
      const transition = checkTransition(current.status, input.to);
      if (!transition.ok)
        throw new ClubError(transition.code, transition.message, { from: current.status, to: input.to });

      const member = await members.update(clubId, current.id, {
        status: input.to,
        updatedAt: now,
        expiresAt: input.to === 'ACTIVE' && input.expiresAt ? input.expiresAt : undefined,
      });
      const change: StatusChangeRow = {
        id: context.newId(),
        clubId,
        memberId: current.id,
        fromStatus: current.status,
        toStatus: input.to,
        reason,
        changedBy: principal.userId,
        changedAt: now,
      };
      await createMemberHistoryQueries(tx).addStatusChange(change);
      await addToOutbox(tx, MEMBER_SCHEMA, [memberStatusChangedEvent(change, current.userId, context)]);
      return { member: member!, change };
    })
    .finally(() => deps.memberCache.forget(clubId, input.memberId));
  deps.eventsWritten();
  return result;
}
