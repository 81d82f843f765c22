import { addToOutbox } from '@clubland/bus';
import { ClubError, invalidInput } from '@clubland/errors';
import { checkNewClub, type NewClub } from '../domain/club.ts';
import { clubCreatedEvent } from '../events/builders.ts';
import { type ClubRow, createClubQueries } from '../store/club-queries.ts';
import { MEMBER_SCHEMA, type MemberDeps, type UseCaseContext } from './deps.ts';

/**
 * Registers a club in the network and announces it (`club.created`).
 * The row and its event commit together (transactional outbox), so the event is never lost
 * and never sent for a club that does not exist.
 */
export async function createClub(
  deps: MemberDeps,
  context: UseCaseContext,
  input: NewClub,
): Promise<ClubRow> {
  const checked = checkNewClub(input);
  if (!checked.ok) throw invalidInput(checked.field, checked.message);

  const club = await deps.db.transaction(async (tx) => {
    const created = await createClubQueries(tx).insertUnlessSlugTaken({
      ...checked.value,
      id: context.newId(),
      now: context.clock(),
    });
    if (!created) {
      throw new ClubError('club.slug_taken', `the slug "${checked.value.slug}" is already taken`, {
        field: 'slug',
      });
    }
    await addToOutbox(tx, MEMBER_SCHEMA, [clubCreatedEvent(created, context)]);
    return created;
  });
  deps.eventsWritten();
  return club;
}
