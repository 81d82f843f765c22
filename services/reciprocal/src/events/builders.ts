import type { EventEnvelope } from '@clubland/bus';
import { agreementStatusChanged } from '@clubland/contract/events/reciprocal';
import type { UseCaseContext } from '../app/deps.ts';
import type { AgreementChangeRow, AgreementRow } from '../store/agreement-queries.ts';

/** Every event the reciprocal service emits is built here, from the contract's definition. */

type World = Pick<UseCaseContext, 'clock' | 'newId' | 'correlationId'>;

function deps(context: World) {
  return { clock: context.clock, newId: context.newId };
}

/** The tenant of an agreement's event: the club that made the change, else (the system) the proposer. */
export function agreementStatusChangedEvent(
  agreement: AgreementRow,
  change: AgreementChangeRow,
  context: World,
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
      },
    },
    deps(context),
  );
}
