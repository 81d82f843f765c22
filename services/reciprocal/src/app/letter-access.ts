import { can, type Principal } from '@clubland/authz';
import { createLetterQueries, type LetterRow } from '../store/letter-queries.ts';
import type { ReciprocalDeps } from './deps.ts';

/**
 * Who may see and move a letter of introduction. A letter is shared by two clubs (row-level
 * security shows it to both and nobody else); within them:
 * - the host's staff (visit:manage at the host) see it and alone approve or decline it;
 * - the home club's staff (visit:manage at the home club) see it, issue, revoke and reissue it;
 * - the member whose letter it is (its account, visit:request at the home club) sees it, and may
 *   withdraw (revoke) or reissue it: a member asks for a letter for themselves, so may take it back;
 * - a network admin holds visit:manage everywhere, so counts as either club's staff.
 * A plain member of either club sees nothing of other members' letters.
 */
export function mayDecide(principal: Principal, letter: LetterRow): boolean {
  return can(principal, 'visit:manage', letter.hostClubId);
}

export function mayRevoke(principal: Principal, letter: LetterRow): boolean {
  return can(principal, 'visit:manage', letter.homeClubId) || isOwnLetter(principal, letter);
}

export function maySee(principal: Principal, letter: LetterRow): boolean {
  return mayDecide(principal, letter) || mayRevoke(principal, letter);
}

function isOwnLetter(principal: Principal, letter: LetterRow): boolean {
  return letter.memberUserId === principal.userId && can(principal, 'visit:request', letter.homeClubId);
}

/** The clubs in whose transactions the caller may find letters: their home club and every club they hold a role at. */
export function clubsOf(principal: Principal): string[] {
  const clubs = new Set<string>();
  if (principal.homeClubId) clubs.add(principal.homeClubId);
  for (const grant of principal.grants) if (grant.clubId) clubs.add(grant.clubId);
  return [...clubs];
}

/**
 * Letters by id as the caller may see them, each read inside the transaction of a club of theirs
 * (a network admin's in a network transaction), so row-level security has the last word; then
 * held to maySee. Ids the caller may not see are absent, exactly as unknown ones.
 */
export async function findLettersFor(
  deps: ReciprocalDeps,
  principal: Principal,
  ids: readonly string[],
): Promise<LetterRow[]> {
  if (ids.length === 0) return [];
  const found = new Map<string, LetterRow>();
  if (can(principal, 'network:manage', null)) {
    for (const row of await deps.db.transaction((tx) => createLetterQueries(tx).findByIds(ids))) {
      found.set(row.id, row);
    }
  } else {
    for (const clubId of clubsOf(principal)) {
      const missing = ids.filter((id) => !found.has(id));
      if (missing.length === 0) break;
      const rows = await deps.db.readAtOnce(clubId, (tx) => createLetterQueries(tx).findByIds(missing));
      for (const row of rows) found.set(row.id, row);
    }
  }
  return ids.flatMap((id) => {
    const letter = found.get(id);
    return letter && maySee(principal, letter) ? [letter] : [];
  });
}
