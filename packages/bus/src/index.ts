export { createBatcher } from './batcher.ts';
export type {
  Bus,
  BusLog,
  BusStats,
  EventHandler,
  SubscribeOptions,
  Subscription,
} from './bus.ts';
export { type CreateBusOptions, createBus } from './create-bus.ts';
export type { EventEnvelope } from './envelope.ts';
export {
  type BuildDeps,
  type BuildInput,
  defineEvent,
  type EventData,
  type EventDefinition,
  envelopeSchema,
  parseEnvelope,
} from './events.ts';
export { forgetOnEvents } from './forget-on-events.ts';
export { type IdempotentOptions, idempotent, markProcessed } from './idempotent-consumer.ts';
export { createMemoryBus, type MemoryBusOptions } from './memory-bus.ts';
export type { NatsBusOptions } from './nats-bus.ts';
export { addToOutbox, outboxMigrationSql } from './outbox.ts';
export { createOutboxRelay, type OutboxRelay, type OutboxRelayOptions } from './outbox-relay.ts';
