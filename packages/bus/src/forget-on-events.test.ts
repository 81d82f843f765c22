import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from './envelope.ts';
import { forgetOnEvents } from './forget-on-events.ts';
import { createMemoryBus } from './memory-bus.ts';

const event = (type: string, data: unknown): EventEnvelope => ({
  id: randomUUID(),
  type,
  version: 1,
  tenantId: null,
  occurredAt: new Date().toISOString(),
  correlationId: null,
  data,
});

describe('forgetOnEvents', () => {
  it("hands every instance's cache every event of its types (not a share of them), and nothing else", async () => {
    const bus = createMemoryBus();
    const forgotten: Record<string, string[]> = { a: [], b: [] };
    const subscriptions = await Promise.all(
      (['a', 'b'] as const).map((instance) =>
        forgetOnEvents(bus, {
          name: 'test-cache',
          instanceId: `${instance}-${randomUUID()}`,
          types: ['thing.updated'],
          forget: ({ thingId }) => {
            if (typeof thingId === 'string') forgotten[instance]!.push(thingId);
          },
        }),
      ),
    );
    try {
      await bus.publish([
        event('thing.updated', { thingId: 't-1' }),
        event('other.updated', { thingId: 't-2' }),
        event('thing.updated', null),
        event('thing.updated', { thingId: 't-3' }),
      ]);
      await expect.poll(() => forgotten).toEqual({ a: ['t-1', 't-3'], b: ['t-1', 't-3'] });
    } finally {
      for (const subscription of subscriptions) await subscription.close();
      await bus.close();
    }
  });
});
