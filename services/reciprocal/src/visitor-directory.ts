import type { MessageInitShape } from '@bufbuild/protobuf';
import type {
  DescribeVisitorRequest,
  DescribeVisitorRequestSchema,
  DescribeVisitorResponse,
} from '@clubland/contract/member/v1/members';
import { callerContextOf } from '@clubland/rpc';
import type { VisitorDirectory, VisitorIdentification } from './app/deps.ts';

/** The one call we use of a `createRpcClient(MemberService, transport)` client. */
export interface VisitorDescriptionsClient {
  describeVisitor(
    request: MessageInitShape<typeof DescribeVisitorRequestSchema>,
  ): Promise<DescribeVisitorResponse>;
}

/**
 * VisitorDirectory over the member service's DescribeVisitor RPC (in-memory or gRPC), asked as the
 * caller. A failure propagates, so nothing is decided on a guess.
 */
export function createVisitorDirectory(members: VisitorDescriptionsClient): VisitorDirectory {
  return {
    async describe(principal, request) {
      const answer = await members.describeVisitor({
        caller: callerContextOf(principal),
        hostClubId: request.hostClubId,
        by: byOf(request.identification),
        hostCity: request.hostCity,
      });
      if (answer.homeClubId === '') return { found: false, failure: answer.failure || 'not_found' };
      if (!answer.agreementActive || !answer.visitor) {
        return { found: true, homeClubId: answer.homeClubId, isAgreementActive: false };
      }
      const visitor = answer.visitor;
      return {
        found: true,
        homeClubId: answer.homeClubId,
        isAgreementActive: true,
        // Field by field: whatever the member service adds later stays out.
        visitor: {
          memberId: visitor.memberId,
          homeClubId: visitor.homeClubId,
          homeClubName: visitor.homeClubName,
          firstName: visitor.firstName,
          lastName: visitor.lastName,
          photoUrl: visitor.photoUrl,
          membershipType: visitor.membershipType,
          standing: visitor.standing,
          memberNumber: visitor.memberNumber,
          userId: visitor.userId === '' ? null : visitor.userId,
          livesInHostCity: visitor.livesInHostCity,
        },
      };
    },
  };
}

function byOf(identification: VisitorIdentification): DescribeVisitorRequest['by'] {
  switch (identification.by) {
    case 'card':
      return { case: 'card', value: identification.token };
    case 'number':
      return {
        case: 'memberNumber',
        value: {
          $typeName: 'clubland.member.v1.VisitorNumber',
          homeClubId: identification.homeClubId,
          memberNumber: identification.memberNumber,
        },
      };
    case 'member':
      return {
        case: 'member',
        value: {
          $typeName: 'clubland.member.v1.VisitorRef',
          homeClubId: identification.homeClubId ?? '',
          memberId: identification.memberId,
        },
      };
    case 'self':
      return { case: 'self', value: true };
  }
}
