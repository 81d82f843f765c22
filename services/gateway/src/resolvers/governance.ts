import type { MessageInitShape } from '@bufbuild/protobuf';
import type { Timestamp } from '@bufbuild/protobuf/wkt';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { can, type Principal } from '@clubland/authz';
import type {
  GovernanceService,
  Proposal,
  ProposalFieldsSchema,
  Vote,
} from '@clubland/contract/governance/v1';
import type { MemberService } from '@clubland/contract/member/v1/members';
import { ClubError, invalidInput, isClubError } from '@clubland/errors';
import type { Client } from '@connectrpc/connect';
import type { GraphQLResolveInfo } from 'graphql';
import mercurius, { type MercuriusContext } from 'mercurius';
import type { Caller } from '../caller.ts';
import { asksOnly } from '../selection.ts';
import {
  currentPrincipal,
  PROPOSAL_UPDATED_TOPIC,
  type ProposalUpdatedMessage,
  VOTE_RECEIVED_TOPIC,
  type VoteReceivedMessage,
} from '../subscriptions.ts';
import { callerContextOf, type PaginationArg, pageInfoOf, pagingOf, toMember } from './members.ts';
import { requiredIso } from './timestamps.ts';

/**
 * Network governance: GraphQL in, GovernanceService RPC out. The governance service authorises
 * every call again. A proposer or voter is a Member only for a reader the member service lets see
 * that member (their club's staff, the network administrator, the person themselves): null for
 * everyone else, who still sees the club.
 */

type GovernanceClient = Client<typeof GovernanceService>;
type MemberClient = Client<typeof MemberService>;
interface Context {
  caller: Caller;
}

export const callerOf = async (context: Context) => callerContextOf(await context.caller.requirePrincipal());
export const orNull = (text: string) => (text === '' ? null : text);

/** What a Proposal resolves from: the message's fields, and its votes when they came with it. */
export type ProposalModel = ReturnType<typeof toProposal>;
export type VoteModel = ReturnType<typeof toVote>;

export function toProposal(proposal: Proposal, votes?: readonly Vote[]) {
  return {
    id: proposal.id,
    clubId: proposal.clubId,
    title: proposal.title,
    description: proposal.description,
    type: proposal.proposalType,
    category: orNull(proposal.category),
    status: proposal.status,
    proposerId: proposal.proposerMemberId,
    votingStartTime: requiredIso(proposal.votingStartsAt, "a proposal's voting start"),
    votingEndTime: requiredIso(proposal.votingEndsAt, "a proposal's voting end"),
    votingMethod: proposal.votingMethod,
    quorumRequired: proposal.quorumRequired,
    approvalThreshold: proposal.approvalThreshold,
    totalVotes: proposal.totalVotes,
    votesYay: proposal.votesYay,
    votesNay: proposal.votesNay,
    votesAbstain: proposal.votesAbstain,
    attachments: proposal.attachments,
    notes: orNull(proposal.notes),
    resolutionNotes: orNull(proposal.resolutionNotes),
    withdrawalReason: orNull(proposal.statusReason),
    createdAt: requiredIso(proposal.createdAt, "a proposal's creation"),
    updatedAt: requiredIso(proposal.updatedAt, "a proposal's update"),
    preloadedVotes: votes?.map(toVote) ?? null,
  };
}

export function toVote(vote: Vote) {
  return {
    id: vote.id,
    clubId: vote.clubId,
    proposalId: vote.proposalId,
    voterId: vote.voterMemberId,
    voteValue: vote.choice,
    choice: vote.choice,
    weight: vote.weight,
    comments: orNull(vote.comments),
    isAnonymous: vote.isAnonymous,
    castAt: requiredIso(vote.castAt, "a vote's cast"),
    createdAt: requiredIso(vote.createdAt, "a vote's creation"),
  };
}

export const stampOf = (iso: string | null | undefined, field: string): Timestamp | undefined => {
  if (iso === null || iso === undefined) return undefined;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw invalidInput(field, `not an instant: ${iso}`);
  return timestampFromDate(date);
};
export const opt = <T>(value: T | null | undefined): T | undefined => (value === null ? undefined : value);

interface ProposalInputArg {
  clubId?: string | null;
  title?: string | null;
  description?: string | null;
  type?: string | null;
  category?: string | null;
  votingStartTime?: string | null;
  votingEndTime?: string | null;
  votingMethod?: string | null;
  quorumRequired?: number | null;
  approvalThreshold?: number | null;
  attachments?: string[] | null;
  notes?: string | null;
}

function fieldsOf(input: ProposalInputArg): MessageInitShape<typeof ProposalFieldsSchema> {
  return {
    title: opt(input.title),
    description: opt(input.description),
    proposalType: opt(input.type),
    category: opt(input.category),
    votingStartsAt: stampOf(input.votingStartTime, 'votingStartTime'),
    votingEndsAt: stampOf(input.votingEndTime, 'votingEndTime'),
    votingMethod: opt(input.votingMethod),
    quorumRequired: opt(input.quorumRequired),
    approvalThreshold: opt(input.approvalThreshold),
    setAttachments: input.attachments != null,
    attachments: input.attachments ?? [],
    notes: opt(input.notes),
  };
}

/** Fields of a Proposal answered without asking for its votes. */
const WITHOUT_VOTES: ReadonlySet<string> = new Set([
  'id',
  'clubId',
  'title',
  'description',
  'type',
  'category',
  'status',
  'proposerId',
  'votingStartTime',
  'votingEndTime',
  'votingMethod',
  'quorumRequired',
  'approvalThreshold',
  'totalVotes',
  'votesYay',
  'votesNay',
  'votesAbstain',
  'attachments',
  'notes',
  'resolutionNotes',
  'withdrawalReason',
  'createdAt',
  'updatedAt',
  'proposer',
  '__typename',
]);

/** A page of a list as the SDL's connections show it. */
export function connectionOf<T, N>(
  result: { page: number; pageSize: number; total: number },
  items: readonly T[],
  toNode: (item: T) => N,
) {
  return {
    nodes: items.map(toNode),
    pageInfo: pageInfoOf(
      result.page,
      result.pageSize,
      result.total,
      result.page * result.pageSize < result.total,
    ),
  };
}

/** A member as the caller may see them through the member service; null when they may not, or it is gone. */
export async function memberOrNull(
  members: MemberClient,
  context: Context,
  clubId: string,
  memberId: string,
) {
  try {
    const { member } = await members.getMember({ caller: await callerOf(context), clubId, id: memberId });
    return member ? toMember(member) : null;
  } catch (error) {
    if (isClubError(error) && (error.code === 'entity.not_found' || error.code === 'request.forbidden'))
      return null;
    throw error;
  }
}

/** The NOT_FOUND of a nullable answer as null. */
export async function orNullIfNotFound<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (isClubError(error) && error.code === 'entity.not_found') return null;
    throw error;
  }
}

export function governanceResolvers(clients: { governance: GovernanceClient; members: MemberClient }) {
  const { governance, members } = clients;
  // One member per request and person: a list of proposals by one club's officers asks once each.
  const people = new WeakMap<Context, Map<string, Promise<ReturnType<typeof toMember> | null>>>();
  async function personOf(context: Context, clubId: string, memberId: string) {
    if (memberId === '') return null;
    let seen = people.get(context);
    if (!seen) {
      seen = new Map();
      people.set(context, seen);
    }
    const key = `${clubId}/${memberId}`;
    let found = seen.get(key);
    if (!found) {
      found = memberOrNull(members, context, clubId, memberId);
      seen.set(key, found);
    }
    return found;
  }

  return {
    Query: {
      async proposals(
        _: unknown,
        args: { pagination?: PaginationArg | null; status?: string | null; type?: string | null },
        context: Context,
      ) {
        const { page, pageSize } = pagingOf(args.pagination);
        const result = await governance.listProposals({
          caller: await callerOf(context),
          status: args.status ?? '',
          proposalType: args.type ?? '',
          page,
          pageSize,
        });
        return connectionOf(result, result.proposals, (proposal) => toProposal(proposal));
      },
      async proposal(_: unknown, args: { id: string }, context: Context, info: GraphQLResolveInfo) {
        try {
          const found = await governance.getProposal({
            caller: await callerOf(context),
            id: args.id,
            withVotes: !asksOnly(info, WITHOUT_VOTES),
          });
          return toProposal(found.proposal!, found.votes);
        } catch (error) {
          if (isClubError(error) && error.code === 'entity.not_found') return null;
          throw error;
        }
      },
      async votes(
        _: unknown,
        args: { proposalId: string; pagination?: PaginationArg | null },
        context: Context,
      ) {
        const { page, pageSize } = pagingOf(args.pagination);
        const result = await governance.listVotes({
          caller: await callerOf(context),
          proposalId: args.proposalId,
          page,
          pageSize,
        });
        return connectionOf(result, result.votes, toVote);
      },
      async myVotes(_: unknown, args: { pagination?: PaginationArg | null }, context: Context) {
        const { page, pageSize } = pagingOf(args.pagination);
        const result = await governance.listMyVotes({ caller: await callerOf(context), page, pageSize });
        return connectionOf(result, result.votes, toVote);
      },
    },
    Mutation: {
      async createProposal(_: unknown, args: { input: ProposalInputArg }, context: Context) {
        const { proposal } = await governance.createProposal({
          caller: await callerOf(context),
          clubId: args.input.clubId ?? '',
          fields: fieldsOf(args.input),
        });
        return toProposal(proposal!, []);
      },
      async updateProposal(_: unknown, args: { id: string; input: ProposalInputArg }, context: Context) {
        const { proposal } = await governance.updateProposal({
          caller: await callerOf(context),
          id: args.id,
          fields: fieldsOf(args.input),
        });
        return toProposal(proposal!);
      },
      async submitProposal(_: unknown, args: { id: string }, context: Context) {
        const { proposal } = await governance.submitProposal({
          caller: await callerOf(context),
          id: args.id,
        });
        return toProposal(proposal!);
      },
      async withdrawProposal(_: unknown, args: { id: string; reason: string }, context: Context) {
        const { proposal } = await governance.withdrawProposal({
          caller: await callerOf(context),
          id: args.id,
          reason: args.reason,
        });
        return toProposal(proposal!);
      },
      async approveProposalForVoting(_: unknown, args: { id: string }, context: Context) {
        const { proposal } = await governance.approveProposalForVoting({
          caller: await callerOf(context),
          id: args.id,
        });
        return toProposal(proposal!);
      },
      async closeProposalVoting(_: unknown, args: { id: string }, context: Context) {
        const { proposal } = await governance.closeProposalVoting({
          caller: await callerOf(context),
          id: args.id,
        });
        return toProposal(proposal!);
      },
      async deleteProposal(_: unknown, args: { id: string }, context: Context) {
        return (await governance.deleteProposal({ caller: await callerOf(context), id: args.id })).deleted;
      },
      async castVote(
        _: unknown,
        args: {
          input: {
            proposalId: string;
            voteValue: string;
            comments?: string | null;
            isAnonymous?: boolean | null;
            clubId?: string | null;
          };
        },
        context: Context,
      ) {
        const { vote } = await governance.castVote({
          caller: await callerOf(context),
          clubId: args.input.clubId ?? '',
          proposalId: args.input.proposalId,
          choice: args.input.voteValue,
          comments: args.input.comments ?? '',
          isAnonymous: args.input.isAnonymous ?? false,
        });
        return toVote(vote!);
      },
      async updateVote(
        _: unknown,
        args: { id: string; voteValue: string; comments?: string | null },
        context: Context,
      ) {
        const { vote } = await governance.updateVote({
          caller: await callerOf(context),
          id: args.id,
          choice: args.voteValue,
          comments: opt(args.comments),
        });
        return toVote(vote!);
      },
      async deleteVote(_: unknown, args: { id: string }, context: Context) {
        return (await governance.deleteVote({ caller: await callerOf(context), id: args.id })).deleted;
      },
    },
    Proposal: {
      proposer: (proposal: ProposalModel, _: unknown, context: Context) =>
        personOf(context, proposal.clubId, proposal.proposerId),
      async votes(proposal: ProposalModel, _: unknown, context: Context) {
        if (proposal.preloadedVotes) return proposal.preloadedVotes;
        const found = await governance.getProposal({
          caller: await callerOf(context),
          id: proposal.id,
          withVotes: true,
        });
        return found.votes.map(toVote);
      },
    },
    Vote: {
      voter: (vote: VoteModel, _: unknown, context: Context) => personOf(context, vote.clubId, vote.voterId),
      async proposal(vote: VoteModel, _: unknown, context: Context) {
        try {
          const found = await governance.getProposal({
            caller: await callerOf(context),
            id: vote.proposalId,
          });
          return toProposal(found.proposal!);
        } catch (error) {
          if (isClubError(error) && error.code === 'entity.not_found') return null;
          throw error;
        }
      },
    },
    Subscription: {
      proposalUpdated: {
        subscribe: followGovernance<ProposalUpdatedMessage>(PROPOSAL_UPDATED_TOPIC, (message, principal) =>
          message.draft ? can(principal, 'governance:propose', message.clubId) : true,
        ),
        // Each subscriber reads the proposal as it stands, as themselves: the governance service decides.
        async resolve(message: ProposalUpdatedMessage, _: unknown, context: Context) {
          const found = await governance.getProposal({
            caller: await callerOf(context),
            id: message.proposalId,
            withVotes: true,
          });
          return toProposal(found.proposal!, found.votes);
        },
      },
      voteReceived: {
        subscribe: followGovernance<VoteReceivedMessage>(VOTE_RECEIVED_TOPIC, () => true),
        resolve: (message: VoteReceivedMessage) => message.voteReceived,
      },
    },
  };
}

/**
 * A governance feed: the subscriber must belong to the network (a role at a club, or the network
 * administrator), checked with their grants at each message, as governance's readers are; a
 * proposalId narrows it to one proposal.
 */
function followGovernance<T extends { proposalId: string }>(
  topic: string,
  maySee: (message: T, principal: Principal) => boolean,
) {
  const inNetwork = (principal: Principal | null): principal is Principal =>
    principal !== null && principal.grants.length > 0;
  return mercurius.withFilter(
    async (_root: unknown, _args: { proposalId?: string | null }, { caller, pubsub }: MercuriusContext) => {
      if (!inNetwork(await caller.requirePrincipal()))
        throw new ClubError(
          'request.forbidden',
          "governance is followed by the network's clubs and their members",
        );
      return pubsub.subscribe(topic);
    },
    async (message: T, args: { proposalId?: string | null }, { caller }: MercuriusContext) => {
      if (args.proposalId && message.proposalId !== args.proposalId) return false;
      const principal = await currentPrincipal(caller);
      return inNetwork(principal) && maySee(message, principal);
    },
  );
}
