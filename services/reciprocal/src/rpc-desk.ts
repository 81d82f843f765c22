import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { CallerContext } from '@clubland/contract/member/v1/caller';
import {
  type Identification,
  RefusalReason,
  type VisitorProjection,
  VisitorProjectionSchema,
  type VisitService,
} from '@clubland/contract/reciprocal/v1/visits';
import { invalidInput, requireUuid } from '@clubland/errors';
import type { HandlerContext, ServiceImpl } from '@connectrpc/connect';
import { checkIn, type DeskIdentification, verifyVisitor } from './app/check-in.ts';
import type { ReciprocalDeps, UseCaseContext, Visitor } from './app/deps.ts';
import { issueVisitCode } from './app/visit-codes.ts';
import type { RefusalReason as DomainRefusalReason } from './domain/visit-rules.ts';
import { visitMessage } from './rpc-visits.ts';

/** The domain's reasons as the contract's enum; a reason missing there fails to compile. */
const REASON_CODES: Record<DomainRefusalReason, RefusalReason> = RefusalReason;

type DeskMethods = Pick<ServiceImpl<typeof VisitService>, 'verifyVisitor' | 'checkIn' | 'issueVisitCode'>;

/**
 * The front desk's three VisitService methods (VerifyVisitor, CheckIn, IssueVisitCode), spread
 * into the one VisitService implementation in rpc.ts beside the visits' own. Thin: no rules here.
 */
export function deskHandlers(
  deps: ReciprocalDeps,
  contextOf: (handler: HandlerContext, caller?: CallerContext) => UseCaseContext,
): DeskMethods {
  return {
    async verifyVisitor(request, handler) {
      const verification = await verifyVisitor(deps, contextOf(handler, request.caller), {
        hostClubId: requireUuid(request.hostClubId, 'hostClubId'),
        identification: identificationOf(request.identification),
        guestCount: countOf(request.guestCount, 'guestCount', 20),
        nights: countOf(request.nights, 'nights', 365),
      });
      return {
        allowed: verification.allowed,
        reasons: verification.reasons.map((reason) => REASON_CODES[reason]),
        visitor: verification.visitor ? visitorMessage(verification.visitor) : undefined,
        agreementId: verification.agreementId ?? '',
        letterId: verification.letterId ?? '',
      };
    },

    async checkIn(request, handler) {
      const result = await checkIn(deps, contextOf(handler, request.caller), {
        hostClubId: requireUuid(request.hostClubId, 'hostClubId'),
        identification: identificationOf(request.identification),
        guestCount: countOf(request.guestCount, 'guestCount', 20),
        nights: countOf(request.nights, 'nights', 365),
        purpose: textOf(request.purpose, 'purpose', 500),
        notes: textOf(request.notes, 'notes', 2000),
      });
      return {
        visit: visitMessage(result.visit),
        visitor: visitorMessage(result.visitor),
      };
    },

    async issueVisitCode(request, handler) {
      const issued = await issueVisitCode(
        deps,
        contextOf(handler, request.caller),
        requireUuid(request.hostClubId, 'hostClubId'),
      );
      return { code: issued.code, expiresAt: timestampFromDate(issued.expiresAt) };
    },
  };
}

function identificationOf(identification: Identification | undefined): DeskIdentification {
  const by = identification?.by;
  switch (by?.case) {
    case 'card':
      if (by.value.length === 0 || by.value.length > 4096)
        throw invalidInput('identification.card', 'card must be 1-4096 characters');
      return { by: 'card', token: by.value };
    case 'memberNumber': {
      const number = by.value.memberNumber.trim();
      if (number.length === 0 || number.length > 40)
        throw invalidInput('identification.memberNumber', 'memberNumber must be 1-40 characters');
      return {
        by: 'number',
        homeClubId: requireUuid(by.value.homeClubId, 'identification.homeClubId'),
        memberNumber: number,
      };
    }
    case 'visitCode':
      if (by.value.length === 0 || by.value.length > 4096)
        throw invalidInput('identification.visitCode', 'visitCode must be 1-4096 characters');
      return { by: 'code', code: by.value };
    case 'self':
      if (!by.value) throw invalidInput('identification.self', 'self must be true when given');
      return { by: 'self' };
    case 'member':
      return {
        by: 'member',
        homeClubId:
          by.value.homeClubId === '' ? null : requireUuid(by.value.homeClubId, 'identification.homeClubId'),
        memberId: requireUuid(by.value.memberId, 'identification.memberId'),
      };
    default:
      throw invalidInput(
        'identification',
        'say who the visitor is: card, memberNumber, visitCode, member or self',
      );
  }
}

function countOf(value: number, field: string, max: number): number {
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw invalidInput(field, `${field} must be 0-${max}`);
  return value;
}

function textOf(value: string, field: string, max: number): string | null {
  const text = value.trim();
  if (text.length > max) throw invalidInput(field, `${field} must be at most ${max} characters`);
  return text === '' ? null : text;
}

/** Output guard: the projection's fields by name (no address, no contact, whatever the port holds). */
export function visitorMessage(visitor: Visitor): VisitorProjection {
  return create(VisitorProjectionSchema, {
    memberId: visitor.memberId,
    homeClubId: visitor.homeClubId,
    homeClubName: visitor.homeClubName,
    firstName: visitor.firstName,
    lastName: visitor.lastName,
    photoUrl: visitor.photoUrl,
    membershipType: visitor.membershipType,
    standing: visitor.standing,
    memberNumber: visitor.memberNumber,
  });
}
