import type { Tx } from '@clubland/db';
import type { EventEnvelope } from './envelope.ts';
import { schemaName } from './sql-name.ts';

/**
 * The outbox and processed-events tables of one service schema, as a migration.
 *
 * No row-level security: only this service's own code reads them (its relay and its consumers),
 * never on behalf of a tenant, and the relay must see every club's events. No GRANT either: run by
 * `migrate()` of @clubland/db, which sets the schema's default privileges, the application role
 * gets SELECT, INSERT, UPDATE, DELETE on these tables like on every other table of the schema.
 */
export function outboxMigrationSql(schema: string): string {
  const s = schemaName(schema);
  return `
-- Events written in the same transaction as the change they announce; the relay publishes them.
CREATE TABLE ${s}.outbox (
  -- The event id: a UUIDv7, so ORDER BY id is the order the events were written.
  id uuid PRIMARY KEY,
  type text NOT NULL,
  -- The club the event belongs to (null for network-wide events), for diagnosis.
  tenant_id uuid,
  -- The whole envelope, published as is.
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Null until the bus acked the event; published rows are deleted after the relay's retention.
  published_at timestamptz
);
-- What the relay polls: small, since published rows leave it.
CREATE INDEX outbox_unpublished ON ${s}.outbox (id) WHERE published_at IS NULL;
CREATE INDEX outbox_published_at ON ${s}.outbox (published_at) WHERE published_at IS NOT NULL;

-- Events this service's consumers have applied, written in the same transaction as their effect,
-- so a redelivered event is recognised and skipped.
CREATE TABLE ${s}.processed_events (
  consumer text NOT NULL,
  event_id uuid NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
CREATE INDEX processed_events_processed_at ON ${s}.processed_events (processed_at);
`;
}

/**
 * Adds events to the outbox inside the caller's transaction, in one statement: they commit or
 * roll back with the change that caused them.
 */
export async function addToOutbox(tx: Tx, schema: string, events: readonly EventEnvelope[]): Promise<void> {
  if (events.length === 0) return;
  const s = schemaName(schema);
  const params: unknown[] = [];
  const rows = events.map((event) => {
    params.push(event.id, event.type, event.tenantId, JSON.stringify(event));
    const n = params.length;
    return `($${n - 3}::uuid, $${n - 2}, $${n - 1}, $${n}::jsonb)`;
  });
  await tx.query(`INSERT INTO ${s}.outbox (id, type, tenant_id, payload) VALUES ${rows.join(', ')}`, params);
}
