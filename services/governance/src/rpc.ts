import { create } from '@bufbuild/protobuf';
import { type Timestamp, timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { principalFromCaller } from '@clubland/authz';
import {
  GovernanceService,
  type Proposal,
  type ProposalFields,
  ProposalSchema,
  type Vote,
  VoteSchema,
} from '@clubland/contract/governance/v1';
import type { CallerContext } from '@clubland/contract/member/v1/caller';
import type { ConnectRouter, HandlerContext } from '@connectrpc/connect';
import { castVote, deleteVote, updateVote } from './app/cast-vote.ts';
import { changeProposalStatus } from './app/change-proposal-status.ts';
import type { GovernanceDeps, UseCaseContext } from './app/deps.ts';
import {
  createProposal,
  deleteProposal,
  type ProposalFieldsInput,
  updateProposal,
} from './app/manage-proposals.ts';
import { getProposal, listMyVotes, listProposals, listVotes, voteAsSeen } from './app/read-proposals.ts';
import { EMPTY_TALLY } from './domain/tally.ts';
import { registerPolicyRpc } from './rpc-policies.ts';
import type { ProposalRow, ProposalView } from './store/proposal-queries.ts';
import type { VoteRow } from './store/vote-queries.ts';

/** Maps protobuf messages to use cases and back. Thin on purpose: no rules live here. */
export function registerGovernanceRpc(
  router: ConnectRouter,
  deps: GovernanceDeps,
  world: Pick<UseCaseContext, 'clock' | 'newId'>,
): void {
  const contextOf = (handler: HandlerContext, caller?: CallerContext): UseCaseContext => ({
    ...world,
    principal: principalFromCaller(caller),
    correlationId: handler.requestHeader.get('x-correlation-id'),
  });
  // Each status change is the same call with its action; the reason is used only to withdraw.
  const transition =
    (action: 'submit' | 'withdraw' | 'open' | 'close') =>
    async (request: { caller?: CallerContext; id: string; reason: string }, handler: HandlerContext) => ({
      proposal: proposalMessage(
        await changeProposalStatus(
          deps,
          contextOf(handler, request.caller),
          request.id,
          action,
          action === 'withdraw' ? request.reason : null,
        ),
      ),
    });
  registerPolicyRpc(router, deps, contextOf);
  router.service(GovernanceService, {
    async createProposal(request, handler) {
      const row = await createProposal(
        deps,
        contextOf(handler, request.caller),
        request.clubId,
        fieldsOf(request.fields),
      );
      return { proposal: proposalMessage({ ...row, tally: EMPTY_TALLY }) };
    },
    async updateProposal(request, handler) {
      const context = contextOf(handler, request.caller);
      const row = await updateProposal(deps, context, request.id, fieldsOf(request.fields));
      return { proposal: proposalMessage({ ...row, tally: EMPTY_TALLY }) };
    },
    submitProposal: transition('submit'),
    withdrawProposal: transition('withdraw'),
    approveProposalForVoting: transition('open'),
    closeProposalVoting: transition('close'),
    async deleteProposal(request, handler) {
      return { deleted: await deleteProposal(deps, contextOf(handler, request.caller), request.id) };
    },
    async getProposal(request, handler) {
      const found = await getProposal(
        deps,
        contextOf(handler, request.caller),
        request.id,
        request.withVotes,
      );
      return { proposal: proposalMessage(found.proposal), votes: found.votes.map(voteMessage) };
    },
    async listProposals(request, handler) {
      const page = await listProposals(deps, contextOf(handler, request.caller), {
        status: request.status,
        proposalType: request.proposalType,
        page: request.page,
        pageSize: request.pageSize,
      });
      return {
        proposals: page.proposals.map(proposalMessage),
        total: page.total,
        page: page.page,
        pageSize: page.pageSize,
      };
    },
    async castVote(request, handler) {
      const context = contextOf(handler, request.caller);
      const row = await castVote(deps, context, {
        clubId: request.clubId,
        proposalId: request.proposalId,
        choice: request.choice,
        comments: request.comments,
        isAnonymous: request.isAnonymous,
      });
      return { vote: voteMessage(voteAsSeen(context.principal, row)) };
    },
    async updateVote(request, handler) {
      const context = contextOf(handler, request.caller);
      const row = await updateVote(deps, context, request.id, {
        choice: request.choice,
        comments: request.comments,
      });
      return { vote: voteMessage(voteAsSeen(context.principal, row)) };
    },
    async deleteVote(request, handler) {
      return { deleted: await deleteVote(deps, contextOf(handler, request.caller), request.id) };
    },
    async listVotes(request, handler) {
      const page = await listVotes(deps, contextOf(handler, request.caller), {
        proposalId: request.proposalId,
        page: request.page,
        pageSize: request.pageSize,
      });
      return {
        votes: page.votes.map(voteMessage),
        total: page.total,
        page: page.page,
        pageSize: page.pageSize,
      };
    },
    async listMyVotes(request, handler) {
      const page = await listMyVotes(deps, contextOf(handler, request.caller), {
        page: request.page,
        pageSize: request.pageSize,
      });
      return {
        votes: page.votes.map(voteMessage),
        total: page.total,
        page: page.page,
        pageSize: page.pageSize,
      };
    },
  });
}

const dateOf = (stamp: Timestamp | undefined): Date | undefined => (stamp ? timestampDate(stamp) : undefined);

function fieldsOf(fields: ProposalFields | undefined): ProposalFieldsInput {
  if (!fields) return {};
  return {
    title: fields.title,
    description: fields.description,
    proposalType: fields.proposalType,
    category: fields.category === undefined ? undefined : fields.category || null,
    votingStartsAt: dateOf(fields.votingStartsAt),
    votingEndsAt: dateOf(fields.votingEndsAt),
    votingMethod: fields.votingMethod,
    quorumRequired: fields.quorumRequired,
    approvalThreshold: fields.approvalThreshold,
    attachments: fields.setAttachments ? fields.attachments : undefined,
    notes: fields.notes === undefined ? undefined : fields.notes || null,
  };
}

function proposalMessage(view: ProposalView | (ProposalRow & { tally: ProposalView['tally'] })): Proposal {
  return create(ProposalSchema, {
    id: view.id,
    clubId: view.clubId,
    title: view.title,
    description: view.description,
    proposalType: view.proposalType,
    category: view.category ?? '',
    status: view.status,
    votingMethod: view.votingMethod,
    votingStartsAt: timestampFromDate(view.votingStartsAt),
    votingEndsAt: timestampFromDate(view.votingEndsAt),
    quorumRequired: view.quorumRequired,
    approvalThreshold: view.approvalThreshold,
    attachments: view.attachments,
    notes: view.notes ?? '',
    resolutionNotes: view.resolutionNotes ?? '',
    proposerUserId: view.proposerUserId,
    proposerMemberId: view.proposerMemberId,
    totalVotes: view.tally.votes,
    votesYay: view.tally.yay,
    votesNay: view.tally.nay,
    votesAbstain: view.tally.abstain,
    statusReason: view.statusReason ?? '',
    createdAt: timestampFromDate(view.createdAt),
    updatedAt: timestampFromDate(view.updatedAt),
  });
}

function voteMessage(vote: VoteRow): Vote {
  return create(VoteSchema, {
    id: vote.id,
    clubId: vote.clubId,
    proposalId: vote.proposalId,
    choice: vote.choice,
    weight: vote.weight,
    comments: vote.comments ?? '',
    isAnonymous: vote.isAnonymous,
    voterMemberId: vote.voterMemberId,
    voterUserId: vote.voterUserId,
    castAt: timestampFromDate(vote.castAt),
    createdAt: timestampFromDate(vote.createdAt),
    updatedAt: timestampFromDate(vote.updatedAt),
  });
}
