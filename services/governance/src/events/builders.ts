import type { EventEnvelope } from '@clubland/bus';
import { policyChanged, proposalStatusChanged, voteRecorded } from '@clubland/contract/events/governance';
import { ledgerEntryRequested } from '@clubland/contract/events/ledger';
import canonicalize from 'canonicalize';
import type { UseCaseContext } from '../app/deps.ts';
import type { TallyCounts } from '../domain/tally.ts';
import type { PolicyRow } from '../store/policy-queries.ts';
import type { ProposalChangeRow, ProposalRow } from '../store/proposal-queries.ts';
import type { VoteRow } from '../store/vote-queries.ts';

/** Every event the governance service emits is built here, from the contract's definition. */

type EventContext = Pick<UseCaseContext, 'clock' | 'newId' | 'correlationId'>;

const deps = (context: EventContext) => ({ clock: context.clock, newId: context.newId });

/** A proposal was created (change.fromStatus null) or moved on; the proposing club is the tenant. */
export function proposalStatusChangedEvent(
  proposal: ProposalRow,
  change: ProposalChangeRow,
  tally: TallyCounts,
  context: EventContext,
): EventEnvelope {
  return proposalStatusChanged.build(
    {
      tenantId: proposal.clubId,
      correlationId: context.correlationId,
      data: {
        proposalId: proposal.id,
        clubId: proposal.clubId,
        title: proposal.title,
        from: change.fromStatus,
        to: change.toStatus,
        reason: change.reason,
        changedBy: change.changedBy,
        changedAt: change.changedAt.toISOString(),
        votingEndsAt: proposal.votingEndsAt.toISOString(),
        votes: tally.votes,
        yay: tally.yay,
        nay: tally.nay,
        abstain: tally.abstain,
      },
    },
    deps(context),
  );
}

/** A club's vote was cast, changed or withdrawn; the voting club is the tenant. */
export function voteRecordedEvent(
  vote: VoteRow,
  action: 'CAST' | 'CHANGED' | 'WITHDRAWN',
  context: EventContext,
): EventEnvelope {
  return voteRecorded.build(
    {
      tenantId: vote.clubId,
      correlationId: context.correlationId,
      data: {
        voteId: vote.id,
        proposalId: vote.proposalId,
        clubId: vote.clubId,
        proposerClubId: vote.proposerClubId,
        action,
        choice: vote.choice,
        weight: vote.weight,
        isAnonymous: vote.isAnonymous,
        voterMemberId: vote.isAnonymous ? null : vote.voterMemberId,
        voterUserId: vote.isAnonymous ? null : vote.voterUserId,
        castAt: vote.castAt.toISOString(),
        createdAt: vote.createdAt.toISOString(),
      },
    },
    deps(context),
  );
}

/**
 * A governance fact for the ledger (the design's "agreements, visits, votes"): a vote cast, changed
 * or withdrawn, signed by the voting club; a proposal decided, signed by the proposing club. The
 * payload names clubs and choices, never the officer of an anonymous vote. Its envelope id is the
 * entry's id, so a redelivery is recognised as the same entry; the ledger service signs and seals
 * it off the request path.
 */
export function ledgerEntryEvent(
  entry: {
    entityKind: 'proposal' | 'vote';
    entityId: string;
    fact: string;
    clubId: string;
    counterpartyClubId: string | null;
    payload: Record<string, unknown>;
  },
  context: EventContext,
): EventEnvelope {
  const at = context.clock();
  const id = context.newId();
  return ledgerEntryRequested.build(
    {
      tenantId: entry.clubId,
      correlationId: context.correlationId,
      data: {
        entryId: id,
        entityKind: entry.entityKind,
        entityId: entry.entityId,
        fact: entry.fact,
        clubId: entry.clubId,
        counterpartyClubId: entry.counterpartyClubId === entry.clubId ? null : entry.counterpartyClubId,
        payload: canonicalize(entry.payload) ?? '{}',
        at: at.toISOString(),
      },
    },
    { newId: () => id, clock: () => at },
  );
}

/** The ledger's record of a vote: the clubs, the choice and weight, the instant; no officer. */
export function voteLedgerEntry(
  vote: VoteRow,
  fact: 'vote.cast' | 'vote.changed' | 'vote.withdrawn',
  context: EventContext,
) {
  return ledgerEntryEvent(
    {
      entityKind: 'vote',
      entityId: vote.id,
      fact,
      clubId: vote.clubId,
      counterpartyClubId: vote.proposerClubId,
      payload: {
        voteId: vote.id,
        proposalId: vote.proposalId,
        votingClubId: vote.clubId,
        proposerClubId: vote.proposerClubId,
        choice: vote.choice,
        weight: vote.weight,
        castAt: vote.castAt.toISOString(),
      },
    },
    context,
  );
}

/** The ledger's record of a decided proposal: its outcome and tally. */
export function outcomeLedgerEntry(proposal: ProposalRow, tally: TallyCounts, context: EventContext) {
  return ledgerEntryEvent(
    {
      entityKind: 'proposal',
      entityId: proposal.id,
      fact: proposal.status === 'APPROVED' ? 'proposal.approved' : 'proposal.rejected',
      clubId: proposal.clubId,
      counterpartyClubId: null,
      payload: {
        proposalId: proposal.id,
        proposerClubId: proposal.clubId,
        title: proposal.title,
        votingMethod: proposal.votingMethod,
        quorumRequired: proposal.quorumRequired,
        approvalThreshold: proposal.approvalThreshold,
        outcome: proposal.status,
        votes: tally.votes,
        yay: tally.yay,
        nay: tally.nay,
        abstain: tally.abstain,
        closedAt: (proposal.closedAt ?? context.clock()).toISOString(),
      },
    },
    context,
  );
}

/** A club's policy changed; the club is the tenant. */
export function policyChangedEvent(
  policy: PolicyRow,
  change: 'CREATED' | 'UPDATED' | 'ACTIVATED' | 'DEACTIVATED',
  context: EventContext,
): EventEnvelope {
  return policyChanged.build(
    {
      tenantId: policy.clubId,
      correlationId: context.correlationId,
      data: {
        policyId: policy.id,
        clubId: policy.clubId,
        name: policy.name,
        version: policy.version,
        change,
        isActive: policy.isActive,
        requiresAcknowledgment: policy.requiresAcknowledgment,
        effectiveDate: policy.effectiveDate.toISOString(),
      },
    },
    deps(context),
  );
}
