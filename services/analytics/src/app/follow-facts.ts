import { type Bus, createBatcher, type EventEnvelope, markProcessed } from '@clubland/bus';
import { memberCreated, memberStatusChanged, memberUpdated } from '@clubland/contract/events/member';
import { agreementStatusChanged, visitStatusChanged } from '@clubland/contract/events/reciprocal';
import type { Db, Tx } from '@clubland/db';
import { createEvery, type Logger } from '@clubland/log';
import { createFactQueries, type TouchedDay } from '../store/fact-queries.ts';

type FactQueries = ReturnType<typeof createFactQueries>;

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
 * facts. The events that arrive together are written in one network transaction (a visit's or an
 * agreement's facts belong to two clubs): a front desk's burst of check-ins costs one commit, not
 * one each. Their order within a burst does not matter: every write keeps the newest news by the
 * event's own time, and the rollups are recounted from the facts.
 *
 * With `rollupIntervalMs` above 0 the batches only mark the days they touched as stale, and a job
 * recounts each stale day once per interval (migrations/0004-stale-days.sql): a recount reads the
 * whole day, so recounting per batch made a busy day's every check-in dearer than the last. 0:
 * recounted in the batch's transaction (tests that read the rollups at once).
 */
export async function followFacts(
  db: Db,
  bus: Bus,
  options: { rollupIntervalMs: number; log: Logger },
): Promise<{ close(): Promise<void> }> {
  const rollups = options.rollupIntervalMs > 0 ? 'later' : 'now';
  const take = createBatcher<EventEnvelope>({
    // Bounded so that one transaction stays short beside the request path's.
    maxBatch: 200,
    flush: (events) =>
      db.transaction(async (tx) => {
        // One batch at a time across instances, before any row is touched: a batch's member,
        // agreement and visit rows are then never locked in a circle by another instance's.
        await createFactQueries(tx).lockFacts();
        const fresh = await markProcessed(
          tx,
          { schema: ANALYTICS_SCHEMA, consumer: FACTS_CONSUMER },
          events.map((event) => event.id),
        );
        // A redelivered event, or one twice in this batch: applied once.
        await applyFacts(
          tx,
          events.filter((event) => fresh.delete(event.id)),
          rollups,
        );
      }),
  });
  const recountJob = createEvery(options.rollupIntervalMs, () => recountStaleDays(db), options.log);
  const subscription = await bus.subscribe({
    consumer: FACTS_CONSUMER,
    types: FACT_TYPES,
    // Handlers in flight, hence the largest batch.
    concurrency: 64,
    // Ids as the database writes them (lower case), so that what markProcessed answers matches.
    handler: (event) => take({ ...event, id: event.id.toLowerCase() }),
  });
  recountJob.start();
  return {
    async close() {
      await subscription.close();
      await recountJob.stop();
      // What the last batches marked, recounted before the service goes.
      if (rollups === 'later') await recountStaleDays(db);
    },
  };
}

/** Recounts the days the consumer marked stale, each once, under the facts' lock. */
export async function recountStaleDays(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    const facts = createFactQueries(tx);
    await facts.lockFacts();
    const stale = await facts.takeStale();
    if (stale.length > 0) await facts.recount(stale);
  });
}

/** Applies events to the facts in `tx`, then recounts the visit rollups they touched, each day once (or marks them stale for the rollup job). */
export async function applyFacts(
  tx: Tx,
  events: readonly EventEnvelope[],
  rollups: 'now' | 'later' = 'now',
): Promise<void> {
  const facts = createFactQueries(tx);
  const touched: TouchedDay[] = [];
  for (const event of events) touched.push(...(await recordFact(facts, event)));
  if (touched.length === 0) return;
  if (rollups === 'now') await facts.recount(touched);
  else await facts.markStale(touched);
}

/** Applies one event to the facts; an event of another type changes nothing. Answers the visit days to recount. */
async function recordFact(facts: FactQueries, event: EventEnvelope): Promise<TouchedDay[]> {
  if (visitStatusChanged.is(event)) {
    const { data } = visitStatusChanged.parse(event);
    const changedAt = new Date(data.changedAt);
    // Older publishers omit the times: the change itself is the check-in's or check-out's moment.
    const checkedInAt = data.checkedInAt ?? (data.to === 'CHECKED_IN' ? data.changedAt : null);
    const checkedOutAt = data.checkedOutAt ?? (data.to === 'CHECKED_OUT' ? data.changedAt : null);
    return facts.recordVisit({
      visitId: data.visitId,
      homeClubId: data.homeClubId,
      hostClubId: data.hostClubId,
      status: data.to,
      checkedInAt: checkedInAt === null ? null : new Date(checkedInAt),
      checkedOutAt: checkedOutAt === null ? null : new Date(checkedOutAt),
      changedAt,
    });
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
    return [];
  }
  if (memberStatusChanged.is(event)) {
    const { data } = memberStatusChanged.parse(event);
    await facts.recordMemberStatus(data.clubId, data.memberId, data.to, new Date(data.changedAt));
    return [];
  }
  if (memberUpdated.is(event)) {
    const { data, occurredAt } = memberUpdated.parse(event);
    if (data.membershipType !== undefined) {
      await facts.recordMembershipType(data.clubId, data.memberId, data.membershipType, new Date(occurredAt));
    }
    return [];
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
  return [];
}
