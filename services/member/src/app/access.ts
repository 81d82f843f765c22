import { authorize, can, covers, type Principal } from '@clubland/authz';
import { assertClubId } from '@clubland/db';
import { ClubError, invalidInput, notFound } from '@clubland/errors';
import type { MemberRow } from '../store/member-queries.ts';
import type { AccountDirectory } from './deps.ts';

/**
 * Who may do what with a club's members. Permissions come from @clubland/authz's one table;
 * this file adds the rules it cannot know: a member may see their own record; a record is linked
 * only to an account of the club; and a linked person's data is erased only by someone with
 * authority over every role their account holds (`covers`, the rule the auth service applies to
 * accounts).
 */

/** The club a call acts in: the one it names, else the caller's home club. */
export function clubOfCall(principal: Principal | null, requestedClubId: string): string {
  if (requestedClubId === '' && !principal) throw new ClubError('request.unauthenticated', 'sign in first');
  const clubId = requestedClubId !== '' ? requestedClubId : (principal?.homeClubId ?? '');
  if (clubId === '') throw invalidInput('clubId', 'clubId is required when the caller has no home club');
  return assertClubId(clubId);
}

/** How the caller may read the club's members: all of them (staff), or only their own record. */
export type Reader = {
  principal: Principal;
  scope: 'roster' | 'self';
  permission: 'member:read' | 'member:export';
};

export function authorizeMemberRead(
  principal: Principal | null,
  clubId: string,
  permission: 'member:read' | 'member:export' = 'member:read',
): Reader {
  if (can(principal, permission, clubId)) return { principal: principal!, scope: 'roster', permission };
  if (principal && (principal.homeClubId === clubId || can(principal, 'club:read', clubId))) {
    return { principal, scope: 'self', permission };
  }
  authorize(principal, permission, clubId);
  throw new ClubError('request.forbidden', `missing permission ${permission}`, { permission });
}

/**
 * A self-scoped reader sees their own record only; staff notes stay with the staff.
 *
 * Someone else's record reads as missing, exactly as a record that does not exist (same code, same
 * message with the key they asked by), so a member cannot probe which numbers or ids the club uses.
 * Only a reader who may see the roster anyway (staff asking for an export they may not make) is told
 * FORBIDDEN: for them the record's existence is no secret.
 */
export function guardRead(reader: Reader, member: MemberRow, askedBy: string = member.id): MemberRow {
  if (reader.scope === 'roster') return member;
  if (member.userId !== reader.principal.userId) {
    if (can(reader.principal, 'member:read', member.clubId)) {
      throw new ClubError('request.forbidden', `missing permission ${reader.permission}`, {
        permission: reader.permission,
      });
    }
    throw notFound('member', askedBy);
  }
  return { ...member, notes: null };
}

/**
 * A member record may name only an account that belongs to the club (its home club, a role there,
 * or an invitation it accepted: its consent). Anything else, an unknown id included, reads alike,
 * so ids cannot be probed: BAD_USER_INPUT on `userId`.
 */
export async function requireAccountOfClub(
  accounts: AccountDirectory,
  userId: string,
  clubId: string,
): Promise<void> {
  const account = await accounts.describe(userId, clubId);
  if (!account?.belongsToClub) {
    throw invalidInput(
      'userId',
      'no account of this club has this id: invite the person to the club, and link the record once they accept',
    );
  }
}

/**
 * Acting on a record linked to an account changes that person's data: only with authority over
 * every role the account holds (a club admin never erases a network admin's, a peer admin's, or a
 * member of another club's record; a network admin can). Ask outside any transaction: the auth
 * service may share this process's database. An account the auth service no longer knows has
 * nobody to protect.
 */
export async function requireAuthorityOverAccount(
  accounts: AccountDirectory,
  principal: Principal,
  userId: string | null,
  clubId: string,
): Promise<void> {
  if (userId === null || userId === principal.userId) return;
  const account = await accounts.describe(userId, clubId);
  if (account && !covers(principal, { userId, homeClubId: account.homeClubId, grants: account.grants })) {
    throw new ClubError(
      'request.forbidden',
      "this member's account holds roles beyond your authority; a network administrator can do this",
    );
  }
}
