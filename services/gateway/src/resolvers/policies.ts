import type { MessageInitShape } from '@bufbuild/protobuf';
import type { GovernanceService } from '@clubland/contract/governance/v1';
import type {
  Acknowledgement,
  Policy,
  PolicyFieldsSchema,
  PolicyService,
} from '@clubland/contract/governance/v1/policies';
import type { MemberService } from '@clubland/contract/member/v1/members';
import type { Client } from '@connectrpc/connect';
import type { Caller } from '../caller.ts';
import {
  callerOf,
  connectionOf,
  memberOrNull,
  opt,
  orNull,
  orNullIfNotFound,
  stampOf,
  toProposal,
} from './governance.ts';
import { type PaginationArg, pagingOf } from './members.ts';
import { optionalIso, requiredIso } from './timestamps.ts';

/**
 * A club's policies and acknowledgements: GraphQL in, PolicyService RPC out; the governance
 * service authorises every call again.
 */

type PolicyClient = Client<typeof PolicyService>;
interface Context {
  caller: Caller;
}

export type PolicyModel = ReturnType<typeof toPolicy>;
export type AcknowledgementModel = ReturnType<typeof toAcknowledgement>;

export function toPolicy(policy: Policy) {
  return {
    id: policy.id,
    clubId: policy.clubId,
    name: policy.name,
    description: orNull(policy.description),
    category: policy.category,
    content: policy.content,
    version: policy.version,
    effectiveDate: requiredIso(policy.effectiveDate, "a policy's effective date"),
    expiryDate: optionalIso(policy.expiryDate),
    isActive: policy.isActive,
    requiresAcknowledgment: policy.requiresAcknowledgment,
    approvedBy: orNull(policy.approvedBy),
    approvalDate: optionalIso(policy.approvalDate),
    deactivationReason: orNull(policy.deactivationReason),
    relatedProposalId: orNull(policy.relatedProposalId),
    attachments: policy.attachments,
    createdAt: requiredIso(policy.createdAt, "a policy's creation"),
    updatedAt: requiredIso(policy.updatedAt, "a policy's update"),
    acknowledgedByMe: policy.acknowledgedByCaller,
  };
}

export function toAcknowledgement(row: Acknowledgement) {
  const at = requiredIso(row.acknowledgedAt, 'an acknowledgement');
  return {
    id: row.id,
    clubId: row.clubId,
    policyId: row.policyId,
    memberId: row.memberId,
    policyVersion: row.policyVersion,
    acknowledgedAt: at,
    ipAddress: orNull(row.ipAddress),
    createdAt: at,
  };
}

interface PolicyInputArg {
  clubId?: string | null;
  name?: string | null;
  description?: string | null;
  category?: string | null;
  content?: string | null;
  version?: string | null;
  effectiveDate?: string | null;
  expiryDate?: string | null;
  requiresAcknowledgment?: boolean | null;
  attachments?: string[] | null;
  relatedProposalId?: string | null;
}

function fieldsOf(input: PolicyInputArg): MessageInitShape<typeof PolicyFieldsSchema> {
  return {
    name: opt(input.name),
    description: opt(input.description),
    category: opt(input.category),
    content: opt(input.content),
    version: opt(input.version),
    effectiveDate: stampOf(input.effectiveDate, 'effectiveDate'),
    expiryDate: stampOf(input.expiryDate, 'expiryDate'),
    // An explicit null clears the expiry date; absent keeps it.
    clearExpiryDate: input.expiryDate === null,
    requiresAcknowledgment: opt(input.requiresAcknowledgment),
    setAttachments: input.attachments != null,
    attachments: input.attachments ?? [],
    relatedProposalId: opt(input.relatedProposalId),
  };
}

export function policyResolvers(clients: {
  policies: PolicyClient;
  governance: Client<typeof GovernanceService>;
  members: Client<typeof MemberService>;
}) {
  const { policies, governance, members } = clients;
  /** Every page of the home club's policies matching `filter`, for the lists the SDL answers whole. */
  async function all(
    context: Context,
    filter: { category?: string; requiringAcknowledgment?: boolean; unacknowledgedByCaller?: boolean },
  ) {
    const caller = await callerOf(context);
    const found: Policy[] = [];
    for (let page = 1; ; page += 1) {
      const result = await policies.listPolicies({ caller, inForce: true, ...filter, page, pageSize: 100 });
      found.push(...result.policies);
      if (page * 100 >= result.total) return found.map(toPolicy);
    }
  }
  const acknowledge = async (context: Context, policyIds: string[]) =>
    (
      await policies.acknowledgePolicies({
        caller: await callerOf(context),
        policyIds,
        ipAddress: context.caller.ip,
      })
    ).acknowledgements.map(toAcknowledgement);

  return {
    Query: {
      async policies(
        _: unknown,
        args: {
          clubId?: string | null;
          pagination?: PaginationArg | null;
          category?: string | null;
          isActive?: boolean | null;
        },
        context: Context,
      ) {
        const { page, pageSize } = pagingOf(args.pagination);
        const result = await policies.listPolicies({
          caller: await callerOf(context),
          clubId: args.clubId ?? '',
          category: args.category ?? '',
          ...(args.isActive == null ? {} : { inForce: args.isActive }),
          page,
          pageSize,
        });
        return connectionOf(result, result.policies, toPolicy);
      },
      async policy(_: unknown, args: { id: string }, context: Context) {
        const found = await orNullIfNotFound(
          policies.getPolicy({ caller: await callerOf(context), id: args.id }),
        );
        return found?.policy ? toPolicy(found.policy) : null;
      },
      activePolicies: (_: unknown, args: { category?: string | null }, context: Context) =>
        all(context, { category: args.category ?? '' }),
      policiesRequiringAcknowledgment: (_: unknown, __: unknown, context: Context) =>
        all(context, { requiringAcknowledgment: true }),
      unacknowledgedPolicies: (_: unknown, __: unknown, context: Context) =>
        all(context, { unacknowledgedByCaller: true }),
      async policyAcknowledgments(
        _: unknown,
        args: { policyId: string; pagination?: PaginationArg | null },
        context: Context,
      ) {
        const { page, pageSize } = pagingOf(args.pagination);
        const result = await policies.listAcknowledgements({
          caller: await callerOf(context),
          policyId: args.policyId,
          page,
          pageSize,
        });
        return connectionOf(result, result.acknowledgements, toAcknowledgement);
      },
      async myPolicyAcknowledgments(
        _: unknown,
        args: { pagination?: PaginationArg | null },
        context: Context,
      ) {
        const { page, pageSize } = pagingOf(args.pagination);
        const result = await policies.listAcknowledgements({
          caller: await callerOf(context),
          page,
          pageSize,
        });
        return connectionOf(result, result.acknowledgements, toAcknowledgement);
      },
    },
    Mutation: {
      async createPolicy(_: unknown, args: { input: PolicyInputArg }, context: Context) {
        const { policy } = await policies.createPolicy({
          caller: await callerOf(context),
          clubId: args.input.clubId ?? '',
          fields: fieldsOf(args.input),
        });
        return toPolicy(policy!);
      },
      async updatePolicy(_: unknown, args: { id: string; input: PolicyInputArg }, context: Context) {
        const { policy } = await policies.updatePolicy({
          caller: await callerOf(context),
          id: args.id,
          fields: fieldsOf(args.input),
        });
        return toPolicy(policy!);
      },
      async activatePolicy(_: unknown, args: { id: string }, context: Context) {
        const { policy } = await policies.activatePolicy({ caller: await callerOf(context), id: args.id });
        return toPolicy(policy!);
      },
      async deactivatePolicy(_: unknown, args: { id: string; reason: string }, context: Context) {
        const { policy } = await policies.deactivatePolicy({
          caller: await callerOf(context),
          id: args.id,
          reason: args.reason,
        });
        return toPolicy(policy!);
      },
      async deletePolicy(_: unknown, args: { id: string }, context: Context) {
        return (await policies.deletePolicy({ caller: await callerOf(context), id: args.id })).deleted;
      },
      acknowledgePolicy: async (_: unknown, args: { policyId: string }, context: Context) =>
        (await acknowledge(context, [args.policyId]))[0],
      bulkAcknowledgePolicies: (_: unknown, args: { policyIds: string[] }, context: Context) =>
        acknowledge(context, args.policyIds),
    },
    Policy: {
      async relatedProposal(policy: PolicyModel, _: unknown, context: Context) {
        if (!policy.relatedProposalId) return null;
        const found = await orNullIfNotFound(
          governance.getProposal({ caller: await callerOf(context), id: policy.relatedProposalId }),
        );
        return found?.proposal ? toProposal(found.proposal) : null;
      },
    },
    PolicyAcknowledgment: {
      async policy(row: AcknowledgementModel, _: unknown, context: Context) {
        const found = await orNullIfNotFound(
          policies.getPolicy({ caller: await callerOf(context), id: row.policyId }),
        );
        return found?.policy ? toPolicy(found.policy) : null;
      },
      member: (row: AcknowledgementModel, _: unknown, context: Context) =>
        memberOrNull(members, context, row.clubId, row.memberId),
    },
  };
}
