/** The event envelope, as docs/architecture.md describes it. `data` is validated by the event's own zod schema. */
export interface EventEnvelope<T = unknown> {
  /** UUIDv7: time-ordered, doubles as the JetStream de-duplication id. */
  id: string;
  /** `<aggregate>.<past-tense verb>`, e.g. `club.created`; the NATS subject is `clubland.<type>`. */
  type: string;
  version: number;
  /** The club the event belongs to; null for network-wide events. */
  tenantId: string | null;
  /** ISO-8601 instant. */
  occurredAt: string;
  correlationId: string | null;
  data: T;
}
