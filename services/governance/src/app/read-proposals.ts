import { can, type Principal } from '@clubland/authz';
import { notFound, requireUuid } from '@clubland/errors';
import { oneOf, pageOf } from '../domain/input.ts';
import {
  PROPOSAL_STATUSES,
  PROPOSAL_TYPES,
  type ProposalStatus,
  type ProposalType,
} from '../domain/proposal.ts';
import { createProposalQueries, type ProposalView } from '../store/proposal-queries.ts';
import { createVoteQueries, type VoteRow } from '../store/vote-queries.ts';
import type { GovernanceDeps, UseCaseContext } from './deps.ts';
import { maySeeProposal, maySeeVoter, readerClubOf, requirePrincipal } from './proposal-access.ts';

/** A vote as its reader may see it: an anonymous vote's officer is blank to other clubs. */
export type VoteView = VoteRow;

/** Votes shown at most with a proposal; the rest are paged through listVotes. */
const VOTES_WITH_PROPOSAL = 500;

export function voteAsSeen(principal: Principal | null, vote: VoteRow): VoteView {
  return maySeeVoter(principal, vote) ? vote : { ...vote, voterUserId: '', voterMemberId: '' };
}

/** One proposal (a DRAFT only for its club's officers), with its votes when asked. */
export async function getProposal(
  deps: GovernanceDeps,
  context: UseCaseContext,
  id: string,
  withVotes: boolean,
): Promise<{ proposal: ProposalView; votes: VoteView[] }> {
  const readerClub = readerClubOf(context.principal);
  requireUuid(id, 'id');
  const found = await deps.db.readAtOnce(readerClub, async (tx) => {
    const [proposal, votes] = await Promise.all([
      createProposalQueries(tx).viewById(id),
      withVotes ? createVoteQueries(tx).listForProposal(id, { limit: VOTES_WITH_PROPOSAL, offset: 0 }) : null,
    ]);
    return { proposal, votes: votes?.votes ?? [] };
  });
  if (!found.proposal || !maySeeProposal(context.principal, found.proposal)) throw notFound('proposal', id);
  return { proposal: found.proposal, votes: found.votes.map((vote) => voteAsSeen(context.principal, vote)) };
}

export interface ListProposalsInput {
  status: string;
  proposalType: string;
  page: number;
  pageSize: number;
}

/** The network's proposals, newest first; DRAFTs only of the reader's club, for its officers. */
export async function listProposals(
  deps: GovernanceDeps,
  context: UseCaseContext,
  input: ListProposalsInput,
) {
  const readerClub = readerClubOf(context.principal);
  const status =
    input.status === '' ? null : oneOf<ProposalStatus>(PROPOSAL_STATUSES, input.status, 'status');
  const proposalType =
    input.proposalType === '' ? null : oneOf<ProposalType>(PROPOSAL_TYPES, input.proposalType, 'type');
  const paging = pageOf(input.page, input.pageSize);
  // DRAFTs: row-level security shows only the reader's club's; of those, only its officers see them.
  const withDrafts = readerClub === null || can(context.principal, 'governance:propose', readerClub);
  // The page and its total are issued together: one round trip.
  const result = await deps.db.readAtOnce(readerClub, (tx) =>
    createProposalQueries(tx).list({
      status,
      proposalType,
      withDrafts,
      limit: paging.limit,
      offset: paging.offset,
    }),
  );
  return { ...result, page: paging.page, pageSize: paging.pageSize };
}

/** A proposal's votes, newest first. */
export async function listVotes(
  deps: GovernanceDeps,
  context: UseCaseContext,
  input: { proposalId: string; page: number; pageSize: number },
) {
  const { proposal } = await getProposal(deps, context, input.proposalId, false);
  const paging = pageOf(input.page, input.pageSize);
  const readerClub = readerClubOf(context.principal);
  const result = await deps.db.readAtOnce(readerClub, (tx) =>
    createVoteQueries(tx).listForProposal(proposal.id, paging),
  );
  return {
    votes: result.votes.map((vote) => voteAsSeen(context.principal, vote)),
    total: result.total,
    page: paging.page,
    pageSize: paging.pageSize,
  };
}

/** The votes of the clubs where the caller may vote (governance:vote held there by a club role), newest first. */
export async function listMyVotes(
  deps: GovernanceDeps,
  context: UseCaseContext,
  input: { page: number; pageSize: number },
) {
  const principal = requirePrincipal(context.principal);
  const paging = pageOf(input.page, input.pageSize);
  const clubs = [
    ...new Set(
      principal.grants
        .filter((grant) => grant.clubId !== null && can(principal, 'governance:vote', grant.clubId))
        .map((grant) => grant.clubId as string),
    ),
  ];
  if (clubs.length === 0) return { votes: [], total: 0, page: paging.page, pageSize: paging.pageSize };
  const result = await deps.db.readAtOnce(readerClubOf(principal), (tx) =>
    createVoteQueries(tx).listForClubs(clubs, paging),
  );
  return { votes: result.votes, total: result.total, page: paging.page, pageSize: paging.pageSize };
}
