import type { RoleGrant } from '@clubland/authz';

/** What ties an account to clubs: its home club, the roles it holds, the invitations it accepted. */
export interface ClubTies {
  homeClubId: string | null;
  grants: readonly RoleGrant[];
  /** Clubs whose invitation the account redeemed (its consent to be that club's). */
  acceptedInvitationClubIds: readonly string[];
}

/**
 * Whether an account belongs to a club, so that the club may link a member record to it: the club
 * is its home club, it holds a role there (MEMBER, STAFF, CLUB_ADMIN), or it accepted an invitation
 * to it. NETWORK_ADMIN is no tie to any one club: a network admin is a club's only as any account is.
 */
export function belongsToClub(ties: ClubTies, clubId: string): boolean {
  if (ties.homeClubId === clubId) return true;
  if (ties.grants.some((grant) => grant.role !== 'NETWORK_ADMIN' && grant.clubId === clubId)) return true;
  return ties.acceptedInvitationClubIds.includes(clubId);
}
