import { authorize } from '@clubland/authz';
import { addToOutbox } from '@clubland/bus';
import { SQL_STATE, sqlStateOf } from '@clubland/db';
import { invalidInput, notFound } from '@clubland/errors';
import { type ClubPatch, checkClubPatch } from '../domain/club.ts';
import { checkClubProfilePatch } from '../domain/club-profile.ts';
import { clubUpdatedEvent } from '../events/builders.ts';
import { createClubProfileQueries } from '../store/club-profile-queries.ts';
import { type ClubRow, createClubQueries } from '../store/club-queries.ts';
import type { NewClubProfile } from './create-club.ts';
import { slugTaken } from './create-club.ts';
import { MEMBER_SCHEMA, type MemberDeps, type UseCaseContext } from './deps.ts';

/**
 * Edits a club's registry entry (name, slug, description, location, website) and the profile facts
 * it was created with. Its own admins may (club:write there), and network administrators; an admin
 * of another club may not. Announces which fields changed (`club.updated`); an edit that sets
 * nothing changes nothing.
 */
export async function updateClub(
  deps: MemberDeps,
  context: UseCaseContext,
  clubId: string,
  input: { club: ClubPatch; profile: NewClubProfile },
): Promise<ClubRow> {
  authorize(context.principal, 'club:write', clubId);
  const club = checkClubPatch(input.club);
  if (!club.ok) throw invalidInput(club.field, club.message);
  const profile = checkClubProfilePatch(input.profile);
  if (!profile.ok) throw invalidInput(profile.field, profile.message);
  const fields = [...setFields(club.value), ...setFields(profile.value)];
  const now = context.clock();

  try {
    const updated = await deps.db.transaction(async (tx) => {
      const clubs = createClubQueries(tx);
      const current = await clubs.findById(clubId, { forUpdate: true });
      if (!current) throw notFound('club', clubId);
      if (fields.length === 0) return current;
      const slug = club.value.slug;
      if (slug !== undefined && slug !== current.slug && (await clubs.findBySlug(slug)))
        throw slugTaken(slug);
      await clubs.update(clubId, club.value, now);
      if (setFields(profile.value).length > 0) {
        await createClubProfileQueries(tx).update(clubId, profile.value, now);
      }
      await addToOutbox(tx, MEMBER_SCHEMA, [clubUpdatedEvent(clubId, fields, context)]);
      return (await clubs.findById(clubId))!;
    });
    deps.eventsWritten();
    return updated;
  } catch (error) {
    // Two edits racing for one slug: the unique index decides, the loser hears why.
    if (sqlStateOf(error) === SQL_STATE.uniqueViolation && club.value.slug !== undefined) {
      throw slugTaken(club.value.slug);
    }
    throw error;
  }
}

function setFields(patch: object): string[] {
  return Object.entries(patch)
    .filter(([, value]) => value !== undefined)
    .map(([field]) => field);
}
