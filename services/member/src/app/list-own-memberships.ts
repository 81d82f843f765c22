import { ClubError } from '@clubland/errors';
import { createAccountLinkQueries } from '../store/account-link-queries.ts';
import type { MemberRow } from '../store/member-queries.ts';
import type { MemberDeps, UseCaseContext } from './deps.ts';

/**
 * The caller's own member records: at their home club and at every other club that holds one
 * linked to their account, home club first, then by when they joined. This is how a member learns
 * their member id (the card needs it) without knowing their number. Nobody reads another person's
 * list: the only input is the caller's verified id; row-level security shows that person's links
 * only, and each record is then read in its own club's tenant (through the member cache) and kept
 * only if it is still linked to them. Erased records are left out; staff notes are never shown.
 */
export async function listOwnMemberships(deps: MemberDeps, context: UseCaseContext): Promise<MemberRow[]> {
  const principal = context.principal;
  if (!principal) throw new ClubError('request.unauthenticated', 'sign in first');
  const links = await deps.db.readAtOnce(null, (tx) =>
    createAccountLinkQueries(tx).listForPerson(principal.userId),
  );
  const found = await Promise.all(links.map((link) => deps.memberCache.read(link.clubId, link.memberId)));
  const home = principal.homeClubId;
  return found
    .filter((member): member is MemberRow => member?.userId === principal.userId.toLowerCase())
    .filter((member) => member.erasedAt === null)
    .map((member) => ({ ...member, notes: null }))
    .sort(
      (a, b) =>
        Number(b.clubId === home) - Number(a.clubId === home) || a.joinedAt.getTime() - b.joinedAt.getTime(),
    );
}
