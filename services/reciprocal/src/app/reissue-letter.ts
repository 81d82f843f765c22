import { ClubError, notFound } from '@clubland/errors';
import { checkLetterTransition, type LetterDelivery } from '../domain/letter-lifecycle.ts';
import { createLetterQueries } from '../store/letter-queries.ts';
import { requirePrincipal } from './change-letter-status.ts';
import { deliverLetter, letterCode } from './deliver-letter.ts';
import type { ReciprocalDeps, UseCaseContext } from './deps.ts';
import { fromIssue, type IssuedLetter, insertMapped, prepareTrip, writeLetter } from './issue-letter.ts';
import { findLettersFor, mayRevoke } from './letter-access.ts';
import { recordLetterChange } from './letter-record.ts';

/** What changes in a reissue; anything left undefined is copied from the letter replaced. */
export interface ReissueInput {
  arrivesOn?: string;
  departsOn?: string;
  purpose?: string;
  guestCount?: number;
  delivery?: LetterDelivery;
  reason: string;
}

/**
 * Replaces an open letter with a new PENDING one (new dates, guests, purpose): in one transaction
 * the old letter becomes REVOKED (its history kept, a reason naming the new one) and the new one
 * is written with `replacesId`, each with its history, ledger entry and event. The host decides on
 * the new letter afresh. Same callers as a revocation; the member must still be ACTIVE.
 */
export async function reissueLetter(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  letterId: string,
  input: ReissueInput,
): Promise<IssuedLetter> {
  const principal = requirePrincipal(context);
  const [old] = await findLettersFor(deps, principal, [letterId]);
  if (!old) throw notFound('letter', letterId);
  if (!mayRevoke(principal, old))
    throw new ClubError('request.forbidden', 'only the home club reissues a letter', {
      permission: 'visit:manage',
    });
  const now = context.clock();
  const { member, clubs, today } = await prepareTrip(deps, principal, old, now);
  const trip = {
    homeClubId: old.homeClubId,
    hostClubId: old.hostClubId,
    memberId: old.memberId,
    arrivesOn: input.arrivesOn ?? old.arrivesOn,
    departsOn: input.departsOn ?? old.departsOn,
    purpose: input.purpose ?? old.purpose,
    guestCount: input.guestCount ?? old.guestCount,
    delivery: input.delivery ?? old.delivery,
  };

  const issued = await insertMapped(deps.db, old.homeClubId, async (tx) => {
    const letters = createLetterQueries(tx);
    // FOR UPDATE: a decision or check-in on the old letter waits, then finds it REVOKED.
    const current = await letters.findById(letterId, { forUpdate: true });
    if (!current) throw notFound('letter', letterId);
    const move = checkLetterTransition(current.status, 'REVOKED');
    if (!move.ok) throw new ClubError(move.code, move.message, { from: current.status, to: 'REVOKED' });
    const newId = context.newId();
    const reason = `reissued as ${newId}${input.reason.trim() ? `: ${input.reason.trim()}` : ''}`.slice(
      0,
      1000,
    );
    const revoked = await letters.setStatus(current.id, {
      status: 'REVOKED',
      statusReason: reason,
      updatedAt: now,
    });
    await recordLetterChange(tx, context, revoked, {
      from: current.status,
      reason,
      changedBy: principal.userId,
      actingClubId: old.homeClubId,
    });
    const letter = await writeLetter(
      tx,
      { ...context, newId: once(newId, context.newId) },
      principal,
      member,
      trip,
      today,
      now,
      current.id,
    );
    return { letter, ...(await recordLetterChange(tx, context, letter, fromIssue(principal, letter))) };
  });
  deps.eventsWritten();
  await deliverLetter(deps, issued.letter, member, clubs);
  return { letter: issued.letter, ledgerTxId: issued.ledgerTxId, code: letterCode(issued.letter) };
}

/** An id source whose first id is `first` (the new letter's, named in the old one's reason). */
function once(first: string, rest: () => string): () => string {
  let used = false;
  return () => {
    if (used) return rest();
    used = true;
    return first;
  };
}
