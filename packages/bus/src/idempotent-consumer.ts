import type { Db, Tx } from '@clubland/db';
import type { EventHandler } from './bus.ts';
import type { EventEnvelope } from './envelope.ts';
import { schemaName } from './sql-name.ts';

export interface IdempotentOptions {
  db: Db;
  /** The consuming service's schema, holding its `processed_events`. */
  schema: string;
  /** The durable consumer's name: the same event may be applied once per consumer. */
  consumer: string;
  /** Applies the event; every write goes through `tx`. */
  handle: (tx: Tx, event: EventEnvelope) => Promise<void>;
  /** The club whose rows the handler touches; defaults to the event's `tenantId`. */
  tenant?: (event: EventEnvelope) => string | null;
}

/**
 * Wraps a handler so each event takes effect once, however often the bus delivers it: the
 * processed-event marker and the handler's writes commit in one transaction (tenant-scoped when
 * the event has a club). A duplicate finds the marker and is skipped; a throw rolls both back,
 * so the redelivery applies it afresh.
 */
export function idempotent(options: IdempotentOptions): EventHandler {
  return async (event) => {
    const apply = async (tx: Tx) => {
      const marked = await markProcessed(tx, options, [event.id]);
      if (marked.size === 0) return;
      await options.handle(tx, event);
    };
    const tenantId = options.tenant ? options.tenant(event) : event.tenantId;
    await (tenantId ? options.db.withTenant(tenantId, apply) : options.db.transaction(apply));
  };
}

/**
 * Marks events processed by `consumer` in the caller's transaction, in one statement; returns the
 * ids not marked before, the ones to apply (a consumer applying a batch of events at once).
 */
export async function markProcessed(
  tx: Tx,
  options: Pick<IdempotentOptions, 'schema' | 'consumer'>,
  eventIds: readonly string[],
): Promise<Set<string>> {
  const { rows } = await tx.query<{ event_id: string }>(
    `INSERT INTO ${schemaName(options.schema)}.processed_events (consumer, event_id)
       SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id`,
    [options.consumer, eventIds],
  );
  return new Set(rows.map((row) => row.event_id));
}
