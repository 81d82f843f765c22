import { authorize } from '@clubland/authz';
import { addToOutbox } from '@clubland/bus';
import { ClubError, invalidInput } from '@clubland/errors';
import { checkNewClub, type NewClub } from '../domain/club.ts';
import { type ClubProfilePatchInput, checkClubProfilePatch } from '../domain/club-profile.ts';
import { clubCreatedEvent } from '../events/builders.ts';
import { createClubProfileQueries } from '../store/club-profile-queries.ts';
import { type ClubRow, createClubQueries } from '../store/club-queries.ts';
import { MEMBER_SCHEMA, type MemberDeps, type UseCaseContext } from './deps.ts';

/** The profile facts a club may start with; the rest is edited later (update-club-profile.ts). */
export type NewClubProfile = Pick<
  ClubProfilePatchInput,
  'address' | 'latitude' | 'longitude' | 'timezone' | 'currency' | 'contactEmail' | 'contactPhone'
>;

/**
 * Registers a club in the network and announces it (`club.created`). Only the network does this
 * (club:create, held by network administrators). The row, its first profile facts and the event
 * commit together (transactional outbox), so the event is never lost and never sent for a club
 * that does not exist.
 */
export async function createClub(
  deps: MemberDeps,
  context: UseCaseContext,
  input: NewClub & { profile?: NewClubProfile },
): Promise<ClubRow> {
  authorize(context.principal, 'club:create', null);
  const checked = checkNewClub(input);
  if (!checked.ok) throw invalidInput(checked.field, checked.message);
  const profile = checkClubProfilePatch(input.profile ?? {});
  if (!profile.ok) throw invalidInput(profile.field, profile.message);
  const now = context.clock();

  const club = await deps.db.transaction(async (tx) => {
    const created = await createClubQueries(tx).insertUnlessSlugTaken({
      ...checked.value,
      id: context.newId(),
      now,
    });
    if (!created) throw slugTaken(checked.value.slug);
    if (Object.values(profile.value).some((value) => value !== undefined)) {
      await createClubProfileQueries(tx).update(created.id, profile.value, now);
    }
    await addToOutbox(tx, MEMBER_SCHEMA, [clubCreatedEvent(created, context)]);
    return created;
  });
  deps.eventsWritten();
  return club;
}

export function slugTaken(slug: string): ClubError {
  return new ClubError('club.slug_taken', `the slug "${slug}" is already taken`, { field: 'slug' });
}
