import type { CallerContext } from '@clubland/contract/member/v1/caller';
import {
  type GetMemberResponse,
  type ListMyMembershipsResponse,
  type Member,
  MemberStatus,
} from '@clubland/contract/member/v1/members';
import { isClubError } from '@clubland/errors';
import { callerContextOf } from '@clubland/rpc';
import type { BookingPeople } from './app/booking-ports.ts';
import type { Booker } from './domain/booking-rules.ts';

/** The calls we use of a `createRpcClient(MemberService, transport)` client. */
export interface BookingMembersClient {
  getMember(request: { caller: CallerContext; clubId: string; id: string }): Promise<GetMemberResponse>;
  listMyMemberships(request: { caller: CallerContext }): Promise<ListMyMembershipsResponse>;
}

const STATUS: Record<number, Booker['status']> = {
  [MemberStatus.PENDING]: 'PENDING',
  [MemberStatus.ACTIVE]: 'ACTIVE',
  [MemberStatus.SUSPENDED]: 'SUSPENDED',
  [MemberStatus.EXPIRED]: 'EXPIRED',
  [MemberStatus.INACTIVE]: 'INACTIVE',
};

const bookerOf = (member: Member): Booker => ({
  memberId: member.id,
  userId: member.userId || null,
  status: STATUS[member.status] ?? 'INACTIVE',
  membershipType: member.membershipType || null,
});

/** BookingPeople over the member service's RPC, called as the caller: it decides what they may read. */
export function createBookingPeople(client: BookingMembersClient): BookingPeople {
  return {
    async self(principal, clubId) {
      const { members } = await client.listMyMemberships({ caller: callerContextOf(principal) });
      const member = members.find((candidate) => candidate.clubId === clubId);
      if (!member) return { memberId: null, userId: principal.userId, status: null, membershipType: null };
      return { ...bookerOf(member), userId: principal.userId };
    },
    async member(principal, clubId, memberId) {
      try {
        const { member } = await client.getMember({
          caller: callerContextOf(principal),
          clubId,
          id: memberId,
        });
        return member ? bookerOf(member) : null;
      } catch (error) {
        if (isClubError(error) && error.code === 'entity.not_found') return null;
        throw error;
      }
    },
  };
}
