import type { EventEnvelope } from '@clubland/bus';
import {
  agreementStatusChanged,
  letterStatusChanged,
  visitStatusChanged,
} from '@clubland/contract/events/reciprocal';
import type { UseCaseContext } from '../app/deps.ts';
import type { AgreementChangeRow, AgreementRow } from '../store/agreement-queries.ts';
import type { LetterChangeRow, LetterRow } from '../store/letter-queries.ts';
import type { VisitChangeRow, VisitRow } from '../store/visit-queries.ts';

/** Every event the reciprocal service emits is built here, from the contract's definition. */

function deps(context: Pick<UseCaseContext, 'clock' | 'newId'>) {
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

/** The tenant of an agreement's event: the club that made the change, else (the system) the proposer. */
export function agreementStatusChangedEvent(
  agreement: AgreementRow,
  change: AgreementChangeRow,
  context: Pick<UseCaseContext, 'clock' | 'newId' | 'correlationId'>,
): EventEnvelope {
  return agreementStatusChanged.build(
    {
      tenantId: change.changedByClubId ?? agreement.proposerClubId,
      correlationId: context.correlationId,
      data: {
        agreementId: agreement.id,
        proposerClubId: agreement.proposerClubId,
        partnerClubId: agreement.partnerClubId,
        from: change.fromStatus,
        to: change.toStatus,
        reason: change.reason,
        changedBy: change.changedBy,
        changedAt: change.changedAt.toISOString(),
        startsOn: agreement.startsOn,
        endsOn: agreement.endsOn,
        allowedFacilities: agreement.terms.allowedFacilities,
      },
    },
    deps(context),
  );
}
