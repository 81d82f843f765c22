import { addToOutbox } from '@clubland/bus';
import { invalidInput, notFound } from '@clubland/errors';
import type { Closure } from '../domain/facility.ts';
import { facilityUpdatedEvent } from '../events/facility-events.ts';
import { type ClosureRow, createFacilityQueries } from '../store/facility-queries.ts';
import { CLUB_SCHEMA, type ClubOpsDeps, type UseCaseContext } from './deps.ts';
import { clubOfFacility } from './manage-facilities.ts';

/**
 * Closures and maintenance windows of one facility (club:write): from then on its slots in the
 * window read CLOSED or UNDER_MAINTENANCE. Bookings already made in the window stay; staff move them.
 */
export async function addClosure(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  request: { facilityId: string; kind: string; startsAt: Date | null; endsAt: Date | null; reason: string },
): Promise<ClosureRow> {
  if (request.kind !== 'CLOSURE' && request.kind !== 'MAINTENANCE')
    throw invalidInput('kind', 'kind: CLOSURE or MAINTENANCE');
  if (!request.startsAt || !request.endsAt || request.endsAt <= request.startsAt)
    throw invalidInput('endsAt', 'a window that ends after it starts');
  const reason = request.reason.trim();
  if (reason.length < 1 || reason.length > 500)
    throw invalidInput('reason', 'a reason of 1 to 500 characters');
  const clubId = await clubOfFacility(deps, context, request.facilityId);
  const principal = context.principal!;
  const row = await deps.db.withTenant(clubId, async (tx) => {
    const facilities = createFacilityQueries(tx);
    const facility = await facilities.findById(request.facilityId, { forUpdate: true });
    if (!facility) throw notFound('facility', request.facilityId);
    const closure: ClosureRow = {
      id: context.newId(),
      clubId,
      facilityId: facility.id,
      kind: request.kind as Closure['kind'],
      startsAt: request.startsAt!,
      endsAt: request.endsAt!,
      reason,
      createdBy: principal.userId,
      createdAt: context.clock(),
    };
    await facilities.insertClosure(closure);
    await addToOutbox(tx, CLUB_SCHEMA, [
      facilityUpdatedEvent(facility, ['closures'], context, principal.userId),
    ]);
    return closure;
  });
  deps.eventsWritten();
  deps.facilityDays.forget(request.facilityId);
  return row;
}

export async function removeClosure(
  deps: ClubOpsDeps,
  context: UseCaseContext,
  request: { facilityId: string; closureId: string },
): Promise<void> {
  const clubId = await clubOfFacility(deps, context, request.facilityId);
  const principal = context.principal!;
  await deps.db.withTenant(clubId, async (tx) => {
    const facilities = createFacilityQueries(tx);
    const facility = await facilities.findById(request.facilityId, { forUpdate: true });
    if (!facility) throw notFound('facility', request.facilityId);
    if (!(await facilities.deleteClosure(facility.id, request.closureId)))
      throw notFound('closure', request.closureId);
    await addToOutbox(tx, CLUB_SCHEMA, [
      facilityUpdatedEvent(facility, ['closures'], context, principal.userId),
    ]);
  });
  deps.eventsWritten();
  deps.facilityDays.forget(request.facilityId);
}
