/**
 * Event bus throughput: the in-process bus, and the JetStream adapter on NATS_URL
 * (default nats://127.0.0.1:4222) in a temporary stream of its own, deleted afterwards.
 *
 *   node bench/bus.ts [memoryEvents=200000] [natsEvents=50000]
 *
 * A rate counts from the first publish to the last event handled (published and consumed);
 * "publish" is the time until every publish was acked.
 */
import { randomUUID } from 'node:crypto';
import { type Bus, createMemoryBus, type EventEnvelope } from '@clubland/bus';
import { createNatsBus } from '@clubland/bus/nats';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

const memoryEvents = Number(process.argv[2] ?? 200_000);
const natsEvents = Number(process.argv[3] ?? 50_000);
const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
/** Events per publish call, as an outbox relay batch. */
const BATCH = 5_000;

interface Row {
  adapter: string;
  events: number;
  publishPerSec: number;
  endToEndPerSec: number;
  target: number;
}

function envelopes(count: number, type: string): EventEnvelope[] {
  const tenantId = randomUUID();
  return Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    type,
    version: 1,
    tenantId,
    occurredAt: new Date().toISOString(),
    correlationId: null,
    data: { clubId: tenantId, name: `Club ${i}`, slug: `club-${i}`, status: 'ACTIVE' },
  }));
}

async function measure(bus: Bus, adapter: string, count: number, target: number): Promise<Row> {
  const type = 'bench.happened';
  const events = envelopes(count, type);
  let handled = 0;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });
  const subscription = await bus.subscribe({
    consumer: `bench-${randomUUID().slice(0, 8)}`,
    types: [type],
    handler: async () => {
      if (++handled === count) resolveDone();
    },
  });
  const started = performance.now();
  for (let i = 0; i < count; i += BATCH) await bus.publish(events.slice(i, i + BATCH));
  const published = performance.now();
  await done;
  const consumed = performance.now();
  await subscription.close();
  return {
    adapter,
    events: count,
    publishPerSec: Math.round(count / ((published - started) / 1000)),
    endToEndPerSec: Math.round(count / ((consumed - started) / 1000)),
    target,
  };
}

async function benchNats(): Promise<Row | string> {
  const token = randomUUID().slice(0, 8);
  const stream = `BENCH_${token}`;
  let bus: Bus;
  try {
    bus = await createNatsBus({ url: natsUrl, stream, subjectPrefix: `bench${token}` });
  } catch (error) {
    return `NATS at ${natsUrl} unreachable: ${error instanceof Error ? error.message : String(error)}`;
  }
  try {
    return await measure(bus, 'nats jetstream', natsEvents, 20_000);
  } finally {
    await bus.close();
    const nc = await connect({ servers: natsUrl });
    await (await jetstreamManager(nc)).streams.delete(stream);
    await nc.close();
  }
}

const memoryBus = createMemoryBus();
const rows: (Row | string)[] = [await measure(memoryBus, 'memory', memoryEvents, 100_000)];
await memoryBus.close();
rows.push(await benchNats());

console.table(
  rows.map((row) =>
    typeof row === 'string'
      ? { adapter: 'nats jetstream', note: row }
      : {
          adapter: row.adapter,
          events: row.events,
          'published/s': row.publishPerSec,
          'published+consumed/s': row.endToEndPerSec,
          target: row.target,
          met: row.endToEndPerSec >= row.target ? 'yes' : 'NO',
        },
  ),
);
