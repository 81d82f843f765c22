import { create } from '@bufbuild/protobuf';
import { type Timestamp, timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  type Acknowledgement,
  AcknowledgementSchema,
  type Policy,
  type PolicyFields,
  PolicySchema,
  PolicyService,
} from '@clubland/contract/governance/v1/policies';
import type { CallerContext } from '@clubland/contract/member/v1/caller';
import type { ConnectRouter, HandlerContext } from '@connectrpc/connect';
import type { GovernanceDeps, UseCaseContext } from './app/deps.ts';
import {
  acknowledgePolicies,
  createPolicy,
  deletePolicy,
  getPolicy,
  listAcknowledgements,
  listPolicies,
  type PolicyFieldsInput,
  setPolicyActive,
  updatePolicy,
} from './app/policies.ts';
import type { AcknowledgementRow, PolicyRow, PolicyView } from './store/policy-queries.ts';

/** PolicyService: protobuf in, use cases, protobuf out. No rules here. */
export function registerPolicyRpc(
  router: ConnectRouter,
  deps: GovernanceDeps,
  contextOf: (handler: HandlerContext, caller?: CallerContext) => UseCaseContext,
): void {
  router.service(PolicyService, {
    async createPolicy(request, handler) {
      const context = contextOf(handler, request.caller);
      return {
        policy: policyMessage(await createPolicy(deps, context, request.clubId, fieldsOf(request.fields))),
      };
    },
    async updatePolicy(request, handler) {
      const context = contextOf(handler, request.caller);
      return {
        policy: policyMessage(await updatePolicy(deps, context, request.id, fieldsOf(request.fields))),
      };
    },
    async activatePolicy(request, handler) {
      const context = contextOf(handler, request.caller);
      return { policy: policyMessage(await setPolicyActive(deps, context, request.id, true, '')) };
    },
    async deactivatePolicy(request, handler) {
      const context = contextOf(handler, request.caller);
      return {
        policy: policyMessage(await setPolicyActive(deps, context, request.id, false, request.reason)),
      };
    },
    async deletePolicy(request, handler) {
      return { deleted: await deletePolicy(deps, contextOf(handler, request.caller), request.id) };
    },
    async getPolicy(request, handler) {
      return { policy: policyMessage(await getPolicy(deps, contextOf(handler, request.caller), request.id)) };
    },
    async listPolicies(request, handler) {
      const page = await listPolicies(deps, contextOf(handler, request.caller), {
        clubId: request.clubId,
        category: request.category,
        inForce: request.inForce,
        requiringAcknowledgment: request.requiringAcknowledgment,
        unacknowledgedByCaller: request.unacknowledgedByCaller,
        page: request.page,
        pageSize: request.pageSize,
      });
      return {
        policies: page.policies.map(policyMessage),
        total: page.total,
        page: page.page,
        pageSize: page.pageSize,
      };
    },
    async acknowledgePolicies(request, handler) {
      const rows = await acknowledgePolicies(
        deps,
        contextOf(handler, request.caller),
        request.policyIds,
        request.ipAddress,
      );
      return { acknowledgements: rows.map(acknowledgementMessage) };
    },
    async listAcknowledgements(request, handler) {
      const page = await listAcknowledgements(deps, contextOf(handler, request.caller), {
        policyId: request.policyId,
        page: request.page,
        pageSize: request.pageSize,
      });
      return {
        acknowledgements: page.acknowledgements.map(acknowledgementMessage),
        total: page.total,
        page: page.page,
        pageSize: page.pageSize,
      };
    },
  });
}

const dateOf = (stamp: Timestamp | undefined): Date | undefined => (stamp ? timestampDate(stamp) : undefined);
const stampOf = (date: Date | null) => (date ? timestampFromDate(date) : undefined);

function fieldsOf(fields: PolicyFields | undefined): PolicyFieldsInput {
  if (!fields) return {};
  return {
    name: fields.name,
    description: fields.description === undefined ? undefined : fields.description || null,
    category: fields.category,
    content: fields.content,
    version: fields.version,
    effectiveDate: dateOf(fields.effectiveDate),
    expiryDate: fields.clearExpiryDate ? null : dateOf(fields.expiryDate),
    requiresAcknowledgment: fields.requiresAcknowledgment,
    attachments: fields.setAttachments ? fields.attachments : undefined,
    relatedProposalId: fields.relatedProposalId === undefined ? undefined : fields.relatedProposalId || null,
  };
}

function policyMessage(policy: PolicyRow | PolicyView): Policy {
  return create(PolicySchema, {
    id: policy.id,
    clubId: policy.clubId,
    name: policy.name,
    description: policy.description ?? '',
    category: policy.category,
    content: policy.content,
    version: policy.version,
    effectiveDate: timestampFromDate(policy.effectiveDate),
    expiryDate: stampOf(policy.expiryDate),
    isActive: policy.isActive,
    requiresAcknowledgment: policy.requiresAcknowledgment,
    approvedBy: policy.approvedBy ?? '',
    approvalDate: stampOf(policy.approvalDate),
    relatedProposalId: policy.relatedProposalId ?? '',
    attachments: policy.attachments,
    createdAt: timestampFromDate(policy.createdAt),
    updatedAt: timestampFromDate(policy.updatedAt),
    deactivationReason: policy.deactivationReason ?? '',
    acknowledgedByCaller: 'acknowledgedByReader' in policy ? policy.acknowledgedByReader : false,
  });
}

function acknowledgementMessage(row: AcknowledgementRow): Acknowledgement {
  return create(AcknowledgementSchema, {
    id: row.id,
    clubId: row.clubId,
    policyId: row.policyId,
    memberId: row.memberId,
    policyVersion: row.policyVersion,
    acknowledgedAt: timestampFromDate(row.acknowledgedAt),
    ipAddress: row.ipAddress ?? '',
  });
}
