import { isRole, type RoleGrant } from '@clubland/authz';
import type { DescribeAccountResponse } from '@clubland/contract/auth/v1';
import { ClubError, isUuid } from '@clubland/errors';
import type { AccountAtClub, AccountDirectory } from './app/deps.ts';

/** The one call we use of a `createRpcClient(AuthService, transport)` client. */
export interface AccountsClient {
  describeAccount(request: { userId: string; clubId: string }): Promise<DescribeAccountResponse>;
}

/**
 * The AccountDirectory over the auth service's DescribeAccount RPC (in-memory or gRPC, the
 * caller's choice). An unknown account is null; other failures propagate, so nothing is linked or
 * erased on a guess while the auth service cannot answer.
 */
export function createAccountDirectory(auth: AccountsClient): AccountDirectory {
  return {
    async describe(userId, clubId): Promise<AccountAtClub | null> {
      const account = await auth.describeAccount({ userId, clubId });
      if (!account.found) return null;
      return {
        homeClubId: isUuid(account.homeClubId) ? account.homeClubId.toLowerCase() : null,
        grants: account.roles.map(grantOf),
        belongsToClub: account.belongsToClub,
      };
    },
  };
}

/**
 * The account's grant as coverage reads it. These are the target's roles, so doubt must protect
 * the account: a role this build does not know, or a club role without a valid club, becomes a
 * club-less CLUB_ADMIN, which no club admin covers (only a network admin acts on it).
 */
function grantOf(grant: { role: string; clubId: string }): RoleGrant {
  if (grant.role === 'NETWORK_ADMIN') return { role: 'NETWORK_ADMIN', clubId: null };
  if (!isRole(grant.role) || !isUuid(grant.clubId)) return { role: 'CLUB_ADMIN', clubId: null };
  return { role: grant.role, clubId: grant.clubId.toLowerCase() };
}

/**
 * An AccountsClient bound later. In one process the member service is built before the auth
 * service it asks (which asks it about clubs in turn); until `bind`, a call is SERVICE_UNAVAILABLE.
 */
export function lateAccountsClient(): AccountsClient & { bind(client: AccountsClient): void } {
  let bound: AccountsClient | null = null;
  return {
    bind(client) {
      bound = client;
    },
    async describeAccount(request) {
      if (!bound) throw new ClubError('dependency.unavailable', 'the auth service is not running yet');
      return bound.describeAccount(request);
    },
  };
}
