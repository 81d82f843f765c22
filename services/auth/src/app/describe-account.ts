import type { RoleGrant } from '@clubland/authz';
import { invalidInput, isUuid } from '@clubland/errors';
import { belongsToClub } from '../domain/club-ties.ts';
import { createInvitationQueries } from '../store/invitation-queries.ts';
import { createRoleQueries } from '../store/role-queries.ts';
import { createUserQueries } from '../store/user-queries.ts';
import type { AuthDeps } from './deps.ts';

/** An account as another service needs it to link a record to it or to act on it. */
export interface AccountAtClub {
  homeClubId: string | null;
  grants: RoleGrant[];
  belongsToClub: boolean;
}

/**
 * Service to service (DescribeAccount): an account's home club and roles now, and whether it
 * belongs to `clubId` (domain/club-ties.ts). Null for an unknown account, and for a closed one (its
 * member data erased: no club may link a record to it again). No caller: the member
 * service asks before it links a member record to an account or erases a linked one, and decides
 * itself with the caller it already holds.
 */
export async function describeAccount(
  deps: AuthDeps,
  userId: string,
  clubId: string,
): Promise<AccountAtClub | null> {
  if (!isUuid(userId)) throw invalidInput('userId', 'userId must be a user id (UUID)');
  if (!isUuid(clubId)) throw invalidInput('clubId', 'clubId must be a club id (UUID)');
  const [user, club] = [userId.toLowerCase(), clubId.toLowerCase()];
  return deps.db.transaction(async (tx) => {
    const account = await createUserQueries(tx).findById(user);
    if (!account || account.closedAt !== null) return null;
    const grants = await createRoleQueries(tx).activeGrants(user);
    const acceptedInvitationClubIds = await createInvitationQueries(tx).acceptedClubIds(user);
    return {
      homeClubId: account.clubId,
      grants,
      belongsToClub: belongsToClub({ homeClubId: account.clubId, grants, acceptedInvitationClubIds }, club),
    };
  });
}
