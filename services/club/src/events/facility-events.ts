import type { EventEnvelope } from '@clubland/bus';
import { facilityCreated, facilityDeleted, facilityUpdated } from '@clubland/contract/events/facility';
import type { UseCaseContext } from '../app/deps.ts';
import type { FacilityRow } from '../store/facility-queries.ts';

/** Every facility event the club service emits is built here, from the contract's definition. */

function factsOf(facility: FacilityRow, context: UseCaseContext, by: string) {
  return {
    facilityId: facility.id,
    clubId: facility.clubId,
    name: facility.name,
    facilityType: facility.facilityType,
    status: facility.status,
    changedBy: by,
    changedAt: context.clock().toISOString(),
  };
}

const envelope = (facility: FacilityRow, context: UseCaseContext) => ({
  tenantId: facility.clubId,
  correlationId: context.correlationId,
});
const deps = (context: UseCaseContext) => ({ clock: context.clock, newId: context.newId });

export function facilityCreatedEvent(
  facility: FacilityRow,
  context: UseCaseContext,
  by: string,
): EventEnvelope {
  return facilityCreated.build(
    { ...envelope(facility, context), data: factsOf(facility, context, by) },
    deps(context),
  );
}

export function facilityUpdatedEvent(
  facility: FacilityRow,
  fields: string[],
  context: UseCaseContext,
  by: string,
): EventEnvelope {
  return facilityUpdated.build(
    { ...envelope(facility, context), data: { ...factsOf(facility, context, by), fields } },
    deps(context),
  );
}

export function facilityDeletedEvent(
  facility: FacilityRow,
  context: UseCaseContext,
  by: string,
): EventEnvelope {
  return facilityDeleted.build(
    { ...envelope(facility, context), data: factsOf(facility, context, by) },
    deps(context),
  );
}
