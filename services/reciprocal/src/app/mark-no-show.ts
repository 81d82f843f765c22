import { ClubError } from '@clubland/errors';
import type { VisitView } from '../store/visit-queries.ts';
import type { ReciprocalDeps, UseCaseContext } from './deps.ts';
import { requireVisitActor } from './visit-access.ts';
import { lockVisit, optionalText, recordVisitTransition, requireTransition } from './visit-transition.ts';

/** PLANNED → NO_SHOW at the host's desk (visit:manage at the host): the member did not come. */
export async function markNoShow(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  input: { visitId: string; reason: string },
): Promise<VisitView> {
  const principal = context.principal;
  if (!principal) throw new ClubError('request.unauthenticated', 'sign in first');
  const reason = optionalText(input.reason, 'reason', 1000);
  const { visit: seen } = await requireVisitActor(deps, principal, input.visitId, ['host']);
  const visit = await deps.db.withTenant(seen.hostClubId, async (tx) => {
    const current = await lockVisit(tx, input.visitId);
    requireTransition(current, 'NO_SHOW');
    return recordVisitTransition(tx, context, current, 'NO_SHOW', reason, seen.currency);
  });
  deps.eventsWritten();
  return visit;
}
