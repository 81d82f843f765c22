import { can } from '@clubland/authz';
import { type AgreementRow, createAgreementQueries } from '../store/agreement-queries.ts';
import type { ReciprocalDeps, UseCaseContext } from './deps.ts';

/**
 * Agreements by id, as the caller may see them: a network admin sees every one (a network
 * transaction); anyone else only those of clubs where they hold agreement:manage or visit:manage,
 * read inside that club's tenant transaction, so row-level security has the last word. Ids the
 * caller may not see are absent, exactly as unknown ones.
 */
export async function getAgreements(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  ids: readonly string[],
): Promise<AgreementRow[]> {
  if (ids.length === 0) return [];
  const principal = context.principal;
  if (!principal) return [];
  if (can(principal, 'network:manage', null)) {
    return deps.db.transaction((tx) => createAgreementQueries(tx).findByIds(ids));
  }
  const clubs = new Set(
    principal.grants
      .map((grant) => grant.clubId)
      .filter(
        (clubId): clubId is string =>
          clubId !== null &&
          (can(principal, 'agreement:manage', clubId) || can(principal, 'visit:manage', clubId)),
      ),
  );
  const found = new Map<string, AgreementRow>();
  for (const clubId of clubs) {
    const rows = await deps.db.readAtOnce(clubId, (tx) => createAgreementQueries(tx).findByIds(ids));
    for (const row of rows) found.set(row.id, row);
  }
  return ids.flatMap((id) => found.get(id) ?? []);
}
