import { authorize } from '@clubland/authz';
import { addToOutbox } from '@clubland/bus';
import { SQL_STATE, sqlStateOf } from '@clubland/db';
import { ClubError, invalidInput, notFound } from '@clubland/errors';
import {
  checkNewMember,
  DEFAULT_PREFERENCES,
  ledgerIdentityOf,
  mergePreferences,
  type NewMemberInput,
} from '../domain/member.ts';
import { memberCreatedEvent } from '../events/builders.ts';
import { createClubQueries } from '../store/club-queries.ts';
import { createMemberQueries, type MemberRow } from '../store/member-queries.ts';
import { requireAccountOfClub } from './access.ts';
import { MEMBER_SCHEMA, type MemberDeps, type UseCaseContext } from './deps.ts';

/**
 * Adds a member to a club's roster as PENDING (activation is a lifecycle transition) and
 * announces it (`member.created`) in the same transaction. A record linked to an account
 * (`userId`) only for an account of the club, as the auth service says (access.ts): otherwise
 * the club could read a stranger's data through the record. Without `userId` the record is
 * not linked yet.
 */
export async function createMember(
  deps: MemberDeps,
  context: UseCaseContext,
  clubId: string,
  input: NewMemberInput & { userId: string | null },
): Promise<MemberRow> {
  authorize(context.principal, 'member:write', clubId);
  const now = context.clock();
  const checked = checkNewMember(input, now);
  if (!checked.ok) throw invalidInput(checked.field, checked.message);
  const value = checked.value;
  // Asked before the transaction: the auth service may share this process's database.
  if (input.userId !== null) await requireAccountOfClub(deps.accounts, input.userId, clubId);
  const id = context.newId();

  try {
    const member = await deps.db.withTenant(clubId, async (tx) => {
      if (!(await createClubQueries(tx).findById(clubId))) throw notFound('club', clubId);
      const created = await createMemberQueries(tx).insertUnlessNumberTaken({
        id,
        clubId,
        memberNumber: value.memberNumber,
        userId: input.userId,
        membershipType: value.membershipType,
        status: 'PENDING',
        firstName: value.firstName,
        lastName: value.lastName,
        email: value.email,
        phone: value.phone || null,
        dateOfBirth: value.dateOfBirth || null,
        address: value.address ?? null,
        emergencyContact: value.emergencyContact ?? null,
        preferences: mergePreferences(DEFAULT_PREFERENCES, value.preferences),
        notes: value.notes || null,
        joinedAt: now,
        expiresAt: value.expiresAt ?? null,
        ledgerIdentity: ledgerIdentityOf(id),
        createdAt: now,
        updatedAt: now,
        erasedAt: null,
      });
      if (!created) {
        throw new ClubError(
          'member.number_taken',
          `member number ${value.memberNumber} is taken in this club`,
          {
            field: 'memberNumber',
          },
        );
      }
      await addToOutbox(tx, MEMBER_SCHEMA, [memberCreatedEvent(created, context)]);
      return created;
    });
    deps.eventsWritten();
    return member;
  } catch (error) {
    // The only other unique key a new member can hit: one membership per user and club.
    if (sqlStateOf(error) === SQL_STATE.uniqueViolation) {
      throw new ClubError('entity.conflict', 'this user is already a member of the club', {
        field: 'userId',
      });
    }
    throw error;
  }
}
