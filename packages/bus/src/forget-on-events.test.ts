import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { EventEnvelope } from './envelope.ts';
import { defineEvent } from './events.ts';
import { forgetOnEvents } from './forget-on-events.ts';
import { createMemoryBus } from './memory-bus.ts';

const thing = z.object({ thingId: z.string() });
const thingUpdated = defineEvent('thing.updated', 1, thing);
const otherUpdated = defineEvent('other.updated', 1, thing);
const of = (definition: typeof thingUpdated, thingId: string): EventEnvelope =>
  definition.build({ tenantId: null, correlationId: null, data: { thingId } });

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
        of(thingUpdated, 't-1'),
        of(otherUpdated, 't-2'),
        // An event without data (one that does not match its schema) names nothing to forget.
        { ...of(thingUpdated, 'none'), data: null },
        of(thingUpdated, 't-3'),
      ]);
      await expect.poll(() => forgotten).toEqual({ a: ['t-1', 't-3'], b: ['t-1', 't-3'] });
    } finally {
      for (const subscription of subscriptions) await subscription.close();
      await bus.close();
    }
  });
});
