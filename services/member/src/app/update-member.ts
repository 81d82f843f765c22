import { authorize } from '@clubland/authz';
import { addToOutbox } from '@clubland/bus';
import { ClubError, invalidInput, notFound } from '@clubland/errors';
import { checkMemberPatch, type MemberPatchInput, mergePreferences } from '../domain/member.ts';
import { memberUpdatedEvent } from '../events/builders.ts';
import { createMemberQueries, type MemberFields, type MemberRow } from '../store/member-queries.ts';
import { MEMBER_SCHEMA, type MemberDeps, type UseCaseContext } from './deps.ts';

/**
 * Changes a member's profile fields (status has its own use case: change-member-status.ts) and
 * announces which fields changed (`member.updated`, names only, no values).
 */
export async function updateMember(
  deps: MemberDeps,
  context: UseCaseContext,
  clubId: string,
  memberId: string,
  input: MemberPatchInput,
): Promise<MemberRow> {
  authorize(context.principal, 'member:write', clubId);
  const now = context.clock();
  const checked = checkMemberPatch(input, now);
  if (!checked.ok) throw invalidInput(checked.field, checked.message);
  const patch = checked.value;

  // In `finally`: a COMMIT that failed on a lost connection may still have committed.
  const updated = await deps.db
    .withTenant(clubId, async (tx) => {
      const members = createMemberQueries(tx);
      const current = await members.findById(clubId, memberId, { forUpdate: true });
      if (!current) throw notFound('member', memberId);
      if (current.erasedAt)
        throw new ClubError('entity.conflict', 'this member was erased; their record cannot change');

      const fields: Partial<MemberFields> = {
        firstName: patch.firstName,
        lastName: patch.lastName,
        email: patch.email,
        phone: patch.phone === undefined ? undefined : patch.phone || null,
        dateOfBirth: patch.dateOfBirth === undefined ? undefined : patch.dateOfBirth || null,
        address: patch.address,
        emergencyContact: patch.emergencyContact,
        membershipType: patch.membershipType,
        expiresAt: patch.expiresAt,
        preferences: patch.preferences && mergePreferences(current.preferences, patch.preferences),
        notes: patch.notes === undefined ? undefined : patch.notes || null,
      };
      const changed = (Object.keys(fields) as (keyof MemberFields)[]).filter(
        (name) => fields[name] !== undefined,
      );
      if (changed.length === 0) return current;

      const row = await members.update(clubId, memberId, { ...fields, updatedAt: now });
      await addToOutbox(tx, MEMBER_SCHEMA, [memberUpdatedEvent(row!, changed, context)]);
      return row!;
    })
    .finally(() => deps.memberCache.forget(clubId, memberId));
  deps.eventsWritten();
  return updated;
}
