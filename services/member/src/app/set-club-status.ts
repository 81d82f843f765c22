import { authorize } from '@clubland/authz';
import { addToOutbox } from '@clubland/bus';
import { ClubError, invalidInput, notFound } from '@clubland/errors';
import { type ClubStatus, checkStatusChange } from '../domain/club.ts';
import { clubStatusChangedEvent } from '../events/builders.ts';
import { type ClubRow, createClubQueries } from '../store/club-queries.ts';
import { type ClubStatusChangeRow, createClubStatusQueries } from '../store/club-status-queries.ts';
import { MEMBER_SCHEMA, type MemberDeps, type UseCaseContext } from './deps.ts';

/**
 * The network suspends, closes (INACTIVE) or reopens a club (network:manage: network
 * administrators only). The new status, its record (who, when, why) and `club.status_changed`
 * commit together; a club's own admins cannot change its standing in the network.
 */
export async function setClubStatus(
  deps: MemberDeps,
  context: UseCaseContext,
  clubId: string,
  input: { status: ClubStatus; reason: string },
): Promise<{ club: ClubRow; change: ClubStatusChangeRow }> {
  authorize(context.principal, 'network:manage', null);
  const principal = context.principal;
  const now = context.clock();

  // In the club's own transaction: its status history is tenant-owned (the registry and the outbox
  // are network tables, visible in every transaction).
  const result = await deps.db.withTenant(clubId, async (tx) => {
    const clubs = createClubQueries(tx);
    const current = await clubs.findById(clubId, { forUpdate: true });
    if (!current) throw notFound('club', clubId);
    const check = checkStatusChange(current.status, input.status, input.reason);
    if (!check.ok) {
      if (check.code === 'request.invalid_input') throw invalidInput(check.field, check.message);
      throw new ClubError(check.code, check.message, { from: current.status, to: input.status });
    }
    const club = (await clubs.setStatus(clubId, input.status, now))!;
    const change: ClubStatusChangeRow = {
      id: context.newId(),
      clubId,
      fromStatus: current.status,
      toStatus: input.status,
      reason: input.reason.trim(),
      changedBy: principal.userId,
      changedAt: now,
    };
    await createClubStatusQueries(tx).add(change);
    await addToOutbox(tx, MEMBER_SCHEMA, [clubStatusChangedEvent(change, context)]);
    return { club, change };
  });
  deps.eventsWritten();
  return result;
}
