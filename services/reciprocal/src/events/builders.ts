import type { EventEnvelope } from '@clubland/bus';
import { visitStatusChanged } from '@clubland/contract/events/reciprocal';
import type { UseCaseContext } from '../app/deps.ts';
import type { VisitChangeRow, VisitRow } from '../store/visit-queries.ts';

/** Every event the reciprocal service emits is built here, from the contract's definition. */

function deps(context: UseCaseContext) {
  return { clock: context.clock, newId: context.newId };
}

/**
 * A visit moved on after check-in, or a planned one ended (check-out, cancel, no-show): `visit` as it
 * stands after the change. The host club is the event's tenant: its desk made the change (or it is
 * the club the visit happened at).
 */
export function visitTransitionEvent(
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
        checkedInAt: visit.checkedInAt?.toISOString() ?? null,
        checkedOutAt: visit.checkedOutAt?.toISOString() ?? null,
        createdAt: visit.createdAt.toISOString(),
        guestCount: visit.guestCount,
      },
    },
    deps(context),
  );
}
