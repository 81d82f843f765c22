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
  const s = schemaName(options.schema);
  const mark = `INSERT INTO ${s}.processed_events (consumer, event_id) VALUES ($1, $2::uuid)
    ON CONFLICT DO NOTHING RETURNING event_id`;
  return async (event) => {
    const apply = async (tx: Tx) => {
      const marked = await tx.query(mark, [options.consumer, event.id]);
      if (marked.rows.length === 0) return;
      await options.handle(tx, event);
    };
    const tenantId = options.tenant ? options.tenant(event) : event.tenantId;
    await (tenantId ? options.db.withTenant(tenantId, apply) : options.db.transaction(apply));
  };
}
