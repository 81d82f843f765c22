import type { Principal } from '@clubland/authz';
import { ClubError, invalidInput, notFound } from '@clubland/errors';
import { checkLetterTransition, todayIn } from '../domain/letter-lifecycle.ts';
import { createLetterQueries, type LetterRow } from '../store/letter-queries.ts';
import type { ReciprocalDeps, UseCaseContext } from './deps.ts';
import { findLettersFor, mayDecide, mayRevoke } from './letter-access.ts';
import { recordLetterChange } from './letter-record.ts';

export type LetterMove = 'APPROVED' | 'DECLINED' | 'REVOKED';

/**
 * The host approves or declines a PENDING letter; the home club (or the member, for their own)
 * revokes an open one. Authorise on the letter as the caller may see it, then one transaction in
 * the acting club's tenant: the row FOR UPDATE, so two decisions (or a decision and a check-in, a
 * revocation and an approval) serialise and the second sees the first's status; the move checked
 * by the lifecycle; history, ledger entry and `letter.status_changed` beside it.
 */
export async function changeLetterStatus(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  letterId: string,
  to: LetterMove,
  rawReason: string,
): Promise<{ letter: LetterRow; ledgerTxId: string }> {
  const principal = requirePrincipal(context);
  const reason = rawReason.trim();
  if (reason.length > 1000) throw invalidInput('reason', 'reason must be at most 1000 characters');
  if (to === 'DECLINED' && reason.length === 0)
    throw invalidInput('reason', 'say why the letter is declined');

  const [seen] = await findLettersFor(deps, principal, [letterId]);
  if (!seen) throw notFound('letter', letterId);
  const decides = to !== 'REVOKED';
  if (decides ? !mayDecide(principal, seen) : !mayRevoke(principal, seen)) {
    throw new ClubError(
      'request.forbidden',
      decides
        ? 'only the host club decides on a letter of introduction'
        : 'only the home club revokes a letter',
      { permission: 'visit:manage' },
    );
  }
  const actingClubId = decides ? seen.hostClubId : seen.homeClubId;
  const now = context.clock();
  const hostToday = to === 'APPROVED' ? await todayAtHost(deps, seen.hostClubId, now) : null;

  const result = await deps.db.withTenant(actingClubId, async (tx) => {
    const letters = createLetterQueries(tx);
    const current = await letters.findById(letterId, { forUpdate: true });
    if (!current) throw notFound('letter', letterId);
    const move = checkLetterTransition(current.status, to);
    if (!move.ok) throw new ClubError(move.code, move.message, { from: current.status, to });
    if (hostToday !== null && current.departsOn < hostToday)
      throw new ClubError('letter.transition_refused', 'the trip this letter covers has ended', {
        from: current.status,
        to,
      });
    const letter = await letters.setStatus(current.id, {
      status: to,
      statusReason: reason === '' ? null : reason,
      updatedAt: now,
      ...(decides ? { decidedBy: principal.userId } : {}),
    });
    const { ledgerTxId } = await recordLetterChange(tx, context, letter, {
      from: current.status,
      reason: reason === '' ? null : reason,
      changedBy: principal.userId,
      actingClubId,
    });
    return { letter, ledgerTxId };
  });
  deps.eventsWritten();
  return result;
}

export function requirePrincipal(context: UseCaseContext): Principal {
  if (!context.principal) throw new ClubError('request.unauthenticated', 'sign in first');
  return context.principal;
}

async function todayAtHost(deps: ReciprocalDeps, hostClubId: string, now: Date): Promise<string> {
  const host = (await deps.clubs.describe([hostClubId])).get(hostClubId);
  return todayIn(host?.timezone ?? 'UTC', now);
}
