import { addToOutbox } from '@clubland/bus';
import type { Logger } from 'pino';
import { DeliveryError, type SendResult } from '../channels/channel.ts';
import { notificationCreatedEvent } from '../events/builders.ts';
import { type ClaimedDelivery, createDeliveryQueries } from '../store/delivery-queries.ts';
import { createNotificationQueries } from '../store/notification-queries.ts';
import { NOTIFICATION_SCHEMA, type NotificationDeps, type UseCaseContext } from './deps.ts';
import { digestEmailOf, digestGroups } from './digest.ts';
import { emailOf } from './email-body.ts';

export interface DeliveryLoopOptions {
  /** How often to look for due work when nothing wakes the loop. */
  pollIntervalMs: number;
  /** Deliveries claimed at once. */
  batchSize: number;
  /** A claimed delivery comes back after this if its sender never reports (a crash). */
  leaseMs: number;
  /** Attempts before a delivery is FAILED. */
  maxAttempts: number;
  /** The delay before attempt `attempt + 1` after `attempt` failed (backoff with jitter). */
  retryDelayMs: (attempt: number) => number;
  /** Sends at once within a batch. */
  concurrency: number;
}

/** A delivery its sender accepted, waiting to be recorded with the rest of its batch. */
interface Sent extends SendResult {
  id: string;
  notificationId: string;
}

/**
 * Runs the work `concurrency` at a time, each lane taking the next as soon as it is done (not in
 * waves waiting for each wave's slowest send).
 */
async function inPool(work: readonly (() => Promise<void>)[], concurrency: number): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < work.length) await work[next++]!();
  };
  const lanes = Array.from({ length: Math.min(concurrency, work.length) }, lane);
  const outcomes = await Promise.allSettled(lanes);
  const failed = outcomes.find((o) => o.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Exponential backoff from 1 s, capped at 10 min, with full jitter over its upper half. */
export function defaultRetryDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(600_000, 1_000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export const defaultDeliveryLoopOptions: DeliveryLoopOptions = {
  pollIntervalMs: 1_000,
  // A batch's successes are recorded in one transaction: 500 a transaction, and 20 sends in flight
  // (as many as the SMTP pool's connections in bench/notification-fanout.ts), took 10,000 emails
  // in 8.8-9.0 s end to end there; 200 and 16, 9.0-9.5 s.
  batchSize: 500,
  leaseMs: 60_000,
  maxAttempts: 5,
  retryDelayMs: defaultRetryDelayMs,
  concurrency: 20,
};

/**
 * The delivery loop: notices whose scheduled time came move into inboxes (and are announced), and
 * due deliveries go out through their channel's sender. Claims are leased rows (SKIP LOCKED), so
 * any number of instances share the work; a sender's DeliveryError says whether to retry.
 */
export function createDeliveryLoop(
  deps: NotificationDeps,
  world: Pick<UseCaseContext, 'clock' | 'newId'>,
  log: Logger,
  options: DeliveryLoopOptions = defaultDeliveryLoopOptions,
) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = true;

  const context = { ...world, correlationId: null };

  async function releaseDue(): Promise<number> {
    const released = await deps.db.transaction(async (tx) => {
      const rows = await createNotificationQueries(tx).releaseDue(world.clock(), options.batchSize);
      const inApp = rows.filter((row) => row.status === 'DELIVERED');
      await addToOutbox(
        tx,
        NOTIFICATION_SCHEMA,
        inApp.map((row) => notificationCreatedEvent(row, context)),
      );
      return rows.length;
    });
    if (released > 0) deps.eventsWritten();
    return released;
  }

  async function send(delivery: ClaimedDelivery): Promise<SendResult> {
    switch (delivery.channel) {
      case 'EMAIL': {
        if (!deps.channels.email) throw new DeliveryError('no email channel configured', false);
        if (!delivery.email) throw new DeliveryError('no email address known for the person', false);
        return deps.channels.email.send(await emailOf(delivery, delivery.email, deps, world.clock()));
      }
      case 'SMS': {
        if (!deps.channels.sms) throw new DeliveryError('no SMS channel configured', false);
        if (!delivery.phone) throw new DeliveryError('no phone number known for the person', false);
        return deps.channels.sms.send({
          messageId: delivery.id,
          to: delivery.phone,
          body: `${delivery.title}: ${delivery.body}`,
        });
      }
      case 'PUSH': {
        if (!deps.channels.push) throw new DeliveryError('no push channel configured', false);
        if (!delivery.deviceToken) throw new DeliveryError('no device registered for the person', false);
        return deps.channels.push.send({
          messageId: delivery.id,
          deviceToken: delivery.deviceToken,
          title: delivery.title,
          body: delivery.body,
          data: { notificationId: delivery.notificationId, type: delivery.type },
        });
      }
      case 'WEBHOOK':
        throw new DeliveryError('webhooks go to club endpoints, not to a person', false);
    }
  }

  /**
   * Records a send's outcome on `delivery`. A success joins the batch's `sent`, recorded with the
   * others in one transaction when the batch ends (flushSent): one email, one round of UPDATEs
   * was most of the loop's cost. A failure is rare and recorded at once: a retry later, or FAILED.
   */
  async function settle(
    delivery: ClaimedDelivery,
    outcome: SendResult | { error: unknown },
    sent: Sent[],
  ): Promise<void> {
    const at = world.clock();
    if (!('error' in outcome)) {
      sent.push({ id: delivery.id, notificationId: delivery.notificationId, ...outcome });
      return;
    }
    const { error } = outcome;
    const retryable = error instanceof DeliveryError ? error.retryable : true;
    const message = error instanceof Error ? error.message : String(error);
    if (!retryable || delivery.attempts >= options.maxAttempts) {
      log.warn(
        { deliveryId: delivery.id, channel: delivery.channel, attempts: delivery.attempts, error: message },
        'delivery failed',
      );
      await deps.db.transaction((tx) => createDeliveryQueries(tx).markFailed(delivery.id, message, at));
    } else {
      const next = new Date(at.getTime() + options.retryDelayMs(delivery.attempts));
      await deps.db.transaction((tx) =>
        createDeliveryQueries(tx).scheduleRetry(delivery.id, message, next, at),
      );
    }
  }

  /**
   * A batch's successes, SENT in one transaction. Tried again if it fails (a deadlock with another
   * instance on a shared notification, a dropped connection): unrecorded, the deliveries would be
   * sent a second time once their lease ran out.
   */
  async function flushSent(sent: readonly Sent[]): Promise<void> {
    if (sent.length === 0) return;
    const at = world.clock();
    for (let attempt = 1; ; attempt++) {
      try {
        await deps.db.transaction(async (tx) => {
          await createDeliveryQueries(tx).markSent(sent, at);
          await createNotificationQueries(tx).markSent(
            sent.map((d) => d.notificationId),
            at,
          );
        });
        return;
      } catch (error) {
        if (attempt >= 3) throw error;
        log.warn(
          { err: error, deliveries: sent.length, attempt },
          'recording sent deliveries failed; trying again',
        );
      }
    }
  }

  async function attempt(send: () => Promise<SendResult>): Promise<SendResult | { error: unknown }> {
    try {
      return await send();
    } catch (error) {
      return { error };
    }
  }

  async function deliver(delivery: ClaimedDelivery, sent: Sent[]): Promise<void> {
    const now = world.clock();
    if (delivery.expiresAt && delivery.expiresAt <= now) {
      await deps.db.transaction((tx) =>
        createDeliveryQueries(tx).markFailed(delivery.id, 'expired before it could be sent', now),
      );
      return;
    }
    await settle(delivery, await attempt(() => send(delivery)), sent);
  }

  /** One person's digest: one email for all their digest-bound deliveries, which share its outcome. */
  async function deliverDigest(
    deliveries: ClaimedDelivery[],
    timeZone: string,
    createdAt: ReadonlyMap<string, Date>,
    sent: Sent[],
  ): Promise<void> {
    const now = world.clock();
    const live = deliveries.filter((d) => !(d.expiresAt && d.expiresAt <= now));
    for (const expired of deliveries.filter((d) => !live.includes(d)))
      await deps.db.transaction((tx) =>
        createDeliveryQueries(tx).markFailed(expired.id, 'expired before it could be sent', now),
      );
    if (live.length === 0) return;
    const outcome = await attempt(async () => {
      const to = live[0]!.email;
      if (!deps.channels.email) throw new DeliveryError('no email channel configured', false);
      if (!to) throw new DeliveryError('no email address known for the person', false);
      return deps.channels.email.send(await digestEmailOf(live, to, timeZone, createdAt, deps, now));
    });
    for (const delivery of live) await settle(delivery, outcome, sent);
  }

  /** Works until nothing is due; returns how many deliveries it handled. */
  async function drain(): Promise<number> {
    let handled = 0;
    for (;;) {
      const released = await releaseDue();
      const claimed = await deps.db.transaction((tx) =>
        createDeliveryQueries(tx).claimDue(world.clock(), options.batchSize, options.leaseMs),
      );
      // Digest-bound emails go as one digest per person; everything else one by one.
      const digests = await deps.db.transaction((tx) => digestGroups(tx, claimed));
      const inDigest = new Set([...digests.groups.values()].flat().map((d) => d.id));
      const sent: Sent[] = [];
      const work: (() => Promise<void>)[] = [
        ...[...digests.groups].map(
          ([userId, group]) =>
            () =>
              deliverDigest(group, digests.timeZones.get(userId) ?? 'UTC', digests.createdAt, sent),
        ),
        ...claimed.filter((d) => !inDigest.has(d.id)).map((d) => () => deliver(d, sent)),
      ];
      try {
        await inPool(work, options.concurrency);
      } finally {
        // What was sent is recorded even when recording a failure threw.
        await flushSent(sent);
      }
      handled += claimed.length;
      if (claimed.length < options.batchSize && released < options.batchSize) break;
    }
    return handled;
  }

  function run(): void {
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await drain();
        } catch (error) {
          log.error({ err: error }, 'delivery loop pass failed; next pass retries');
        }
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
  }

  return {
    start(): void {
      stopped = false;
      timer = setInterval(run, options.pollIntervalMs);
      timer.unref();
      run();
    },
    /** Wakes the loop now (new deliveries were written). */
    wake(): void {
      if (!stopped) run();
    },
    /** One pass, for tests and `clubland` jobs: releases and sends what is due now. */
    runOnce: drain,
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}

export type DeliveryLoop = ReturnType<typeof createDeliveryLoop>;
