import type { EventEnvelope } from '@clubland/bus';
import { clubCreated } from '@clubland/contract/events/member';
import type { UseCaseContext } from '../app/deps.ts';
import type { ClubRow } from '../store/club-queries.ts';

/** Every event the member service emits is built here, from the contract's definition. */

export function clubCreatedEvent(club: ClubRow, context: UseCaseContext): EventEnvelope {
  return clubCreated.build(
    {
      tenantId: club.id,
      correlationId: context.correlationId,
      data: { clubId: club.id, name: club.name, slug: club.slug, status: club.status },
    },
    { clock: context.clock, newId: context.newId },
  );
}
