import { addToOutbox } from '@clubland/bus';
import { SQL_STATE, sqlStateOf, type Tx } from '@clubland/db';
import { ClubError, notFound, requireUuid } from '@clubland/errors';
import { oneOf, textOf } from '../domain/input.ts';
import { VOTE_CHOICES, type VoteChoice } from '../domain/proposal.ts';
import { voteWindowRefusal } from '../domain/vote-rules.ts';
import { voteLedgerEntry, voteRecordedEvent } from '../events/builders.ts';
import { createProposalQueries, type ProposalRow } from '../store/proposal-queries.ts';
import { createVoteQueries, type VoteRow } from '../store/vote-queries.ts';
import { GOVERNANCE_SCHEMA, type GovernanceDeps, type UseCaseContext } from './deps.ts';
import { clubOfCall, officerOf, requirePrincipal } from './proposal-access.ts';

export interface CastVoteInput {
  /** The voting club; '' for the caller's home club. */
  clubId: string;
  proposalId: string;
  choice: string;
  comments: string | null;
  isAnonymous: boolean;
}

const choiceOf = (value: string): VoteChoice => oneOf(VOTE_CHOICES, value, 'voteValue');

function commentsOf(value: string | null | undefined): string | null {
  return textOf(value ?? '', 0, 2000, 'comments') || null;
}

/** Reads the proposal under its voting lock and refuses a vote outside its window. */
async function openProposal(tx: Tx, proposalId: string, now: Date): Promise<ProposalRow> {
  const proposals = createProposalQueries(tx);
  await proposals.lockVoting(proposalId);
  const proposal = await proposals.findById(proposalId);
  if (!proposal || proposal.status === 'DRAFT') throw notFound('proposal', proposalId);
  const refusal = voteWindowRefusal(proposal, now);
  if (refusal) throw new ClubError('vote.not_open', refusal);
  return proposal;
}

/**
 * A club's vote, cast by one of its officers (governance:vote at the club, an ACTIVE member there),
 * for an ACTIVE club, once per proposal, while the vote is open. Under WEIGHTED its weight is the
 * club's ACTIVE members now. Recorded with its event and its ledger entry in the voting club's
 * transaction.
 */
export async function castVote(
  deps: GovernanceDeps,
  context: UseCaseContext,
  input: CastVoteInput,
): Promise<VoteRow> {
  const principal = requirePrincipal(context.principal);
  const clubId = clubOfCall(principal, input.clubId);
  requireUuid(input.proposalId, 'proposalId');
  const choice = choiceOf(input.choice);
  const comments = commentsOf(input.comments);
  const voterMemberId = await officerOf(deps, principal, clubId, 'governance:vote');
  if (!(await deps.people.clubIsActive(clubId)))
    throw new ClubError('vote.club_not_active', 'only clubs ACTIVE in the network vote');
  // The method decides the weight; read before the transaction so no RPC runs inside it.
  const method = await deps.db.readAtOnce(clubId, (tx) =>
    createProposalQueries(tx).findById(input.proposalId),
  );
  if (!method || method.status === 'DRAFT') throw notFound('proposal', input.proposalId);
  const weight =
    method.votingMethod === 'WEIGHTED' ? Math.max(1, await deps.people.activeMembers(principal, clubId)) : 1;
  const now = context.clock();
  try {
    const vote = await deps.db.withTenant(clubId, async (tx) => {
      const proposal = await openProposal(tx, input.proposalId, now);
      const votes = createVoteQueries(tx);
      if (await votes.findByClub(proposal.id, clubId))
        throw new ClubError(
          'vote.already_cast',
          'your club has voted on this proposal: change its vote instead',
        );
      const row: VoteRow = {
        id: context.newId(),
        proposalId: proposal.id,
        clubId,
        proposerClubId: proposal.clubId,
        choice,
        weight,
        comments,
        isAnonymous: input.isAnonymous,
        voterUserId: principal.userId,
        voterMemberId,
        castAt: now,
        createdAt: now,
        updatedAt: now,
      };
      await votes.insert(row);
      await addToOutbox(tx, GOVERNANCE_SCHEMA, [
        voteRecordedEvent(row, 'CAST', context),
        voteLedgerEntry(row, 'vote.cast', context),
      ]);
      return row;
    });
    deps.eventsWritten();
    return vote;
  } catch (error) {
    // Two officers of one club casting at once: the unique key keeps one.
    if (sqlStateOf(error) === SQL_STATE.uniqueViolation)
      throw new ClubError(
        'vote.already_cast',
        'your club has voted on this proposal: change its vote instead',
      );
    throw error;
  }
}

/** Loads a vote for its club's officer to change, under its proposal's voting lock, window open. */
async function ownVote(
  deps: GovernanceDeps,
  context: UseCaseContext,
  id: string,
  change: (tx: Tx, vote: VoteRow, voterMemberId: string) => Promise<VoteRow>,
): Promise<VoteRow> {
  const principal = requirePrincipal(context.principal);
  requireUuid(id, 'id');
  const found = await deps.db.readAtOnce(null, (tx) => createVoteQueries(tx).findById(id));
  if (!found) throw notFound('vote', id);
  const voterMemberId = await officerOf(deps, principal, found.clubId, 'governance:vote');
  const result = await deps.db.withTenant(found.clubId, async (tx) => {
    await openProposal(tx, found.proposalId, context.clock());
    const vote = await createVoteQueries(tx).findById(id);
    if (!vote) throw notFound('vote', id);
    return change(tx, vote, voterMemberId);
  });
  deps.eventsWritten();
  return result;
}

/** Changes the club's vote while the vote is open: the officer changing it becomes its voter. */
export async function updateVote(
  deps: GovernanceDeps,
  context: UseCaseContext,
  id: string,
  input: { choice: string; comments?: string | null | undefined },
): Promise<VoteRow> {
  const choice = choiceOf(input.choice);
  const comments = input.comments === undefined ? undefined : commentsOf(input.comments);
  const principal = requirePrincipal(context.principal);
  return ownVote(deps, context, id, async (tx, vote, voterMemberId) => {
    const now = context.clock();
    const row: VoteRow = {
      ...vote,
      choice,
      comments: comments === undefined ? vote.comments : comments,
      voterUserId: principal.userId,
      voterMemberId,
      castAt: now,
      updatedAt: now,
    };
    await Promise.all([
      createVoteQueries(tx).update(row),
      addToOutbox(tx, GOVERNANCE_SCHEMA, [
        voteRecordedEvent(row, 'CHANGED', context),
        voteLedgerEntry(row, 'vote.changed', context),
      ]),
    ]);
    return row;
  });
}

/** Withdraws the club's vote while the vote is open; the ledger keeps that it was cast and withdrawn. */
export async function deleteVote(
  deps: GovernanceDeps,
  context: UseCaseContext,
  id: string,
): Promise<boolean> {
  await ownVote(deps, context, id, async (tx, vote) => {
    await Promise.all([
      createVoteQueries(tx).delete(vote.id),
      addToOutbox(tx, GOVERNANCE_SCHEMA, [
        voteRecordedEvent(vote, 'WITHDRAWN', context),
        voteLedgerEntry(vote, 'vote.withdrawn', context),
      ]),
    ]);
    return vote;
  });
  return true;
}
