import { authorize } from '@clubland/authz';
import { notFound } from '@clubland/errors';
import { type LetterStatus, todayIn } from '../domain/letter-lifecycle.ts';
import { createAgreementQueries } from '../store/agreement-queries.ts';
import { createLetterQueries, type LetterChangeRow, type LetterRow } from '../store/letter-queries.ts';
import { requirePrincipal } from './change-letter-status.ts';
import type { ReciprocalDeps, UseCaseContext } from './deps.ts';
import { clubsOf, findLettersFor } from './letter-access.ts';

/** Reads skip the domain: they go to the store, in transactions row-level security confines. */

export type LetterView = LetterRow & { ledgerTxId: string | null };

const MAX_PAGE_SIZE = 100;

export async function getLetters(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  ids: readonly string[],
): Promise<LetterView[]> {
  if (!context.principal || ids.length === 0) return [];
  return withLedgerTxIds(deps, await findLettersFor(deps, context.principal, ids));
}

export interface LetterPage {
  letters: LetterView[];
  total: number;
}

/** A club's letters as host, home club or both; needs visit:manage at the club. */
export async function listLetters(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  clubId: string,
  filter: { side: 'HOST' | 'HOME' | 'BOTH'; status: LetterStatus | null; page: number; pageSize: number },
): Promise<LetterPage> {
  authorize(context.principal, 'visit:manage', clubId);
  const { limit, offset } = pageOf(filter);
  const { rows, total } = await deps.db.withTenant(clubId, (tx) =>
    createLetterQueries(tx).listForClub(clubId, filter, { limit, offset }),
  );
  return { letters: await withLedgerTxIds(deps, rows), total };
}

/** The caller's own letters, from every club of theirs, newest first. */
export async function listMyLetters(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  filter: { status: LetterStatus | null; page: number; pageSize: number },
): Promise<LetterPage> {
  const principal = requirePrincipal(context);
  const all: LetterRow[] = [];
  for (const clubId of clubsOf(principal)) {
    all.push(
      ...(await deps.db.withTenant(clubId, (tx) =>
        createLetterQueries(tx).listForAccount(clubId, principal.userId, filter.status),
      )),
    );
  }
  all.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
  const { limit, offset } = pageOf(filter);
  return { letters: await withLedgerTxIds(deps, all.slice(offset, offset + limit)), total: all.length };
}

/** A letter's history, oldest first; NOT_FOUND for a letter the caller may not see. */
export async function listLetterChanges(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  letterId: string,
): Promise<LetterChangeRow[]> {
  const principal = requirePrincipal(context);
  const [letter] = await findLettersFor(deps, principal, [letterId]);
  if (!letter) throw notFound('letter', letterId);
  return deps.db.withTenant(letter.homeClubId, (tx) => createLetterQueries(tx).listChanges(letterId));
}

export interface LetterVerification {
  valid: boolean;
  status: LetterStatus;
  message: string;
  facilitiesPermitted: string[];
  restrictions: string[];
  letter: LetterView;
}

/**
 * Whether the letter covers a visit today, in the host's calendar: APPROVED and within its dates.
 * With the agreement it was issued under: the facilities it permits and what the visit is held to.
 */
export async function verifyLetter(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  letterId: string,
): Promise<LetterVerification> {
  const principal = requirePrincipal(context);
  const [found] = await findLettersFor(deps, principal, [letterId]);
  if (!found) throw notFound('letter', letterId);
  const [letter] = await withLedgerTxIds(deps, [found]);
  const host = (await deps.clubs.describe([found.hostClubId])).get(found.hostClubId);
  const today = todayIn(host?.timezone ?? 'UTC', context.clock());
  const agreement = found.agreementId
    ? await deps.db.withTenant(found.homeClubId, (tx) =>
        createAgreementQueries(tx).findById(found.agreementId!),
      )
    : null;
  const terms = agreement?.terms;
  const restrictions = terms
    ? [
        `at most ${Math.min(terms.guestsPerVisit, found.guestCount)} guest(s)`,
        ...(terms.maxStayNights === null ? [] : [`a stay of at most ${terms.maxStayNights} night(s)`]),
        ...terms.blackoutDates.map((days) => `no visits on ${days}`),
        ...(terms.specialConditions ? [terms.specialConditions] : []),
      ]
    : [`at most ${found.guestCount} guest(s)`];
  const base = {
    status: found.status,
    facilitiesPermitted: terms?.allowedFacilities ?? [],
    restrictions,
    letter: letter!,
  };
  if (found.status !== 'APPROVED') return { ...base, valid: false, message: `the letter is ${found.status}` };
  if (today < found.arrivesOn)
    return { ...base, valid: false, message: `the letter is valid from ${found.arrivesOn}` };
  if (today > found.departsOn)
    return { ...base, valid: false, message: `the letter was valid until ${found.departsOn}` };
  return { ...base, valid: true, message: `valid until ${found.departsOn}` };
}

function pageOf(filter: { page: number; pageSize: number }): { limit: number; offset: number } {
  const limit = Math.min(Math.max(filter.pageSize || 20, 1), MAX_PAGE_SIZE);
  return { limit, offset: (Math.max(filter.page || 1, 1) - 1) * limit };
}

async function withLedgerTxIds(deps: ReciprocalDeps, letters: LetterRow[]): Promise<LetterView[]> {
  if (letters.length === 0) return [];
  // A network transaction: entry ids only, of letters the caller was already allowed to see.
  const ids = await deps.db.transaction((tx) =>
    createLetterQueries(tx).ledgerTxIds(letters.map((l) => l.id)),
  );
  return letters.map((letter) => ({ ...letter, ledgerTxId: ids.get(letter.id) ?? null }));
}
