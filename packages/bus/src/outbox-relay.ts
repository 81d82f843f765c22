import { AsyncResource } from 'node:async_hooks';
import type { Db } from '@clubland/db';
import type { Bus, BusLog } from './bus.ts';
import { silentLog } from './bus.ts';
import type { EventEnvelope } from './envelope.ts';
import { schemaName } from './sql-name.ts';

export interface OutboxRelayOptions {
  db: Db;
  bus: Bus;
  /** The service schema whose `outbox` this relay publishes. */
  schema: string;
  log?: BusLog;
  /** Events per transaction and per `bus.publish` window. */
  batchSize?: number;
  /** How often to look for events when nobody calls `notify()`. */
  pollIntervalMs?: number;
  /** Longest wait between attempts while the bus or the database fails. */
  maxBackoffMs?: number;
  /** Published rows are deleted this long after publishing (null keeps them). Default one day. */
  retentionMs?: number | null;
  /** `processed_events` rows are deleted this long after processing. Default seven days: far
   *  beyond JetStream's two-minute de-duplication window and any redelivery backoff. */
  processedRetentionMs?: number | null;
  clock?: () => Date;
}

export interface OutboxRelay {
  /** Starts polling (and publishes what is pending now). */
  start(): void;
  /** Wakes the relay now; call it after committing a transaction that wrote events. */
  notify(): void;
  /** Publishes until nothing is pending; rejects if the bus or the database fails meanwhile. */
  flush(): Promise<void>;
  /** Publishes what it can, then stops polling. Never rejects: what is left stays in the outbox. */
  stop(): Promise<void>;
}

const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * Moves committed outbox rows to the bus. Each round, in one transaction: take the oldest pending
 * rows (`FOR UPDATE SKIP LOCKED`, so several relay instances split the work), publish them as one
 * window, mark them published, commit. If publishing fails the transaction rolls back and the rows
 * stay pending: the relay retries with a doubling delay, and nothing is lost or skipped. If the
 * commit fails after a publish, the rows are published again later; JetStream drops the repeat by
 * event id within its window, and consumers are idempotent beyond it.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const s = schemaName(options.schema);
  const log = options.log ?? silentLog;
  const batchSize = options.batchSize ?? 500;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const retentionMs = options.retentionMs === undefined ? 24 * 60 * 60_000 : options.retentionMs;
  const processedRetentionMs =
    options.processedRetentionMs === undefined ? 7 * 24 * 60 * 60_000 : options.processedRetentionMs;
  const clock = options.clock ?? (() => new Date());
  // Polls run in the relay's own async context, not that of whoever called notify(): a notify
  // from inside a transaction must not make the relay's transaction look nested in it.
  const relayContext = new AsyncResource('clubland.outbox-relay');

  let isRunning = false;
  let timer: NodeJS.Timeout | undefined;
  let draining: Promise<void> | undefined;
  let isRequestedAgain = false;
  let failures = 0;
  let lastPruneAt = 0;

  /** One round: publishes up to a batch; returns how many rows it published. */
  function publishBatch(): Promise<number> {
    return options.db.transaction(async (tx) => {
      const pending = await tx.query<{ id: string; payload: EventEnvelope | string }>(
        `SELECT id, payload FROM ${s}.outbox WHERE published_at IS NULL
          ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batchSize],
      );
      if (pending.rows.length === 0) return 0;
      const events = pending.rows.map((row) =>
        typeof row.payload === 'string' ? (JSON.parse(row.payload) as EventEnvelope) : row.payload,
      );
      await options.bus.publish(events);
      await tx.query(`UPDATE ${s}.outbox SET published_at = $1 WHERE id = ANY($2::uuid[])`, [
        clock(),
        pending.rows.map((row) => row.id),
      ]);
      return pending.rows.length;
    });
  }

  async function drainOnce(): Promise<void> {
    while ((await publishBatch()) === batchSize) {
      // A full batch: there may be more.
    }
  }

  /** Drains; concurrent callers share one drain, and a call during a drain causes one more. */
  function drain(): Promise<void> {
    if (draining) {
      isRequestedAgain = true;
      return draining;
    }
    draining = (async () => {
      try {
        do {
          isRequestedAgain = false;
          await drainOnce();
        } while (isRequestedAgain);
      } finally {
        draining = undefined;
      }
    })();
    return draining;
  }

  async function prune(): Promise<void> {
    const now = clock().getTime();
    if (now - lastPruneAt < PRUNE_EVERY_MS) return;
    lastPruneAt = now;
    await options.db.transaction(async (tx) => {
      if (retentionMs !== null) {
        await tx.query(`DELETE FROM ${s}.outbox WHERE published_at < $1`, [new Date(now - retentionMs)]);
      }
      if (processedRetentionMs !== null) {
        await tx.query(`DELETE FROM ${s}.processed_events WHERE processed_at < $1`, [
          new Date(now - processedRetentionMs),
        ]);
      }
    });
  }

  async function tick(): Promise<void> {
    timer = undefined;
    try {
      await drain();
      await prune();
      if (failures > 0) log.info({ schema: s, failures }, 'outbox relay recovered');
      failures = 0;
    } catch (error) {
      failures++;
      log.warn({ schema: s, failures, err: error }, 'outbox relay could not publish; will retry');
    }
    schedule();
  }

  function schedule(delayMs = nextDelay()): void {
    if (!isRunning) return;
    clearTimeout(timer);
    timer = relayContext.runInAsyncScope(setTimeout, null, () => void tick(), delayMs);
    timer.unref();
  }

  function nextDelay(): number {
    return failures === 0 ? pollIntervalMs : Math.min(pollIntervalMs * 2 ** failures, maxBackoffMs);
  }

  return {
    start() {
      if (isRunning) return;
      isRunning = true;
      schedule(0);
    },
    notify() {
      // While failing, wait for the backoff rather than hammer a bus that is down.
      if (isRunning && failures === 0) schedule(0);
    },
    async flush() {
      // Joining a running drain makes it go round once more, so rows committed before now are seen.
      await drain();
    },
    async stop() {
      isRunning = false;
      clearTimeout(timer);
      timer = undefined;
      try {
        await drain();
      } catch (error) {
        log.warn({ schema: s, err: error }, 'outbox relay stopped with events still pending');
      }
    },
  };
}
