import type { JsonWebKey } from 'node:crypto';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { CallerContext } from '@clubland/contract/member/v1/caller';
import {
  type DescribeVisitorRequest,
  MemberOrder,
  type MemberPreferencesPatch,
  MemberService,
} from '@clubland/contract/member/v1/members';
import { invalidInput, requireUuid } from '@clubland/errors';
import type { ConnectRouter, HandlerContext } from '@connectrpc/connect';
import { clubOfCall } from './app/access.ts';
import { changeMemberStatus } from './app/change-member-status.ts';
import { createMember } from './app/create-member.ts';
import type { MemberDeps, UseCaseContext } from './app/deps.ts';
import { describeVisitor, type VisitorIdentification } from './app/describe-visitor.ts';
import { eraseMember } from './app/erase-member.ts';
import { exportMember } from './app/export-member.ts';
import { getMember, getMemberByNumber, getMemberContact } from './app/get-member.ts';
import { listMembers } from './app/list-members.ts';
import { listOwnMemberships } from './app/list-own-memberships.ts';
import { listStatusChanges } from './app/list-status-changes.ts';
import { cardSigningKeys, checkMembershipCard, issueMembershipCard } from './app/membership-cards.ts';
import { updateMember } from './app/update-member.ts';
import type { MembershipType, PreferencesPatch } from './domain/member.ts';
import { MEMBERSHIP_TYPES } from './domain/member.ts';
import {
  addressFromMessage,
  dateOf,
  memberStatusFromMessage,
  memberToMessage,
  statusChangeToMessage,
} from './rpc-messages.ts';

/** MemberService: protobuf in, use case, protobuf out. No rules here. */

function preferencesOf(patch: MemberPreferencesPatch | undefined): PreferencesPatch | undefined {
  if (!patch) return undefined;
  return {
    receiveNewsletter: patch.receiveNewsletter,
    receivePromotions: patch.receivePromotions,
    allowDataSharing: patch.allowDataSharing,
    preferredLanguage: patch.preferredLanguage,
    dietaryRestrictions: patch.dietaryRestrictions?.values,
    interests: patch.interests?.values,
  };
}

export function registerMembersRpc(
  router: ConnectRouter,
  deps: MemberDeps,
  contextOf: (handler: HandlerContext, caller: CallerContext | undefined) => UseCaseContext,
): void {
  router.service(MemberService, {
    async createMember(request, handler) {
      const context = contextOf(handler, request.caller);
      const member = await createMember(deps, context, clubOfCall(context.principal, request.clubId), {
        memberNumber: request.memberNumber,
        userId: request.userId === '' ? null : requireUuid(request.userId, 'userId'),
        firstName: request.firstName,
        lastName: request.lastName,
        email: request.email,
        phone: request.phone || undefined,
        dateOfBirth: request.dateOfBirth || undefined,
        address: addressFromMessage(request.address),
        emergencyContact: request.emergencyContact && { ...request.emergencyContact },
        membershipType: request.membershipType,
        expiresAt: dateOf(request.expiresAt),
        preferences: preferencesOf(request.preferences),
        notes: request.notes || undefined,
      });
      return { member: memberToMessage(member) };
    },

    async updateMember(request, handler) {
      const context = contextOf(handler, request.caller);
      const member = await updateMember(
        deps,
        context,
        clubOfCall(context.principal, request.clubId),
        requireUuid(request.id, 'id'),
        {
          firstName: request.firstName,
          lastName: request.lastName,
          email: request.email,
          phone: request.phone,
          dateOfBirth: request.dateOfBirth,
          address: addressFromMessage(request.address),
          emergencyContact: request.emergencyContact && { ...request.emergencyContact },
          membershipType: request.membershipType,
          expiresAt: dateOf(request.expiresAt),
          preferences: preferencesOf(request.preferences),
          notes: request.notes,
        },
      );
      return { member: memberToMessage(member) };
    },

    async getMember(request, handler) {
      const context = contextOf(handler, request.caller);
      const member = await getMember(
        deps,
        context,
        clubOfCall(context.principal, request.clubId),
        requireUuid(request.id, 'id'),
      );
      return { member: memberToMessage(member) };
    },

    async getMemberContact(request) {
      const contact = await getMemberContact(
        deps,
        requireUuid(request.clubId, 'clubId'),
        requireUuid(request.id, 'id'),
      );
      if (!contact) return { found: false };
      return {
        found: true,
        userId: contact.userId ?? '',
        phone: contact.phone ?? '',
        preferredLanguage: contact.preferredLanguage,
      };
    },

    async getMemberByNumber(request, handler) {
      const context = contextOf(handler, request.caller);
      if (request.memberNumber.length === 0 || request.memberNumber.length > 40) {
        throw invalidInput('memberNumber', 'memberNumber must be 1-40 characters');
      }
      const member = await getMemberByNumber(
        deps,
        context,
        clubOfCall(context.principal, request.clubId),
        request.memberNumber,
      );
      return { member: memberToMessage(member) };
    },

    async listMyMemberships(request, handler) {
      const members = await listOwnMemberships(deps, contextOf(handler, request.caller));
      return { members: members.map(memberToMessage) };
    },

    async listMembers(request, handler) {
      const context = contextOf(handler, request.caller);
      const type = request.membershipType.toUpperCase();
      if (type !== '' && !(MEMBERSHIP_TYPES as readonly string[]).includes(type)) {
        throw invalidInput('membershipType', `membershipType must be one of ${MEMBERSHIP_TYPES.join(', ')}`);
      }
      const page = await listMembers(deps, context, clubOfCall(context.principal, request.clubId), {
        filter: {
          status: memberStatusFromMessage[request.status] ?? null,
          membershipType: type === '' ? null : (type as MembershipType),
          search: request.search.trim(),
        },
        order: request.order === MemberOrder.LAST_NAME ? 'lastName' : 'created',
        pageSize: request.pageSize,
        after: request.after,
        page: request.page,
      });
      return { ...page, members: page.members.map(memberToMessage) };
    },

    async changeMemberStatus(request, handler) {
      const context = contextOf(handler, request.caller);
      const to = memberStatusFromMessage[request.status];
      if (!to) throw invalidInput('status', 'status is required');
      const result = await changeMemberStatus(deps, context, clubOfCall(context.principal, request.clubId), {
        memberId: requireUuid(request.id, 'id'),
        to,
        reason: request.reason,
        expiresAt: dateOf(request.expiresAt) ?? null,
      });
      return { member: memberToMessage(result.member), change: statusChangeToMessage(result.change) };
    },

    async listStatusChanges(request, handler) {
      const context = contextOf(handler, request.caller);
      const changes = await listStatusChanges(
        deps,
        context,
        clubOfCall(context.principal, request.clubId),
        requireUuid(request.memberId, 'memberId'),
      );
      return { changes: changes.map(statusChangeToMessage) };
    },

    async issueMembershipCard(request, handler) {
      const context = contextOf(handler, request.caller);
      const card = await issueMembershipCard(
        deps,
        context,
        clubOfCall(context.principal, request.clubId),
        requireUuid(request.memberId, 'memberId'),
      );
      return { token: card.token, expiresAt: timestampFromDate(card.expiresAt), keyId: card.keyId };
    },

    async verifyMembershipCard(request, handler) {
      const context = contextOf(handler, request.caller);
      if (request.token.length > 4096) throw invalidInput('token', 'token is too long');
      const check = await checkMembershipCard(deps, context, request.token);
      return check.ok
        ? {
            valid: true,
            memberId: check.memberId,
            clubId: check.clubId,
            validUntil: timestampFromDate(check.validUntil),
          }
        : { valid: false, reason: check.reason };
    },

    async getCardSigningKeys(request) {
      const keys: JsonWebKey[] = await cardSigningKeys(deps, request.clubId);
      return { jwks: keys.map((key) => JSON.stringify(key)) };
    },

    async exportMember(request, handler) {
      const context = contextOf(handler, request.caller);
      const json = await exportMember(
        deps,
        context,
        clubOfCall(context.principal, request.clubId),
        requireUuid(request.memberId, 'memberId'),
      );
      return { json };
    },

    async eraseMember(request, handler) {
      const context = contextOf(handler, request.caller);
      const member = await eraseMember(
        deps,
        context,
        clubOfCall(context.principal, request.clubId),
        requireUuid(request.memberId, 'memberId'),
        request.reason,
      );
      return { member: memberToMessage(member) };
    },

    async describeVisitor(request, handler) {
      const context = contextOf(handler, request.caller);
      const described = await describeVisitor(deps, context, {
        hostClubId: requireUuid(request.hostClubId, 'hostClubId'),
        identification: visitorIdentificationOf(request),
        hostCity: request.hostCity.slice(0, 100),
      });
      if (!described.found) return { failure: described.failure };
      if (!described.agreementActive) return { homeClubId: described.homeClubId, agreementActive: false };
      return { homeClubId: described.homeClubId, agreementActive: true, visitor: { ...described.visitor } };
    },
  });
}

function visitorIdentificationOf(request: DescribeVisitorRequest): VisitorIdentification {
  const by = request.by;
  switch (by.case) {
    case 'card':
      if (by.value.length === 0 || by.value.length > 4096)
        throw invalidInput('card', 'card must be 1-4096 characters');
      return { by: 'card', token: by.value };
    case 'memberNumber':
      if (by.value.memberNumber.length === 0 || by.value.memberNumber.length > 40)
        throw invalidInput('memberNumber', 'memberNumber must be 1-40 characters');
      return {
        by: 'number',
        homeClubId: requireUuid(by.value.homeClubId, 'homeClubId'),
        memberNumber: by.value.memberNumber,
      };
    case 'member':
      return {
        by: 'member',
        homeClubId: by.value.homeClubId === '' ? null : requireUuid(by.value.homeClubId, 'homeClubId'),
        memberId: requireUuid(by.value.memberId, 'memberId'),
      };
    case 'self':
      return { by: 'self' };
    default:
      throw invalidInput(
        'identification',
        'say how the visitor is identified: card, member number, member or self',
      );
  }
}
