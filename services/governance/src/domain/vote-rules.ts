import type { ProposalStatus } from './proposal.ts';

/**
 * Whether a club's vote on a proposal may be cast, changed or withdrawn now: only while the
 * proposal is VOTING_OPEN and the instant lies in its window [votingStartsAt, votingEndsAt). Null
 * when it may, else why not. Pure.
 */
export function voteWindowRefusal(
  proposal: { status: ProposalStatus; votingStartsAt: Date; votingEndsAt: Date },
  now: Date,
): string | null {
  if (proposal.status !== 'VOTING_OPEN')
    return proposal.status === 'SUBMITTED' || proposal.status === 'DRAFT'
      ? 'the proposal is not open to the vote yet'
      : `the vote is over: the proposal is ${proposal.status}`;
  if (now < proposal.votingStartsAt) return `voting opens at ${proposal.votingStartsAt.toISOString()}`;
  if (now >= proposal.votingEndsAt) return `voting closed at ${proposal.votingEndsAt.toISOString()}`;
  return null;
}
