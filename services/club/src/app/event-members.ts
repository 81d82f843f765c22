import type { Principal } from '@clubland/authz';
import type { CallerContext } from '@clubland/contract/member/v1/caller';
import {
  type GetMemberResponse,
  type ListMyMembershipsResponse,
  type Member,
  MemberStatus,
} from '@clubland/contract/member/v1/members';
import { isClubError } from '@clubland/errors';
import { callerContextOf } from '@clubland/rpc';
import { displayNameOf } from '../domain/event.ts';

/** A member record as events need it: where, which type, whether in good standing, what fellow members see. */
export interface MembershipFact {
  memberId: string;
  clubId: string;
  membershipType: string;
  isActive: boolean;
  /** "Ada L." */
  displayName: string;
}

/** The port: members as the member service describes them to the caller. */
export interface EventMembers {
  /** The caller's own member records, every club. */
  mine(principal: Principal): Promise<MembershipFact[]>;
  /** A member of `clubId` as the caller may read them (staff); null when unknown or not theirs to read. */
  find(principal: Principal, clubId: string, memberId: string): Promise<MembershipFact | null>;
}

/** The port for reciprocal visitors: an ACTIVE agreement between the host and the visitor's home club. */
export interface VisitorAgreements {
  isActive(hostClubId: string, homeClubId: string): Promise<boolean>;
}

/** The calls we use of a `createRpcClient(MemberService, transport)` client. */
export interface EventMembersClient {
  listMyMemberships(request: { caller: CallerContext }): Promise<ListMyMembershipsResponse>;
  getMember(request: { caller: CallerContext; clubId: string; id: string }): Promise<GetMemberResponse>;
}

/**
 * EventMembers over the member service's RPC (in-memory or gRPC), called as the caller: the member
 * service decides what they may read, as if they had asked it themselves.
 */
export function createEventMembers(client: EventMembersClient): EventMembers {
  return {
    async mine(principal) {
      const { members } = await client.listMyMemberships({ caller: callerContextOf(principal) });
      return members.map(factOf);
    },
    async find(principal, clubId, memberId) {
      try {
        const { member } = await client.getMember({
          caller: callerContextOf(principal),
          clubId,
          id: memberId,
        });
        return member ? factOf(member) : null;
      } catch (error) {
        if (isClubError(error) && (error.code === 'entity.not_found' || error.code === 'request.forbidden'))
          return null;
        throw error;
      }
    },
  };
}

function factOf(member: Member): MembershipFact {
  return {
    memberId: member.id,
    clubId: member.clubId,
    membershipType: member.membershipType,
    isActive: member.status === MemberStatus.ACTIVE,
    displayName: displayNameOf(member.firstName, member.lastName),
  };
}
