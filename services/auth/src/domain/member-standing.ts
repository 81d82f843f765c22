/**
 * How an account's membership record at a club bears on what it may do there. The member service
 * keeps the record (its lifecycle is services/member/src/domain/member-lifecycle.ts); the auth
 * service mints tokens. A MEMBER grant is the account's membership privileges at the club (book,
 * RSVP, request visits, review), so it is in force only while the record is in good standing:
 * a suspended, expired or ended membership withholds it until the record is reinstated or renewed.
 * Staff and admin grants are appointments, not memberships, and are revoked by role. An account
 * with no record at the club (a fresh registration) keeps its MEMBER grant. Pure: no I/O.
 */

export const MEMBER_RECORD_STATUSES = ['PENDING', 'ACTIVE', 'SUSPENDED', 'EXPIRED', 'INACTIVE'] as const;
export type MemberRecordStatus = (typeof MEMBER_RECORD_STATUSES)[number];

/** Record statuses under which the account's MEMBER grant at that club is not in force. */
export const WITHHOLDING_STATUSES: readonly MemberRecordStatus[] = ['SUSPENDED', 'EXPIRED', 'INACTIVE'];

/** Whether the record (null: none) withholds the MEMBER grant at its club. */
export function withholdsMemberGrant(status: MemberRecordStatus | null): boolean {
  return status !== null && WITHHOLDING_STATUSES.includes(status);
}
