import { authorize, can, type Principal } from '@clubland/authz';
import { assertClubId } from '@clubland/db';
import { ClubError, invalidInput } from '@clubland/errors';
import type { ProposalSide } from '../domain/proposal-lifecycle.ts';
import type { ProposalRow } from '../store/proposal-queries.ts';
import type { VoteRow } from '../store/vote-queries.ts';
import type { GovernanceDeps } from './deps.ts';

/**
 * Who may do what in governance. Proposals and votes are the network's: anyone who belongs to a
 * club of the network (a role somewhere) or the network administrator reads them; a DRAFT only its
 * own club's officers (governance:propose there). A club acts through its officers: proposing needs
 * governance:propose, voting governance:vote, at that club, where the caller is a member (the
 * network administrator, who holds every permission everywhere, does not vote or propose for a club
 * they do not belong to). Opening a vote and closing one early are the network's (network:manage).
 */

export function requirePrincipal(principal: Principal | null): Principal {
  if (!principal) throw new ClubError('request.unauthenticated', 'sign in first');
  return principal;
}

/** The club a call acts for: the one it names, else the caller's home club. */
export function clubOfCall(principal: Principal, requestedClubId: string): string {
  const clubId = requestedClubId !== '' ? requestedClubId : (principal.homeClubId ?? '');
  if (clubId === '') throw invalidInput('clubId', 'clubId is required when the caller has no home club');
  return assertClubId(clubId);
}

/**
 * The transaction a reader reads in: their home club's (row-level security shows its DRAFTs and
 * every club's public proposals), the network's for the network administrator. A caller with no
 * role anywhere reads nothing.
 */
export function readerClubOf(principal: Principal | null): string | null {
  const caller = requirePrincipal(principal);
  if (can(caller, 'network:manage', null)) return null;
  const club = caller.homeClubId ?? caller.grants.find((grant) => grant.clubId)?.clubId ?? null;
  if (club === null)
    throw new ClubError('request.forbidden', "governance is read by the network's clubs and their members");
  return club;
}

/** Whether the reader may see the proposal (DRAFTs: the proposing club's officers and the network). */
export function maySeeProposal(
  principal: Principal | null,
  proposal: Pick<ProposalRow, 'clubId' | 'status'>,
): boolean {
  if (proposal.status !== 'DRAFT') return true;
  return can(principal, 'governance:propose', proposal.clubId);
}

/**
 * On whose behalf the caller acts on a proposal of `clubId`: its club's officer, the network, or
 * neither. Someone who is both acts as `prefer` says (a network administrator who is an officer of
 * the proposing club submits as the club, but closes early as the network).
 */
export function sideOf(
  principal: Principal,
  clubId: string,
  prefer: 'proposer' | 'network',
): ProposalSide | null {
  const network = can(principal, 'network:manage', null);
  const proposer =
    can(principal, 'governance:propose', clubId) && principal.grants.some((grant) => grant.clubId === clubId);
  if (network && (prefer === 'network' || !proposer)) return 'network';
  if (proposer) return 'proposer';
  return null;
}

/** The officer a club acts through: the permission at the club, and a member record there. */
export async function officerOf(
  deps: GovernanceDeps,
  principal: Principal,
  clubId: string,
  permission: 'governance:propose' | 'governance:vote',
): Promise<string> {
  authorize(principal, permission, clubId);
  const officer = await deps.people.officerAt(principal, clubId);
  if (officer?.status !== 'ACTIVE')
    throw new ClubError(
      'request.forbidden',
      `a club ${permission === 'governance:vote' ? 'votes' : 'proposes'} through its officers: you need an ACTIVE membership of that club`,
      { permission },
    );
  return officer.memberId;
}

/** Whether the reader may see who cast a vote: anonymous votes name their officer only to the club's officers and the network. */
export function maySeeVoter(principal: Principal | null, vote: VoteRow): boolean {
  return (
    !vote.isAnonymous ||
    can(principal, 'governance:vote', vote.clubId) ||
    principal?.userId === vote.voterUserId
  );
}
