import type { EventEnvelope } from './envelope.ts';

export type EventHandler = (event: EventEnvelope) => Promise<void>;

export interface SubscribeOptions {
  /** Durable consumer name, one per consuming service and purpose, e.g. `analytics-club-facts`.
   *  Every process subscribing with the same name shares the work (queue group): each event
   *  goes to one of them. */
  consumer: string;
  /** Event types to receive (`club.created`) or prefixes ending in `.*`/`.>` as NATS wildcards. */
  types: readonly string[];
  handler: EventHandler;
  /** Delay before the first redelivery of an event whose handler threw; doubles each time. */
  retryDelayMs?: number;
  /** Give up (log and drop to dead letters) after this many deliveries. */
  maxDeliveries?: number;
}

export interface Subscription {
  /** Stops receiving; in-flight handlers finish first. */
  close(): Promise<void>;
}

/** The event bus port. In-process by default; NATS JetStream with `NATS_URL`. */
export interface Bus {
  readonly kind: 'memory' | 'nats';
  /** Resolves once every event is durably accepted (acked); rejects if any is not. */
  publish(events: readonly EventEnvelope[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
