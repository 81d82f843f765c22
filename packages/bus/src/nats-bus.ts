import { ClubError } from '@clubland/errors';
import {
  AckPolicy,
  type ConsumerConfig,
  type ConsumerMessages,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  StorageType,
} from '@nats-io/jetstream';
import { type NatsConnection, nanos } from '@nats-io/nats-core';
import type { Bus, BusLog, BusStats, SubscribeOptions, Subscription } from './bus.ts';
import { silentLog } from './bus.ts';
import type { EventEnvelope } from './envelope.ts';
import { parseEnvelope } from './events.ts';
import { type NatsLink, type NatsSession, openNatsLink } from './nats-link.ts';
import { DEFAULT_MAX_DELIVERIES, DEFAULT_RETRY_DELAY_MS, retryDelayMs } from './redelivery.ts';
import { assertTypeFilters, matchesTypes } from './type-filter.ts';

export interface NatsBusOptions {
  /** One server URL, or several separated by commas (a cluster). */
  url: string;
  /** The JetStream stream holding domain events. */
  stream?: string;
  /** Subjects are `<subjectPrefix>.<type>`; the stream takes `<subjectPrefix>.>`. Tests and
   *  benchmarks use their own so their streams do not overlap the real one. */
  subjectPrefix?: string;
  log?: BusLog;
  /** Publishes awaiting their ack at once (default 512). */
  publishWindow?: number;
  /** A `publish` fails when no ack arrived for this long (default 5 s); the outbox retries it. */
  publishTimeoutMs?: number;
  /** Messages a subscription pulls ahead (default 256). The ack wait runs from delivery to the
   *  client, so `pullBatch` × a handler's time must stay well under `ackWaitMs`, or buffered
   *  events are redelivered (harmless to idempotent consumers, but wasted work). */
  pullBatch?: number;
  /** How long the server waits for a handler's ack before redelivering (default 30 s). */
  ackWaitMs?: number;
  /** Connection name shown by the server's monitoring. */
  name?: string;
  /** How long one attempt to connect may take (default 2 s). */
  connectTimeoutMs?: number;
}

const DUPLICATE_WINDOW_MS = 2 * 60_000;
/** A per-instance consumer outlives a restart's gap, not its process. */
const PER_INSTANCE_INACTIVE_MS = 5 * 60_000;

/**
 * The JetStream adapter. One stream (`clubland.>`, file storage, 2-minute de-duplication window);
 * publish sets `msgID` to the event id, so a re-published outbox row is stored once. Each
 * `consumer` name is a durable pull consumer; processes using the same name share it (queue group).
 * A new durable delivers events published from its creation on (DeliverPolicy.New); an existing one
 * resumes where it stopped, as the memory bus does.
 *
 * NATS unreachable is an outage, not a reason not to start: the bus is returned at once and keeps
 * connecting in the background (nats-link.ts). Meanwhile `publish` and `ping` fail fast with
 * `dependency.unavailable` (the outbox keeps events; health reports the bus down) and
 * subscriptions begin once NATS answers.
 */
export async function createNatsBus(options: NatsBusOptions): Promise<Bus> {
  const log = options.log ?? silentLog;
  const stream = options.stream ?? 'CLUBLAND';
  const prefix = options.subjectPrefix ?? 'clubland';
  const pullBatch = options.pullBatch ?? 256;
  const ackWaitMs = options.ackWaitMs ?? 30_000;

  const link = await openNatsLink({
    servers: options.url.split(',').map((url) => url.trim()),
    name: options.name ?? 'clubland',
    log,
    prepare: (jsm) => ensureStream(jsm, stream, prefix),
    publisher: { window: options.publishWindow ?? 512, timeoutMs: options.publishTimeoutMs ?? 5_000 },
    ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
  });

  const stats: BusStats = { published: 0, delivered: 0, redelivered: 0, deadLettered: 0 };
  const subscriptions = new Set<Subscription>();

  function consumerOn(session: NatsSession, subscribeOptions: SubscribeOptions): Promise<Subscription> {
    return startConsumer({
      nc: session.nc,
      js: session.js,
      jsm: session.jsm,
      stream,
      prefix,
      pullBatch,
      ackWaitMs,
      log,
      stats,
      options: subscribeOptions,
    });
  }

  return {
    kind: 'nats',

    /** One window of publishes in flight (awaiting each in turn caps near 4.5k/s). */
    async publish(events) {
      // Not reached, or the connection lost: fail at once rather than hold the outbox's rows
      // locked for a publish timeout; the outbox tries again on its next round.
      const session = link.connected();
      await session.publisher.publish(
        events.map((event) => ({
          subject: `${prefix}.${event.type}`,
          payload: JSON.stringify(event),
          msgId: event.id,
        })),
      );
      stats.published += events.length;
    },

    async subscribe(subscribeOptions) {
      assertTypeFilters(subscribeOptions.types);
      const session = link.session();
      const subscription = session
        ? await consumerOn(session, subscribeOptions)
        : subscribeOnceReached(link, log, subscribeOptions.consumer, (reached) =>
            consumerOn(reached, subscribeOptions),
          );
      subscriptions.add(subscription);
      return {
        async close() {
          subscriptions.delete(subscription);
          await subscription.close();
        },
      };
    },

    async ping() {
      const { nc } = link.connected();
      await withTimeout(nc.flush(), 2_000, 'NATS did not answer a ping');
    },

    stats: () => ({ ...stats }),

    async close() {
      await Promise.all([...subscriptions].map((s) => s.close()));
      subscriptions.clear();
      await link.close();
    },
  };
}

/**
 * A subscription asked for before NATS was ever reached: answered at once (start-up goes on), its
 * consumer started as soon as NATS answers, and again after a failed start. `close` ends it
 * whatever stage it is in.
 */
function subscribeOnceReached(
  link: NatsLink,
  log: BusLog,
  consumer: string,
  start: (session: NatsSession) => Promise<Subscription>,
): Subscription {
  let isClosed = false;
  let started: Promise<Subscription | undefined> | undefined;
  void (async () => {
    for (;;) {
      let session: NatsSession;
      try {
        session = await link.ready();
      } catch {
        return; // the bus closed before NATS answered
      }
      if (isClosed) return;
      started = start(session).catch((error: unknown) => {
        log.warn({ consumer, err: error }, 'event consumer could not start; retrying');
        return undefined;
      });
      if (await started) return;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  })();
  log.info({ consumer }, 'event consumer waits for NATS');
  return {
    async close() {
      isClosed = true;
      // Still waiting for NATS: the loop sees `isClosed` when it wakes (or the bus closes it).
      const subscription = await started;
      await subscription?.close();
    },
  };
}

async function ensureStream(jsm: JetStreamManager, stream: string, prefix: string): Promise<void> {
  const config = {
    name: stream,
    subjects: [`${prefix}.>`],
    storage: StorageType.File,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
  };
  try {
    await jsm.streams.info(stream);
    return;
  } catch (error) {
    if (!isApiError(error, JetStreamApiCodes.StreamNotFound)) throw error;
  }
  try {
    await jsm.streams.add(config);
  } catch (error) {
    // Another process may have created it in between; then it exists and all is well.
    await jsm.streams.info(stream).catch(() => {
      throw error;
    });
  }
}

interface ConsumerContext {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  stream: string;
  prefix: string;
  pullBatch: number;
  ackWaitMs: number;
  log: BusLog;
  stats: BusStats;
  options: SubscribeOptions;
}

async function startConsumer(context: ConsumerContext): Promise<Subscription> {
  const { options, log, stats } = context;
  const retryDelay = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  const maxDeliveries = options.maxDeliveries ?? DEFAULT_MAX_DELIVERIES;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const clientFilter = await ensureConsumer(context, maxDeliveries);
  const consumer = await context.js.consumers.get(context.stream, options.consumer);
  const messages: ConsumerMessages = await consumer.consume({
    max_messages: context.pullBatch,
    expires: 5_000,
  });
  let isClosing = false;
  const acks = createAckBatcher();

  async function handle(message: JsMsg): Promise<void> {
    let event: EventEnvelope;
    try {
      event = parseEnvelope(JSON.parse(message.string()));
    } catch (error) {
      stats.deadLettered++;
      log.error(
        { consumer: options.consumer, subject: message.subject, err: error },
        'unreadable event; terminated',
      );
      message.term('unreadable envelope');
      return;
    }
    if (clientFilter && !clientFilter(event.type)) {
      acks.ack(message);
      return;
    }
    stats.delivered++;
    try {
      await options.handler(event);
      acks.ack(message);
    } catch (error) {
      const deliveries = message.info.deliveryCount;
      const fields = { consumer: options.consumer, eventId: event.id, type: event.type, err: error };
      if (deliveries >= maxDeliveries) {
        stats.deadLettered++;
        log.error({ ...fields, deliveries }, 'event handler failed for the last time; dropped');
        message.term('max deliveries reached');
        return;
      }
      stats.redelivered++;
      const delay = retryDelayMs(retryDelay, deliveries);
      log.warn({ ...fields, retryInMs: delay }, 'event handler failed; will redeliver');
      message.nak(delay);
    }
  }

  const loop = (async () => {
    const inFlight = new Set<Promise<void>>();
    try {
      for await (const message of messages) {
        // Messages pulled but not yet started go back at once, for the group's other members.
        if (isClosing) {
          message.nak();
          continue;
        }
        if (concurrency === 1) {
          await handle(message);
          continue;
        }
        const handled: Promise<void> = handle(message).finally(() => inFlight.delete(handled));
        inFlight.add(handled);
        if (inFlight.size >= concurrency) await Promise.race(inFlight);
      }
    } catch (error) {
      log.error({ consumer: options.consumer, err: error }, 'event consumer stopped');
    } finally {
      await Promise.all(inFlight);
      acks.flush();
    }
  })();

  return {
    async close() {
      isClosing = true;
      messages.stop();
      await loop;
    },
  };
}

/**
 * Creates the durable on first use (from "new"), or updates its filter and limits. Returns a
 * client-side type filter when the server cannot filter several subjects itself (before 2.10).
 */
async function ensureConsumer(
  context: ConsumerContext,
  maxDeliveries: number,
): Promise<((type: string) => boolean) | undefined> {
  const { jsm, stream, prefix, options } = context;
  const subjects = options.types.map((type) => `${prefix}.${type}`);
  const canFilterMany = serverAtLeast(context.nc, 2, 10);
  // Both keys always: an update merges into the old config, which may hold the other one.
  const filter: Pick<ConsumerConfig, 'filter_subject' | 'filter_subjects'> =
    subjects.length === 1
      ? { filter_subject: subjects[0] as string, filter_subjects: undefined }
      : canFilterMany
        ? { filter_subject: undefined, filter_subjects: subjects }
        : { filter_subject: `${prefix}.>`, filter_subjects: undefined };
  const limits = {
    max_deliver: maxDeliveries,
    ack_wait: nanos(context.ackWaitMs),
    ...(options.perInstance ? { inactive_threshold: nanos(PER_INSTANCE_INACTIVE_MS) } : {}),
  };

  let existing = true;
  try {
    await jsm.consumers.info(stream, options.consumer);
  } catch (error) {
    if (!isApiError(error, JetStreamApiCodes.ConsumerNotFound)) throw error;
    existing = false;
  }
  if (existing) {
    await jsm.consumers.update(stream, options.consumer, { ...filter, ...limits });
  } else {
    await jsm.consumers.add(stream, {
      durable_name: options.consumer,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.New,
      ...filter,
      ...limits,
    });
  }
  return subjects.length > 1 && !canFilterMany ? matchesTypes(options.types) : undefined;
}

/**
 * Acks sent one by one each cost a socket write (the client flushes per microtask turn, and a
 * handler's await spans turns). Collected and sent once per event-loop turn, a batch of acks
 * is one write: this doubled consumption in the bench. A crash before the flush only means
 * a redelivery, which consumers tolerate anyway.
 */
function createAckBatcher() {
  let waiting: JsMsg[] = [];
  let isScheduled = false;
  const flush = () => {
    isScheduled = false;
    const batch = waiting;
    waiting = [];
    for (const message of batch) message.ack();
  };
  return {
    ack(message: JsMsg) {
      waiting.push(message);
      if (!isScheduled) {
        isScheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}

function serverAtLeast(nc: NatsConnection, major: number, minor: number): boolean {
  const [serverMajor = 0, serverMinor = 0] = (nc.info?.version ?? '0.0.0').split('.').map(Number);
  return serverMajor > major || (serverMajor === major && serverMinor >= minor);
}

function isApiError(error: unknown, code: number): boolean {
  return error instanceof JetStreamApiError && error.code === code;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ClubError('dependency.unavailable', message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
