import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from './envelope.ts';
import { createMemoryBus } from './memory-bus.ts';

function envelope(type: string): EventEnvelope {
  return {
    id: randomUUID(),
    type,
    version: 1,
    tenantId: null,
    occurredAt: new Date().toISOString(),
    correlationId: null,
    data: {},
  };
}

/** Behaviour of the in-process adapter beyond the shared contract (test/bus-contract.ts). */
describe('createMemoryBus', () => {
  it('keeps a bounded backlog for a durable consumer that is away, dropping the oldest', async () => {
    const bus = createMemoryBus({ maxBacklog: 3 });
    const seen: string[] = [];
    const handler = async (event: EventEnvelope) => void seen.push(event.id);
    await (await bus.subscribe({ consumer: 'away', types: ['a.b'], handler })).close();
    const events = Array.from({ length: 5 }, () => envelope('a.b'));
    await bus.publish(events);
    await bus.subscribe({ consumer: 'away', types: ['a.b'], handler });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen).toEqual(events.slice(2).map((e) => e.id));
    expect(bus.stats().deadLettered).toBe(2);
    await bus.close();
  });

  it('hands each handler its own copy of the event', async () => {
    const bus = createMemoryBus();
    const copies: EventEnvelope[] = [];
    const handler = async (event: EventEnvelope) => {
      copies.push(event);
    };
    await bus.subscribe({ consumer: 'one', types: ['a.b'], handler });
    await bus.subscribe({ consumer: 'two', types: ['a.b'], handler });
    const event = envelope('a.b');
    await bus.publish([event]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(copies).toHaveLength(2);
    expect(copies[0]).toEqual(event);
    expect(copies[0]).not.toBe(copies[1]);
    expect(copies[0]).not.toBe(event);
    await bus.close();
  });

  it('runs up to `concurrency` handlers of one subscription at once', async () => {
    const bus = createMemoryBus();
    let running = 0;
    let most = 0;
    await bus.subscribe({
      consumer: 'parallel',
      types: ['a.b'],
      concurrency: 4,
      handler: async () => {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
      },
    });
    await bus.publish(Array.from({ length: 20 }, () => envelope('a.b')));
    // Until all are delivered (a fixed wait was short on a busy CI machine: 16 of 20 by 100 ms).
    for (const deadline = Date.now() + 10_000; bus.stats().delivered < 20 && Date.now() < deadline; )
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(most).toBe(4);
    expect(bus.stats().delivered).toBe(20);
    await bus.close();
  });

  it('refuses to publish once closed', async () => {
    const bus = createMemoryBus();
    await bus.close();
    await expect(bus.publish([envelope('a.b')])).rejects.toMatchObject({ code: 'dependency.unavailable' });
  });
});

describe('createMemoryBus async context', () => {
  it('runs handlers outside the async context of the publisher (e.g. its open transaction)', async () => {
    const { AsyncLocalStorage } = await import('node:async_hooks');
    const transaction = new AsyncLocalStorage<string>();
    const bus = createMemoryBus();
    const seenInside: (string | undefined)[] = [];
    await bus.subscribe({
      consumer: 'context',
      types: ['a.b'],
      retryDelayMs: 1,
      handler: async () => {
        seenInside.push(transaction.getStore());
        if (seenInside.length === 1) throw new Error('once more');
      },
    });
    await transaction.run('relay-tx', () => bus.publish([envelope('a.b')]));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seenInside).toEqual([undefined, undefined]);
    await bus.close();
  });
});
