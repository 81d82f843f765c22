import type { EventEnvelope } from '@clubland/bus';
import { visitStatusChanged } from '@clubland/contract/events/reciprocal';
import type { UseCaseContext } from '../app/deps.ts';
import type { VisitChangeRow, VisitRow } from '../store/visit-queries.ts';

/** Every event the reciprocal service emits is built here, from the contract's definition. */

function deps(context: UseCaseContext) {
  return { clock: context.clock, newId: context.newId };
}

/** A visit moved through its lifecycle; the host club is the event's tenant. */
export function visitStatusChangedEvent(
  visit: VisitRow,
  change: VisitChangeRow,
  context: UseCaseContext,
): EventEnvelope {
  return visitStatusChanged.build(
    {
      tenantId: visit.hostClubId,
      correlationId: context.correlationId,
      data: {
        visitId: visit.id,
        homeClubId: visit.homeClubId,
        hostClubId: visit.hostClubId,
        memberId: visit.memberId,
        memberUserId: visit.memberUserId,
        agreementId: visit.agreementId,
        from: change.fromStatus,
        to: change.toStatus,
        reason: change.reason,
        changedBy: change.changedBy,
        changedAt: change.changedAt.toISOString(),
      },
    },
    deps(context),
  );
}
