import { authorize } from '@clubland/authz';
import { addToOutbox } from '@clubland/bus';
import { invalidInput, notFound } from '@clubland/errors';
import { ERASED_AUTHOR } from '../domain/club-profile.ts';
import { DEFAULT_PREFERENCES } from '../domain/member.ts';
import { memberErasedEvent } from '../events/builders.ts';
import { createMemberHistoryQueries } from '../store/member-history-queries.ts';
import { createMemberQueries, type MemberRow } from '../store/member-queries.ts';
import { createReviewQueries } from '../store/review-queries.ts';
import { requireAuthorityOverAccount } from './access.ts';
import { MEMBER_SCHEMA, type MemberDeps, type UseCaseContext } from './deps.ts';

/**
 * Erasure: removes the member's personal fields (names, contact, birth date, address, emergency
 * contact, preferences, notes) and keeps what others' records point at: the id, club, member
 * number, user id, status and the ledger identity. For a record linked to an account, the reviews
 * that account wrote show ERASED_AUTHOR from then on, at every club (reviews are this service's,
 * so in the same transaction). Audited, and announced once (`member.erased`, naming the account):
 * the auth service closes the account, or drops this club's tie when it has others.
 * Erasure happens once: erasing an erased record writes, audits and announces nothing and answers
 * the record as it is, its `erasedAt` the first erasure's.
 * Needs member:write at the club and, for a record linked to an account, authority over every
 * role that account holds (access.ts), as every change to a person's account does.
 */
export async function eraseMember(
  deps: MemberDeps,
  context: UseCaseContext,
  clubId: string,
  memberId: string,
  reason: string,
): Promise<MemberRow> {
  authorize(context.principal, 'member:write', clubId);
  const actor = context.principal.userId;
  const why = reason.trim();
  if (why.length === 0 || why.length > 1000) throw invalidInput('reason', 'reason must be 1-1000 characters');
  const now = context.clock();
  // The link never changes once made, so it is read, and its account asked about, before the
  // transaction (the auth service may share this process's database).
  const linked = await deps.db.readAtOnce(clubId, (tx) => createMemberQueries(tx).findById(clubId, memberId));
  if (!linked) throw notFound('member', memberId);
  // Nothing left to erase; the account it was linked to may since have been closed, so its
  // authority is not asked about again.
  if (linked.erasedAt) return linked;
  await requireAuthorityOverAccount(deps.accounts, context.principal, linked.userId, clubId);

  // In `finally`: a COMMIT that failed on a lost connection may still have committed.
  const { member: erased, isNew } = await deps.db
    .withTenant(clubId, async (tx) => {
      const members = createMemberQueries(tx);
      const current = await members.findById(clubId, memberId, { forUpdate: true });
      if (!current) throw notFound('member', memberId);
      // Another request erased it meanwhile (the row lock ordered us after it).
      if (current.erasedAt) return { member: current, isNew: false };
      const member = await members.update(clubId, memberId, {
        firstName: '',
        lastName: '',
        email: null,
        phone: null,
        dateOfBirth: null,
        address: null,
        emergencyContact: null,
        preferences: DEFAULT_PREFERENCES,
        notes: null,
        updatedAt: now,
        erasedAt: now,
      });
      if (current.userId) await createReviewQueries(tx).renameAuthor(current.userId, ERASED_AUTHOR, now);
      await createMemberHistoryQueries(tx).addPrivacyAudit({
        id: context.newId(),
        clubId,
        memberId,
        action: 'ERASE',
        actorUserId: actor,
        reason: why,
        at: now,
      });
      await addToOutbox(tx, MEMBER_SCHEMA, [memberErasedEvent(member!, context)]);
      return { member: member!, isNew: true };
    })
    .finally(() => deps.memberCache.forget(clubId, memberId));
  if (isNew) deps.eventsWritten();
  return erased;
}
