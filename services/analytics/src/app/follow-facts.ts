import { type Bus, type EventEnvelope, idempotent, type Subscription } from '@clubland/bus';
import { memberCreated, memberStatusChanged, memberUpdated } from '@clubland/contract/events/member';
import { agreementStatusChanged, visitStatusChanged } from '@clubland/contract/events/reciprocal';
import type { Db, Tx } from '@clubland/db';
import { createFactQueries } from '../store/fact-queries.ts';
import { ANALYTICS_SCHEMA } from './deps.ts';

export const FACTS_CONSUMER = 'analytics-facts';

/** Every event type the read model follows. */
export const FACT_TYPES = [
  visitStatusChanged.type,
  memberCreated.type,
  memberStatusChanged.type,
  memberUpdated.type,
  agreementStatusChanged.type,
] as const;

/**
 * Keeps the analytics facts (migrations/0002-facts.sql) from the events the reciprocal and member
 * services publish, never their tables. Each event takes effect once, however often the bus
 * delivers it: its id is recorded in analytics.processed_events in the same transaction as its
 * facts (packages/bus idempotent). A network transaction: a visit's or an agreement's facts belong
 * to two clubs, written together.
 */
export function followFacts(db: Db, bus: Bus): Promise<Subscription> {
  return bus.subscribe({
    consumer: FACTS_CONSUMER,
    types: FACT_TYPES,
    handler: idempotent({
      db,
      schema: ANALYTICS_SCHEMA,
      consumer: FACTS_CONSUMER,
      tenant: () => null,
      handle: recordFact,
    }),
  });
}

/** Applies one event to the facts, in `tx`; an event of another type changes nothing. */
export async function recordFact(tx: Tx, event: EventEnvelope): Promise<void> {
  const facts = createFactQueries(tx);
  if (visitStatusChanged.is(event)) {
    const { data } = visitStatusChanged.parse(event);
    const changedAt = new Date(data.changedAt);
    // Older publishers omit the times: the change itself is the check-in's or check-out's moment.
    const checkedInAt = data.checkedInAt ?? (data.to === 'CHECKED_IN' ? data.changedAt : null);
    const checkedOutAt = data.checkedOutAt ?? (data.to === 'CHECKED_OUT' ? data.changedAt : null);
    await facts.recordVisit({
      visitId: data.visitId,
      homeClubId: data.homeClubId,
      hostClubId: data.hostClubId,
      status: data.to,
      checkedInAt: checkedInAt === null ? null : new Date(checkedInAt),
      checkedOutAt: checkedOutAt === null ? null : new Date(checkedOutAt),
      changedAt,
    });
    return;
  }
  if (memberCreated.is(event)) {
    const { data, occurredAt } = memberCreated.parse(event);
    await facts.recordMemberCreated({
      clubId: data.clubId,
      memberId: data.memberId,
      membershipType: data.membershipType,
      status: data.status,
      joinedAt: new Date(occurredAt),
    });
    return;
  }
  if (memberStatusChanged.is(event)) {
    const { data } = memberStatusChanged.parse(event);
    await facts.recordMemberStatus(data.clubId, data.memberId, data.to, new Date(data.changedAt));
    return;
  }
  if (memberUpdated.is(event)) {
    const { data, occurredAt } = memberUpdated.parse(event);
    if (data.membershipType === undefined) return;
    await facts.recordMembershipType(data.clubId, data.memberId, data.membershipType, new Date(occurredAt));
    return;
  }
  if (agreementStatusChanged.is(event)) {
    const { data } = agreementStatusChanged.parse(event);
    await facts.recordAgreement({
      agreementId: data.agreementId,
      proposerClubId: data.proposerClubId,
      partnerClubId: data.partnerClubId,
      status: data.to,
      changedAt: new Date(data.changedAt),
    });
  }
}
