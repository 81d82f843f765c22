import type { RoleGrant } from '@clubland/authz';

/**
 * What the erasure of a member record linked to an account does to the account (the policy the
 * README states under "Erasure"). The record was the account's tie to its club; once it is erased:
 * - the account keeps living when it still has another tie: a member record at another club, a
 *   MEMBER role at another club, or any appointment (STAFF or CLUB_ADMIN anywhere, NETWORK_ADMIN).
 *   Only the erased club's tie goes: the record's standing and the MEMBER role there;
 * - otherwise the account is closed: everything naming the person removed, every session ended,
 *   and no way to sign in again (it answers as an unknown address).
 * Pure: no I/O.
 */

export type ErasureOutcome = 'account_closed' | 'club_tie_dropped';

export interface RemainingTies {
  /** The roles the account still holds (unrevoked), the erased club's MEMBER role already dropped. */
  grants: readonly RoleGrant[];
  /** Clubs where the account holds a member record not erased, the erased one left out. */
  otherRecordClubIds: readonly string[];
}

export function erasureOutcome(erasedClubId: string, ties: RemainingTies): ErasureOutcome {
  const isTie = (grant: RoleGrant) => grant.role !== 'MEMBER' || grant.clubId !== erasedClubId;
  if (ties.otherRecordClubIds.length > 0 || ties.grants.some(isTie)) return 'club_tie_dropped';
  return 'account_closed';
}

/**
 * The address a closed account keeps in place of the person's: unique (the column is), never
 * routable (`.invalid`, RFC 2606), and naming nobody.
 */
export function closedAccountEmail(userId: string): string {
  return `closed-${userId}@erased.invalid`;
}
