import { type Bus, idempotent, type Subscription } from '@clubland/bus';
import { agreementStatusChanged } from '@clubland/contract/events/reciprocal';
import type { Db } from '@clubland/db';
import { CLUB_SCHEMA } from './deps.ts';

const CONSUMER = 'club-visitor-agreements';

/**
 * Keeps club.visitor_agreements from the reciprocal service's agreement.status_changed, so the
 * club service knows which visitors may use which facilities without reading another service's
 * tables. Each event takes effect once (processed_events); one arriving after a newer one for the
 * same agreement changes nothing (the row keeps the newest changedAt).
 */
export function followVisitorAgreements(db: Db, bus: Bus): Promise<Subscription> {
  return bus.subscribe({
    consumer: CONSUMER,
    types: [agreementStatusChanged.type],
    handler: idempotent({
      db,
      schema: CLUB_SCHEMA,
      consumer: CONSUMER,
      // The read model is network-wide: an agreement belongs to two clubs.
      tenant: () => null,
      handle: async (tx, event) => {
        if (!agreementStatusChanged.is(event)) return;
        const { data } = agreementStatusChanged.parse(event);
        await tx.query(
          `INSERT INTO club.visitor_agreements
             (agreement_id, proposer_club_id, partner_club_id, status, allowed_facilities, changed_at)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (agreement_id) DO UPDATE SET
             status = EXCLUDED.status, allowed_facilities = EXCLUDED.allowed_facilities,
             changed_at = EXCLUDED.changed_at
           WHERE club.visitor_agreements.changed_at <= EXCLUDED.changed_at`,
          [
            data.agreementId,
            data.proposerClubId,
            data.partnerClubId,
            data.to,
            data.allowedFacilities ?? null,
            new Date(data.changedAt),
          ],
        );
      },
    }),
  });
}
