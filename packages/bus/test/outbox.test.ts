import { randomUUID } from 'node:crypto';
import { type Db, migrate, type Tx } from '@clubland/db';
import { createTestDb } from '@clubland/db/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  addToOutbox,
  type Bus,
  createMemoryBus,
  createOutboxRelay,
  defineEvent,
  type EventEnvelope,
  idempotent,
  type OutboxRelay,
  outboxMigrationSql,
  type Subscription,
} from '../src/index.ts';
import { createNatsBus } from '../src/nats-bus.ts';
import { startNatsServer } from './nats-server.ts';
import { sleep, uniqueToken, waitFor } from './wait-for.ts';
import { withOutage } from './with-outage.ts';

const schema = 'bus_outbox_test';
const happened = defineEvent('outbox_test.happened', 1, z.object({ n: z.number().int() }));

/** A bus whose outage the test controls: a fault wrapper in-process, a real server kill for NATS. */
interface BusWithOutage {
  bus: Bus;
  goDown(): Promise<void>;
  comeBack(): Promise<void>;
  close(): Promise<void>;
}

outboxSuite('memory bus', async () => {
  const memory = createMemoryBus();
  const faulty = withOutage(memory);
  return {
    bus: faulty.bus,
    goDown: async () => faulty.goDown(),
    comeBack: async () => faulty.comeBack(),
    close: () => memory.close(),
  };
});

describe.skipIf(!process.env.NATS_URL)('on NATS JetStream', () => {
  // A nats-server of this file's own (it is killed and restarted mid-test), on a free port.
  outboxSuite('NATS JetStream (own nats-server, SIGKILLed and restarted)', async () => {
    const server = await startNatsServer();
    const bus = await createNatsBus({ url: server.url, publishTimeoutMs: 1_000, pullBatch: 50 });
    return {
      bus,
      goDown: () => server.kill(),
      comeBack: () => server.restart(),
      async close() {
        await bus.close();
        await server.stop();
      },
    };
  });
});

function outboxSuite(name: string, openBus: () => Promise<BusWithOutage>): void {
  describe(`transactional outbox and idempotent consumers: ${name}`, () => {
    let db: Db;
    let setup: BusWithOutage;
    let relay: OutboxRelay;
    const subscriptions: Subscription[] = [];
    const clubId = randomUUID();

    beforeAll(async () => {
      db = await createTestDb();
      await migrate(db, {
        schema,
        migrations: [
          { version: 1, name: 'outbox', sql: outboxMigrationSql(schema) },
          {
            version: 2,
            name: 'applied',
            // How often each event took effect: the handlers under test write here in their transaction.
            sql: `CREATE TABLE ${schema}.applied (
                    consumer text, event_id uuid, applications int NOT NULL, PRIMARY KEY (consumer, event_id));`,
          },
        ],
      });
      setup = await openBus();
      relay = createOutboxRelay({ db, bus: setup.bus, schema, pollIntervalMs: 50, maxBackoffMs: 250 });
      relay.start();
    });

    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((s) => s.close()));
    });

    afterAll(async () => {
      await relay?.stop();
      await setup?.close();
      await db?.close();
    });

    /** Writes `count` events in one committed transaction (or a rolled-back one) and wakes the relay. */
    async function writeEvents(
      count: number,
      options: { rollBack?: boolean } = {},
    ): Promise<EventEnvelope[]> {
      const events = Array.from({ length: count }, (_, n) =>
        happened.build({ tenantId: clubId, correlationId: null, data: { n } }),
      );
      const written = db.transaction(async (tx) => {
        await addToOutbox(tx, schema, events);
        if (options.rollBack) throw new Error('the use case failed after writing its events');
      });
      if (options.rollBack) await expect(written).rejects.toThrow('use case failed');
      else await written;
      relay.notify();
      return events;
    }

    async function subscribe(handler: (event: EventEnvelope) => Promise<void>, retryDelayMs = 50) {
      const subscription = await setup.bus.subscribe({
        consumer: `outbox-test-${uniqueToken()}`,
        types: [happened.type],
        handler,
        retryDelayMs,
      });
      subscriptions.push(subscription);
    }

    /** Counts an application of the event by a consumer, in the handler's transaction. */
    const apply = (tx: Tx, consumer: string, event: EventEnvelope) =>
      tx.query(
        `INSERT INTO ${schema}.applied (consumer, event_id, applications) VALUES ($1, $2, 1)
         ON CONFLICT (consumer, event_id) DO UPDATE SET applications = applied.applications + 1`,
        [consumer, event.id],
      );

    async function applications(consumer: string, events: readonly EventEnvelope[]): Promise<number[]> {
      const rows = await db.asOwner((tx) =>
        tx.query<{ event_id: string; applications: number }>(
          `SELECT event_id, applications FROM ${schema}.applied WHERE consumer = $1 AND event_id = ANY($2::uuid[])`,
          [consumer, events.map((e) => e.id)],
        ),
      );
      const byId = new Map(rows.rows.map((row) => [row.event_id, Number(row.applications)]));
      return events.map((e) => byId.get(e.id) ?? 0);
    }

    async function pendingCount(): Promise<number> {
      const result = await db.asOwner((tx) =>
        tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.outbox WHERE published_at IS NULL`),
      );
      return Number(result.rows[0]?.n);
    }

    it('never publishes events whose transaction rolled back', async () => {
      const seen: string[] = [];
      await subscribe(async (event) => void seen.push(event.id));
      const rolledBack = await writeEvents(3, { rollBack: true });
      const committed = await writeEvents(2);
      await relay.flush();
      await waitFor(() => seen.length >= 2, 15_000, 'the committed events');
      await sleep(200);
      expect(new Set(seen)).toEqual(new Set(committed.map((e) => e.id)));
      const stored = await db.asOwner((tx) =>
        tx.query(`SELECT id FROM ${schema}.outbox WHERE id = ANY($1::uuid[])`, [rolledBack.map((e) => e.id)]),
      );
      expect(stored.rows).toEqual([]);
    });

    it('delivers every event written while the bus was unreachable once it is back', async () => {
      const seen = new Set<string>();
      const consumer = `outage-${uniqueToken()}`;
      const handler = idempotent({
        db,
        schema,
        consumer,
        handle: async (tx, event) => {
          await apply(tx, consumer, event);
        },
      });
      // An event counts as seen once its handler's transaction has committed, not while it runs.
      await subscribe(async (event) => {
        await handler(event);
        seen.add(event.id);
      });
      const before = await writeEvents(5);
      await relay.flush();
      await waitFor(() => before.every((e) => seen.has(e.id)), 15_000, 'the events before the outage');

      await setup.goDown();
      const during = [...(await writeEvents(10)), ...(await writeEvents(10))];
      await expect(relay.flush()).rejects.toThrow();
      expect(await pendingCount()).toBe(20);

      await setup.comeBack();
      const all = [...before, ...during];
      await waitFor(() => all.every((e) => seen.has(e.id)), 60_000, 'every event after the outage');
      await waitFor(() => seen.size === all.length, 5_000, 'no stray events');
      expect(await applications(consumer, all)).toEqual(all.map(() => 1));
      await relay.flush();
      expect(await pendingCount()).toBe(0);
    });

    it('applies each event once per consumer however often the bus delivers it', async () => {
      const consumer = `dedupe-${uniqueToken()}`;
      const handled = new Map<string, number>();
      const deliveries = new Map<string, number>();
      const handler = idempotent({
        db,
        schema,
        consumer,
        handle: async (tx, event) => {
          handled.set(event.id, (handled.get(event.id) ?? 0) + 1);
          await apply(tx, consumer, event);
        },
      });
      // The first three events' acks get lost.
      const isAckLost = (event: EventEnvelope) => happened.parse(event).data.n < 3;
      await subscribe(async (event) => {
        const delivery = (deliveries.get(event.id) ?? 0) + 1;
        deliveries.set(event.id, delivery);
        await handler(event);
        // As if the ack never reached the bus: the event comes again after it took effect.
        if (isAckLost(event) && delivery === 1) throw new Error('ack lost');
      });
      const events = await writeEvents(10);
      const ackLost = new Set(events.filter(isAckLost).map((e) => e.id));
      await relay.flush();
      // Published again by hand: the in-process bus delivers the copy, JetStream drops it by id.
      await setup.bus.publish([events[5] as EventEnvelope, events[5] as EventEnvelope]);
      await waitFor(
        () => events.every((e) => (deliveries.get(e.id) ?? 0) >= (ackLost.has(e.id) ? 2 : 1)),
        15_000,
        'every delivery',
      );
      // Two deliveries at once: the second waits on the first's marker row, then skips.
      const racing = events[9] as EventEnvelope;
      await Promise.all([handler(racing), handler(racing)]);
      await sleep(300);

      expect(await applications(consumer, events)).toEqual(events.map(() => 1));
      expect(events.map((e) => handled.get(e.id))).toEqual(events.map(() => 1));
      expect([...ackLost].map((id) => deliveries.get(id))).toEqual([2, 2, 2]);
    });

    it('redelivers an event whose handler threw and applies it once when it succeeds', async () => {
      const attempts = new Map<string, number>();
      const consumer = `flaky-${uniqueToken()}`;
      await subscribe(
        idempotent({
          db,
          schema,
          consumer,
          handle: async (tx, event) => {
            const attempt = (attempts.get(event.id) ?? 0) + 1;
            attempts.set(event.id, attempt);
            // The write happens, then the handler fails: the rollback must undo it.
            await apply(tx, consumer, event);
            if (attempt < 3) throw new Error(`attempt ${attempt} fails`);
          },
        }),
      );
      const events = await writeEvents(3);
      await relay.flush();
      await waitFor(() => events.every((e) => attempts.get(e.id) === 3), 15_000, 'the third attempts');
      await sleep(300);
      expect(events.map((e) => attempts.get(e.id))).toEqual([3, 3, 3]);
      expect(await applications(consumer, events)).toEqual([1, 1, 1]);
    });
  });
}
