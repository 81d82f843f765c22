import type { EventEnvelope } from '@clubland/bus';
import {
  clubCreated,
  clubStatusChanged,
  clubUpdated,
  memberCreated,
  memberErased,
  memberStatusChanged,
  memberUpdated,
} from '@clubland/contract/events/member';
import type { UseCaseContext } from '../app/deps.ts';
import type { ClubRow } from '../store/club-queries.ts';
import type { ClubStatusChangeRow } from '../store/club-status-queries.ts';
import type { StatusChangeRow } from '../store/member-history-queries.ts';
import type { MemberRow } from '../store/member-queries.ts';

/** Every event the member service emits is built here, from the contract's definition. */

function deps(context: UseCaseContext) {
  return { clock: context.clock, newId: context.newId };
}

export function clubCreatedEvent(club: ClubRow, context: UseCaseContext): EventEnvelope {
  return clubCreated.build(
    {
      tenantId: club.id,
      correlationId: context.correlationId,
      data: { clubId: club.id, name: club.name, slug: club.slug, status: club.status },
    },
    deps(context),
  );
}

export function clubUpdatedEvent(clubId: string, fields: string[], context: UseCaseContext): EventEnvelope {
  return clubUpdated.build(
    { tenantId: clubId, correlationId: context.correlationId, data: { clubId, fields } },
    deps(context),
  );
}

export function clubStatusChangedEvent(change: ClubStatusChangeRow, context: UseCaseContext): EventEnvelope {
  return clubStatusChanged.build(
    {
      tenantId: change.clubId,
      correlationId: context.correlationId,
      data: {
        clubId: change.clubId,
        from: change.fromStatus,
        to: change.toStatus,
        reason: change.reason,
        changedBy: change.changedBy,
        changedAt: change.changedAt.toISOString(),
      },
    },
    deps(context),
  );
}

export function memberCreatedEvent(member: MemberRow, context: UseCaseContext): EventEnvelope {
  return memberCreated.build(
    {
      tenantId: member.clubId,
      correlationId: context.correlationId,
      data: {
        memberId: member.id,
        clubId: member.clubId,
        memberNumber: member.memberNumber,
        membershipType: member.membershipType,
        status: member.status,
        userId: member.userId,
      },
    },
    deps(context),
  );
}

/** `userId`: the account the member record belongs to, so the auth service can act on the change. */
export function memberStatusChangedEvent(
  change: StatusChangeRow,
  userId: string | null,
  context: UseCaseContext,
): EventEnvelope {
  return memberStatusChanged.build(
    {
      tenantId: change.clubId,
      correlationId: context.correlationId,
      data: {
        memberId: change.memberId,
        clubId: change.clubId,
        userId,
        from: change.fromStatus,
        to: change.toStatus,
        reason: change.reason,
        changedBy: change.changedBy,
        changedAt: change.changedAt.toISOString(),
      },
    },
    deps(context),
  );
}

export function memberUpdatedEvent(
  member: MemberRow,
  fields: string[],
  context: UseCaseContext,
): EventEnvelope {
  return memberUpdated.build(
    {
      tenantId: member.clubId,
      correlationId: context.correlationId,
      data: {
        memberId: member.id,
        clubId: member.clubId,
        fields,
        ...(fields.includes('membershipType') ? { membershipType: member.membershipType } : {}),
      },
    },
    deps(context),
  );
}

export function memberErasedEvent(member: MemberRow, context: UseCaseContext): EventEnvelope {
  return memberErased.build(
    {
      tenantId: member.clubId,
      correlationId: context.correlationId,
      data: {
        memberId: member.id,
        clubId: member.clubId,
        userId: member.userId,
        ledgerIdentity: member.ledgerIdentity,
      },
    },
    deps(context),
  );
}
