import { ClubStatus } from '@clubland/contract/member/v1';
import type { CallerContext } from '@clubland/contract/member/v1/caller';
import type { GetClubProfilesResponse } from '@clubland/contract/member/v1/directory';
import {
  type ListMembersResponse,
  type ListMyMembershipsResponse,
  MemberStatus,
} from '@clubland/contract/member/v1/members';
import { callerContextOf } from '@clubland/rpc';
import type { GovernancePeople, OfficerFact } from './app/deps.ts';

/** The calls we use of a `createRpcClient(MemberService, transport)` client. */
export interface GovernanceMembersClient {
  listMyMemberships(request: { caller: CallerContext }): Promise<ListMyMembershipsResponse>;
  listMembers(request: {
    caller: CallerContext;
    clubId: string;
    status: MemberStatus;
    pageSize: number;
  }): Promise<ListMembersResponse>;
}

/** The one call we use of a `createRpcClient(ClubDirectoryService, transport)` client. */
export interface ClubProfilesClient {
  getClubProfiles(request: { ids: string[] }): Promise<GetClubProfilesResponse>;
}

const STATUS: Record<number, OfficerFact['status']> = {
  [MemberStatus.PENDING]: 'PENDING',
  [MemberStatus.ACTIVE]: 'ACTIVE',
  [MemberStatus.SUSPENDED]: 'SUSPENDED',
  [MemberStatus.EXPIRED]: 'EXPIRED',
  [MemberStatus.INACTIVE]: 'INACTIVE',
};

/**
 * GovernancePeople over the member service's RPC (in-memory or gRPC), called as the caller where a
 * person is concerned: the member service decides what they may read. A failure propagates, so
 * nothing is decided on a guess.
 */
export function createGovernancePeople(
  members: GovernanceMembersClient,
  directory: ClubProfilesClient,
): GovernancePeople {
  return {
    async officerAt(principal, clubId) {
      const { members: own } = await members.listMyMemberships({ caller: callerContextOf(principal) });
      const member = own.find((candidate) => candidate.clubId === clubId);
      return member ? { memberId: member.id, status: STATUS[member.status] ?? 'INACTIVE' } : null;
    },
    async clubIsActive(clubId) {
      const { clubs } = await directory.getClubProfiles({ ids: [clubId] });
      return clubs.some((club) => club.id === clubId && club.status === ClubStatus.ACTIVE);
    },
    async activeMembers(principal, clubId) {
      const { totalCount } = await members.listMembers({
        caller: callerContextOf(principal),
        clubId,
        status: MemberStatus.ACTIVE,
        pageSize: 1,
      });
      return totalCount;
    },
  };
}
