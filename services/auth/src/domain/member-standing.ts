/**
 * When an account's MEMBER grant at a club is in force. The member service keeps membership
 * records (their lifecycle is services/member/src/domain/member-lifecycle.ts); the auth service
 * mints tokens. A MEMBER grant is the account's membership privileges at the club (book, RSVP,
 * request visits, review), so it is in force only when both hold:
 *
 * - the account's email is verified (a link we mailed was followed, or a password reset or an
 *   invitation proved the mailbox), and
 * - the club accepted the person: the account's latest member record there is ACTIVE, or the
 *   account redeemed an invitation to the club, and no record of it there is suspended, expired
 *   or ended (those withhold the grant until the record is reinstated or renewed).
 *
 * Registration alone (any address, naming any club) therefore signs in and lets the account manage
 * itself, nothing more. Staff and admin grants are appointments made by administrators, not
 * memberships: none of this applies to them. Pure: no I/O.
 */

export const MEMBER_RECORD_STATUSES = ['PENDING', 'ACTIVE', 'SUSPENDED', 'EXPIRED', 'INACTIVE'] as const;
export type MemberRecordStatus = (typeof MEMBER_RECORD_STATUSES)[number];

/** Record statuses under which the account's MEMBER grant at that club is not in force. */
export const WITHHOLDING_STATUSES: readonly MemberRecordStatus[] = ['SUSPENDED', 'EXPIRED', 'INACTIVE'];

/** Whether the record (null: none) withholds the MEMBER grant at its club. */
export function withholdsMemberGrant(status: MemberRecordStatus | null): boolean {
  return status !== null && WITHHOLDING_STATUSES.includes(status);
}

/** What decides a MEMBER grant at one club. */
export interface MemberGrantFacts {
  isEmailVerified: boolean;
  /** The status of the account's latest member record at the club; null when it has none. */
  standing: MemberRecordStatus | null;
  /** Whether the account redeemed an invitation to the club (the club's acceptance, and its consent). */
  isInvited: boolean;
}

/** Whether the MEMBER grant at the club is in force (see the rule above). */
export function isMemberGrantInForce(facts: MemberGrantFacts): boolean {
  if (!facts.isEmailVerified || withholdsMemberGrant(facts.standing)) return false;
  return facts.standing === 'ACTIVE' || facts.isInvited;
}
