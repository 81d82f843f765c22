import type { EventEnvelope } from './envelope.ts';

export type EventHandler = (event: EventEnvelope) => Promise<void>;

export interface SubscribeOptions {
  /** Durable consumer name, one per consuming service and purpose, e.g. `analytics-club-facts`.
   *  Every process subscribing with the same name shares the work (queue group): each event
   *  goes to one of them. A new name starts with events published from now on; a name seen
   *  before resumes where it left off, including events published while nobody listened. */
  consumer: string;
  /** Event types to receive (`club.created`) or prefixes ending in `.*`/`.>` as NATS wildcards. */
  types: readonly string[];
  handler: EventHandler;
  /** Delay before the first redelivery of an event whose handler threw; doubles each time. */
  retryDelayMs?: number;
  /** Give up (log and drop to dead letters) after this many deliveries. */
  maxDeliveries?: number;
  /** Handlers this subscription runs at once (default 1: events are handled one after another). */
  concurrency?: number;
  /**
   * The consumer belongs to this process alone (give it a unique name): a gateway feeding its own
   * WebSocket subscribers needs every event in every instance, not a share of them. On NATS the
   * server removes it five minutes after the process stops pulling.
   */
  perInstance?: boolean;
}

export interface Subscription {
  /** Stops receiving; in-flight handlers finish first. */
  close(): Promise<void>;
}

/** Counters since the bus was created, in this process (for metrics and tests). */
export interface BusStats {
  published: number;
  /** Handler calls, redeliveries included. */
  delivered: number;
  /** Handler calls that threw and were scheduled again. */
  redelivered: number;
  /** Events given up on after `maxDeliveries`, or unreadable. */
  deadLettered: number;
}

/** The event bus port. In-process by default; NATS JetStream with `NATS_URL`. */
export interface Bus {
  readonly kind: 'memory' | 'nats';
  /** Resolves once every event is durably accepted (acked); rejects if any is not. */
  publish(events: readonly EventEnvelope[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  ping(): Promise<void>;
  stats(): BusStats;
  close(): Promise<void>;
}

/** What the bus logs through; a pino logger fits. */
export interface BusLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export const silentLog: BusLog = { info() {}, warn() {}, error() {} };
