import type { CallerContext } from '@clubland/contract/member/v1/caller';
import { type GetMemberResponse, MemberStatus } from '@clubland/contract/member/v1/members';
import { isClubError } from '@clubland/errors';
import { callerContextOf } from '@clubland/rpc';
import type { MemberDirectory, MemberFact } from './app/deps.ts';

/** The one call we use of a `createRpcClient(MemberService, transport)` client. */
export interface MemberRecordsClient {
  getMember(request: { caller: CallerContext; clubId: string; id: string }): Promise<GetMemberResponse>;
}

const STATUS: Record<number, MemberFact['status']> = {
  [MemberStatus.PENDING]: 'PENDING',
  [MemberStatus.ACTIVE]: 'ACTIVE',
  [MemberStatus.SUSPENDED]: 'SUSPENDED',
  [MemberStatus.EXPIRED]: 'EXPIRED',
  [MemberStatus.INACTIVE]: 'INACTIVE',
};

/**
 * MemberDirectory over the member service's GetMember RPC (in-memory or gRPC), called as the
 * caller: the member service decides what they may read, exactly as if they had asked it.
 */
export function createMemberDirectory(client: MemberRecordsClient): MemberDirectory {
  return {
    async find(principal, clubId, memberId) {
      try {
        const { member } = await client.getMember({
          caller: callerContextOf(principal),
          clubId,
          id: memberId,
        });
        if (!member) return null;
        return {
          id: member.id,
          clubId: member.clubId,
          userId: member.userId || null,
          status: STATUS[member.status] ?? 'INACTIVE',
          firstName: member.firstName,
          lastName: member.lastName,
          email: member.email,
        };
      } catch (error) {
        if (isClubError(error) && error.code === 'entity.not_found') return null;
        throw error;
      }
    },
  };
}
