import { AsyncResource } from 'node:async_hooks';
import { ClubError } from '@clubland/errors';
import type { Bus, BusLog, BusStats, EventHandler, SubscribeOptions } from './bus.ts';
import { silentLog } from './bus.ts';
import type { EventEnvelope } from './envelope.ts';
import { Fifo } from './fifo.ts';
import { DEFAULT_MAX_DELIVERIES, DEFAULT_RETRY_DELAY_MS, retryDelayMs } from './redelivery.ts';
import { assertTypeFilters, matchesTypes } from './type-filter.ts';

export interface MemoryBusOptions {
  log?: BusLog;
  /** Events a durable consumer keeps while nobody handles them; the oldest go first beyond it. */
  maxBacklog?: number;
}

/** One event waiting for (or in) a handler of one durable consumer. */
interface Delivery {
  /** The envelope as JSON: each handler gets its own copy, as over the wire. */
  json: string;
  id: string;
  type: string;
  deliveries: number;
}

interface Worker {
  handler: EventHandler;
  retryDelayMs: number;
  maxDeliveries: number;
  concurrency: number;
  inFlight: number;
  isClosed: boolean;
  onIdle: (() => void) | undefined;
}

/** A durable consumer: its filter, its queue, and the subscriptions sharing it. */
interface Durable {
  name: string;
  matches: (type: string) => boolean;
  queue: Fifo<Delivery>;
  workers: Worker[];
  nextWorker: number;
  isDrainScheduled: boolean;
  isOverflowing: boolean;
}

/**
 * The in-process bus, with JetStream's semantics (see the Bus port): publish resolves once
 * accepted; each durable consumer gets every matching event, shared among its subscriptions;
 * a handler that throws sees the event again after a doubling delay, up to `maxDeliveries`.
 *
 * A durable starts from "new" (events published before its first subscribe are not replayed) and
 * then keeps its place: while none of its subscriptions is open, events queue for it, up to
 * `maxBacklog` each. Nothing survives the process: durability is what the outbox and NATS add.
 *
 * Delivery runs in microtask batches: a publish queues the events and schedules one drain per
 * consumer; no timer or promise per event except the handler's own.
 */
export function createMemoryBus(options: MemoryBusOptions = {}): Bus {
  const log = options.log ?? silentLog;
  const maxBacklog = options.maxBacklog ?? 1_000_000;
  const durables = new Map<string, Durable>();
  const retryTimers = new Set<NodeJS.Timeout>();
  const stats: BusStats = { published: 0, delivered: 0, redelivered: 0, deadLettered: 0 };
  // Handlers run in the bus's async context, never the publisher's: a publish from inside a
  // database transaction (the outbox relay's) must not make handlers look nested in it, and
  // the publisher's log context must not leak into them. Over NATS that separation is natural.
  const busContext = new AsyncResource('clubland.memory-bus');
  let isClosed = false;

  function scheduleDrain(durable: Durable): void {
    if (durable.isDrainScheduled) return;
    durable.isDrainScheduled = true;
    busContext.runInAsyncScope(queueMicrotask, null, () => {
      durable.isDrainScheduled = false;
      drain(durable);
    });
  }

  function drain(durable: Durable): void {
    while (durable.queue.length > 0 && !isClosed) {
      const worker = freeWorker(durable);
      if (!worker) return;
      const delivery = durable.queue.shift() as Delivery;
      deliver(durable, worker, delivery);
    }
  }

  /** Round robin over the subscriptions with room for another handler. */
  function freeWorker(durable: Durable): Worker | undefined {
    const { workers } = durable;
    for (let i = 0; i < workers.length; i++) {
      const index = (durable.nextWorker + i) % workers.length;
      const worker = workers[index] as Worker;
      if (worker.inFlight < worker.concurrency) {
        durable.nextWorker = index + 1;
        return worker;
      }
    }
    return undefined;
  }

  function deliver(durable: Durable, worker: Worker, delivery: Delivery): void {
    delivery.deliveries++;
    stats.delivered++;
    worker.inFlight++;
    let handled: Promise<void>;
    try {
      handled = worker.handler(JSON.parse(delivery.json) as EventEnvelope);
    } catch (error) {
      handled = Promise.reject(error);
    }
    handled.then(
      () => settle(durable, worker),
      (error: unknown) => {
        retryOrGiveUp(durable, worker, delivery, error);
        settle(durable, worker);
      },
    );
  }

  function settle(durable: Durable, worker: Worker): void {
    worker.inFlight--;
    if (worker.inFlight === 0 && worker.onIdle) worker.onIdle();
    drain(durable);
  }

  function retryOrGiveUp(durable: Durable, worker: Worker, delivery: Delivery, error: unknown): void {
    const fields = { consumer: durable.name, eventId: delivery.id, type: delivery.type, err: error };
    if (delivery.deliveries >= worker.maxDeliveries) {
      stats.deadLettered++;
      log.error(
        { ...fields, deliveries: delivery.deliveries },
        'event handler failed for the last time; dropped',
      );
      return;
    }
    stats.redelivered++;
    const delay = retryDelayMs(worker.retryDelayMs, delivery.deliveries);
    log.warn({ ...fields, retryInMs: delay }, 'event handler failed; will redeliver');
    const timer = setTimeout(() => {
      retryTimers.delete(timer);
      durable.queue.unshift(delivery);
      drain(durable);
    }, delay);
    retryTimers.add(timer);
  }

  function enqueue(durable: Durable, delivery: Delivery): void {
    durable.queue.push(delivery);
    if (durable.queue.length <= maxBacklog) {
      durable.isOverflowing = false;
      return;
    }
    const dropped = durable.queue.shift() as Delivery;
    stats.deadLettered++;
    if (!durable.isOverflowing) {
      durable.isOverflowing = true;
      log.error(
        { consumer: durable.name, eventId: dropped.id, maxBacklog },
        'consumer backlog full; dropping oldest',
      );
    }
  }

  function durableFor(options: SubscribeOptions): Durable {
    const matches = cached(matchesTypes(options.types));
    const existing = durables.get(options.consumer);
    if (existing) {
      // As with a JetStream consumer update: the latest subscribe sets the filter.
      existing.matches = matches;
      return existing;
    }
    const durable: Durable = {
      name: options.consumer,
      matches,
      queue: new Fifo(),
      workers: [],
      nextWorker: 0,
      isDrainScheduled: false,
      isOverflowing: false,
    };
    durables.set(options.consumer, durable);
    return durable;
  }

  return {
    kind: 'memory',

    async publish(events) {
      if (isClosed) throw new ClubError('dependency.unavailable', 'the event bus is closed');
      const touched = new Set<Durable>();
      for (const event of events) {
        const json = JSON.stringify(event);
        stats.published++;
        for (const durable of durables.values()) {
          if (!durable.matches(event.type)) continue;
          enqueue(durable, { json, id: event.id, type: event.type, deliveries: 0 });
          touched.add(durable);
        }
      }
      for (const durable of touched) scheduleDrain(durable);
    },

    async subscribe(options) {
      if (isClosed) throw new ClubError('dependency.unavailable', 'the event bus is closed');
      assertTypeFilters(options.types);
      const durable = durableFor(options);
      const worker: Worker = {
        handler: options.handler,
        retryDelayMs: options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS,
        maxDeliveries: options.maxDeliveries ?? DEFAULT_MAX_DELIVERIES,
        concurrency: Math.max(1, options.concurrency ?? 1),
        inFlight: 0,
        isClosed: false,
        onIdle: undefined,
      };
      durable.workers.push(worker);
      scheduleDrain(durable);
      return { close: () => closeWorker(durable, worker) };
    },

    async ping() {
      if (isClosed) throw new ClubError('dependency.unavailable', 'the event bus is closed');
    },

    stats: () => ({ ...stats }),

    async close() {
      isClosed = true;
      for (const timer of retryTimers) clearTimeout(timer);
      retryTimers.clear();
      const closing: Promise<void>[] = [];
      for (const durable of durables.values()) {
        for (const worker of [...durable.workers]) closing.push(closeWorker(durable, worker));
      }
      await Promise.all(closing);
    },
  };
}

async function closeWorker(durable: Durable, worker: Worker): Promise<void> {
  if (worker.isClosed) return;
  worker.isClosed = true;
  durable.workers = durable.workers.filter((w) => w !== worker);
  if (worker.inFlight === 0) return;
  await new Promise<void>((resolve) => {
    worker.onIdle = resolve;
  });
}

/** Filters run once per type, not once per event. */
function cached(matches: (type: string) => boolean): (type: string) => boolean {
  const known = new Map<string, boolean>();
  return (type) => {
    let result = known.get(type);
    if (result === undefined) {
      result = matches(type);
      known.set(type, result);
    }
    return result;
  };
}
