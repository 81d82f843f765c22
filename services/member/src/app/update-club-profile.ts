import { authorize } from '@clubland/authz';
import { invalidInput, notFound } from '@clubland/errors';
import { type ClubProfilePatchInput, checkClubProfilePatch } from '../domain/club-profile.ts';
import { type ClubProfileRow, createClubProfileQueries } from '../store/club-profile-queries.ts';
import type { MemberDeps, UseCaseContext } from './deps.ts';

/**
 * Edits a club's directory profile. The club's admins edit their own club (club:write); only the
 * network decides which clubs are featured (network:manage).
 */
export async function updateClubProfile(
  deps: MemberDeps,
  context: UseCaseContext,
  clubId: string,
  input: ClubProfilePatchInput,
): Promise<ClubProfileRow> {
  authorize(context.principal, 'club:write', clubId);
  if (input.isFeatured !== undefined) authorize(context.principal, 'network:manage', null);
  const checked = checkClubProfilePatch(input);
  if (!checked.ok) throw invalidInput(checked.field, checked.message);

  return deps.db.transaction(async (tx) => {
    const clubs = createClubProfileQueries(tx);
    if (!(await clubs.update(clubId, checked.value, context.clock()))) throw notFound('club', clubId);
    return (await clubs.findByIds([clubId]))[0]!;
  });
}
