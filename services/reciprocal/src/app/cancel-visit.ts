import { ClubError, invalidInput } from '@clubland/errors';
import { createVisitQueries, type VisitView } from '../store/visit-queries.ts';
import type { ReciprocalDeps, UseCaseContext } from './deps.ts';
import { requireVisitActor } from './visit-access.ts';
import { lockVisit, optionalText, recordVisitTransition, requireTransition } from './visit-transition.ts';

/**
 * Cancels a visit: the host's desk, the home club's staff (visit:manage there) or the member for
 * their own. A CHECKED_IN visit cancelled (a check-in made in error) gives its month's and year's
 * counts back in the same transaction, so the member's limits are as if it never happened.
 */
export async function cancelVisit(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  input: { visitId: string; reason: string },
): Promise<VisitView> {
  const principal = context.principal;
  if (!principal) throw new ClubError('request.unauthenticated', 'sign in first');
  const reason = optionalText(input.reason, 'reason', 1000);
  if (reason === null) throw invalidInput('reason', 'reason must be 1-1000 characters');
  const { visit: seen } = await requireVisitActor(deps, principal, input.visitId, ['host', 'home', 'member']);

  // The host's transaction, whoever cancels: the row and its counts are the host's and home's
  // shared rows, visible to both; one tenant for every write keeps the lock order the same.
  const visit = await deps.db.withTenant(seen.hostClubId, async (tx) => {
    const current = await lockVisit(tx, input.visitId);
    requireTransition(current, 'CANCELLED');
    if (current.status === 'CHECKED_IN') {
      await createVisitQueries(tx).giveBackCounts(current, [
        current.visitDate.slice(0, 7),
        current.visitDate.slice(0, 4),
      ]);
    }
    return recordVisitTransition(tx, context, current, 'CANCELLED', reason, seen.currency);
  });
  deps.eventsWritten();
  return visit;
}
