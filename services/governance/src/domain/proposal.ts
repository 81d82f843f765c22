import { PROPOSAL_STATUSES, VOTE_CHOICES } from '@clubland/contract/events/governance';

/**
 * Network governance: a club puts a proposal to the network, the network administrator opens it
 * to a vote, and every ACTIVE club casts one vote through one of its officers (governance:vote).
 * The names below are the contract's (the mobile client's ProposalType, ProposalStatus,
 * VotingMethod, VoteChoice).
 */

export const PROPOSAL_TYPES = [
  'POLICY_CHANGE',
  'BUDGET',
  'STRATEGIC',
  'MEMBERSHIP',
  'AMENDMENT',
  'FACILITY_MODIFICATION',
  'EVENT_APPROVAL',
  'BOARD_ELECTION',
  'OTHER',
] as const;
export type ProposalType = (typeof PROPOSAL_TYPES)[number];

/**
 * UNDER_REVIEW and VOTING_CLOSED are the contract's but never this service's: a SUBMITTED proposal
 * is the one under the network's review, and closing a vote decides it at once (APPROVED or
 * REJECTED), so no proposal waits between the two. The statuses and choices are the events' (one list).
 */
export { PROPOSAL_STATUSES, VOTE_CHOICES };

export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** RANKED_CHOICE is the contract's, but a vote here is YAY, NAY or ABSTAIN: it is refused at creation. */
export const VOTING_METHODS = [
  'SIMPLE_MAJORITY',
  'ABSOLUTE_MAJORITY',
  'TWO_THIRDS_MAJORITY',
  'THREE_QUARTERS',
  'UNANIMOUS',
  'WEIGHTED',
  'RANKED_CHOICE',
] as const;
export type VotingMethod = (typeof VOTING_METHODS)[number];

export type VoteChoice = (typeof VOTE_CHOICES)[number];

/** Statuses in which nothing changes any more. */
export const FINAL_STATUSES: readonly ProposalStatus[] = ['APPROVED', 'REJECTED', 'WITHDRAWN', 'EXPIRED'];
