import { type Bus, idempotent, type Subscription } from '@clubland/bus';
import { agreementStatusChanged } from '@clubland/contract/events/reciprocal';
import type { Db } from '@clubland/db';
import { createVisitorQueries } from '../store/visitor-queries.ts';
import { MEMBER_SCHEMA } from './deps.ts';

const CONSUMER = 'member-agreements';

/**
 * Keeps member.reciprocal_agreements from the reciprocal service's agreement.status_changed, so
 * DescribeVisitor knows which hosts may see a club's members without reading another service's
 * tables. Each event takes effect once (processed_events); one arriving after a newer one for the
 * same agreement changes nothing (the row keeps the newest changedAt).
 */
export function followAgreements(db: Db, bus: Bus): Promise<Subscription> {
  return bus.subscribe({
    consumer: CONSUMER,
    types: [agreementStatusChanged.type],
    handler: idempotent({
      db,
      schema: MEMBER_SCHEMA,
      consumer: CONSUMER,
      // The read model is network-wide: an agreement belongs to two clubs.
      tenant: () => null,
      handle: async (tx, event) => {
        if (!agreementStatusChanged.is(event)) return;
        const { data } = agreementStatusChanged.parse(event);
        await createVisitorQueries(tx).applyAgreementChange({
          agreementId: data.agreementId,
          proposerClubId: data.proposerClubId,
          partnerClubId: data.partnerClubId,
          status: data.to,
          startsOn: data.startsOn,
          endsOn: data.endsOn,
          changedAt: new Date(data.changedAt),
        });
      },
    }),
  });
}
