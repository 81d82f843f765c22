import { notFound } from '@clubland/errors';
import { createMemberQueries, type MemberRow } from '../store/member-queries.ts';
import { authorizeMemberRead, guardRead } from './access.ts';
import type { MemberDeps, UseCaseContext } from './deps.ts';

/** Reads skip the domain: authorise, then straight to the store inside the club's tenant. */

/** One member for display, through this instance's member cache (app/member-cache.ts). */
export async function getMember(
  deps: MemberDeps,
  context: UseCaseContext,
  clubId: string,
  memberId: string,
): Promise<MemberRow> {
  const reader = authorizeMemberRead(context.principal, clubId);
  const member = await deps.memberCache.read(clubId, memberId);
  if (!member) throw notFound('member', memberId);
  return guardRead(reader, member);
}

export async function getMemberByNumber(
  deps: MemberDeps,
  context: UseCaseContext,
  clubId: string,
  memberNumber: string,
): Promise<MemberRow> {
  const reader = authorizeMemberRead(context.principal, clubId);
  const member = await deps.db.readAtOnce(clubId, (tx) =>
    createMemberQueries(tx).findByNumber(clubId, memberNumber),
  );
  if (!member) throw notFound('member', memberNumber);
  return guardRead(reader, member, memberNumber);
}

/** How to reach a member: what the notification service asks (GetMemberContact). */
export interface MemberContact {
  userId: string | null;
  phone: string | null;
  /** A BCP 47 tag, '' when the member chose none. */
  preferredLanguage: string;
}

/**
 * A member's contact for the notification service's deliveries (SMS, the language of its texts).
 * An internal question without a caller, as the auth service's DescribeAccount: the RPC port is
 * internal and the gateway serves no such question. Unknown and erased records are null alike.
 */
export async function getMemberContact(
  deps: MemberDeps,
  clubId: string,
  memberId: string,
): Promise<MemberContact | null> {
  const member = await deps.memberCache.read(clubId, memberId);
  if (!member || member.erasedAt) return null;
  return {
    userId: member.userId,
    phone: member.phone,
    preferredLanguage: member.preferences.preferredLanguage,
  };
}
