import type { EventEnvelope } from '@clubland/bus';
import { letterStatusChanged } from '@clubland/contract/events/reciprocal';
import type { UseCaseContext } from '../app/deps.ts';
import type { LetterChangeRow, LetterRow } from '../store/letter-queries.ts';

/** Every event the reciprocal service emits is built here, from the contract's definition. */

function deps(context: Pick<UseCaseContext, 'clock' | 'newId'>) {
  return { clock: context.clock, newId: context.newId };
}

/** `tenantId`: the club on whose behalf the change was made (the home club for the system's). */
export function letterStatusChangedEvent(
  letter: LetterRow,
  change: LetterChangeRow,
  actingClubId: string,
  context: Pick<UseCaseContext, 'clock' | 'newId' | 'correlationId'>,
): EventEnvelope {
  return letterStatusChanged.build(
    {
      tenantId: actingClubId,
      correlationId: context.correlationId,
      data: {
        letterId: letter.id,
        homeClubId: letter.homeClubId,
        hostClubId: letter.hostClubId,
        memberId: letter.memberId,
        memberUserId: letter.memberUserId,
        from: change.fromStatus,
        to: change.toStatus,
        reason: change.reason,
        changedBy: change.changedBy,
        changedAt: change.changedAt.toISOString(),
        arrivesOn: letter.arrivesOn,
        departsOn: letter.departsOn,
        delivery: letter.delivery,
      },
    },
    deps(context),
  );
}
