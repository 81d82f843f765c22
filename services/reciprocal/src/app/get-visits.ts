import type { VisitView } from '../store/visit-queries.ts';
import type { ReciprocalDeps, UseCaseContext } from './deps.ts';
import { findVisibleVisits } from './visit-access.ts';

/**
 * Visits by id, as the caller may see them: either club's staff (visit:manage), the member, a
 * network admin (app/visit-access.ts). The others are absent, exactly as unknown ids.
 */
export function getVisits(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  ids: readonly string[],
): Promise<VisitView[]> {
  return findVisibleVisits(deps, context.principal, ids);
}
