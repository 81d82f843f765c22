import { AGREEMENT_STATUSES } from '@clubland/contract/events/reciprocal';
import { invalidInput, notFound } from '@clubland/errors';
import type { AgreementStatus } from '../domain/agreement.ts';
import {
  type AgreementChangeRow,
  type AgreementRow,
  createAgreementQueries,
} from '../store/agreement-queries.ts';
import { inScopeOf, readerFor } from './agreement-access.ts';
import type { ReciprocalDeps, UseCaseContext } from './deps.ts';

const MAX_PAGE_SIZE = 100;

export interface ListAgreementsInput {
  /** The club whose agreements (either side) to list; '' for the caller's home club. */
  clubId: string;
  /** '' for every status. */
  status: string;
  page: number;
  pageSize: number;
}

export interface AgreementPage {
  agreements: AgreementRow[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * A club's agreements, newest first, for its admins and its front-desk staff (visit:manage). Read
 * in the club's tenant transaction: row-level security has the last word on what it sees. A
 * network admin naming no club lists nothing here (there is no "their" club); they name one.
 */
export async function listAgreements(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  input: ListAgreementsInput,
): Promise<AgreementPage> {
  const reader = readerFor(context.principal, input.clubId);
  if (input.status !== '' && !(AGREEMENT_STATUSES as readonly string[]).includes(input.status)) {
    throw invalidInput('status', `status must be one of ${AGREEMENT_STATUSES.join(', ')}`);
  }
  if (!Number.isInteger(input.pageSize) || input.pageSize < 1 || input.pageSize > MAX_PAGE_SIZE) {
    throw invalidInput('pageSize', `pageSize must be 1-${MAX_PAGE_SIZE}`);
  }
  if (!Number.isInteger(input.page) || input.page < 1) throw invalidInput('page', 'page must be 1 or more');
  const clubId = reader.clubId;
  if (clubId === null) return { agreements: [], total: 0, page: input.page, pageSize: input.pageSize };
  const { rows, total } = await deps.db.withTenant(clubId, (tx) =>
    createAgreementQueries(tx).listForClub(clubId, {
      status: input.status === '' ? null : (input.status as AgreementStatus),
      limit: input.pageSize,
      offset: (input.page - 1) * input.pageSize,
    }),
  );
  return { agreements: rows, total, page: input.page, pageSize: input.pageSize };
}

/** One agreement the acting club is party to (or any, for the network); NOT_FOUND otherwise. */
export async function getAgreement(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  input: { clubId: string; id: string },
): Promise<AgreementRow> {
  const reader = readerFor(context.principal, input.clubId);
  const row = await inScopeOf(deps.db, reader, (tx) => createAgreementQueries(tx).findById(input.id));
  if (!row) throw notFound('agreement', input.id);
  return row;
}

/** Every transition of an agreement, oldest first: who (null: the system), which club, when, why. */
export async function agreementHistory(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  input: { clubId: string; id: string },
): Promise<AgreementChangeRow[]> {
  const reader = readerFor(context.principal, input.clubId);
  return inScopeOf(deps.db, reader, async (tx) => {
    const queries = createAgreementQueries(tx);
    if (!(await queries.findById(input.id))) throw notFound('agreement', input.id);
    return queries.listChanges(input.id);
  });
}
