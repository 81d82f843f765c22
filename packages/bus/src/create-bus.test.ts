import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { freePort, hasNatsServerBinary, startNatsServer } from '../test/nats-server.ts';
import { sleep, uniqueToken, waitFor } from '../test/wait-for.ts';
import { createBus } from './create-bus.ts';
import type { EventEnvelope } from './envelope.ts';
import { defineEvent } from './events.ts';

const happened = defineEvent('outage_test.happened', 1, z.object({ n: z.number().int() }));
const event = (n: number) => happened.build({ tenantId: null, correlationId: null, data: { n } });

/** Retries `attempt` every 100 ms until it resolves; fails with its last error after `timeoutMs`. */
async function until<T>(attempt: () => Promise<T>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${String(error)}`);
      await sleep(100);
    }
  }
}

describe('createBus', () => {
  it('runs in-process when no NATS URL is configured', async () => {
    for (const natsUrl of [undefined, '']) {
      const bus = await createBus({ natsUrl });
      expect(bus.kind).toBe('memory');
      await bus.close();
    }
  });

  // Issue 27, item 11: an instance starts during a NATS outage (it used to refuse to start).
  it('starts while NATS is unreachable: publishing and pings fail fast, subscribing waits', async () => {
    const startedAt = Date.now();
    const bus = await createBus({ natsUrl: `nats://127.0.0.1:${await freePort()}`, connectTimeoutMs: 500 });
    expect(Date.now() - startedAt).toBeLessThan(3_000);
    expect(bus.kind).toBe('nats');

    const failedAt = Date.now();
    await expect(bus.publish([event(1)])).rejects.toMatchObject({ code: 'dependency.unavailable' });
    await expect(bus.ping()).rejects.toMatchObject({
      code: 'dependency.unavailable',
      message: expect.stringContaining('NATS not reached yet'),
    });
    expect(Date.now() - failedAt).toBeLessThan(500);

    const subscription = await bus.subscribe({
      consumer: `outage-${uniqueToken()}`,
      types: [happened.type],
      handler: async () => {},
    });
    await subscription.close();
    await bus.close();
  });
});

// A nats-server of the test's own, started after the bus: never the shared one.
describe.skipIf(!hasNatsServerBinary)('createBus when NATS comes up after the start', () => {
  it('connects in the background; a subscription asked for before then receives what is published', async () => {
    const port = await freePort();
    const prefix = `outage${uniqueToken()}`;
    const bus = await createBus({
      natsUrl: `nats://127.0.0.1:${port}`,
      stream: prefix.toUpperCase(),
      subjectPrefix: prefix,
      connectTimeoutMs: 500,
    });
    const received: EventEnvelope[] = [];
    const subscription = await bus.subscribe({
      consumer: `late-${uniqueToken()}`,
      types: [happened.type],
      handler: async (delivered) => void received.push(delivered),
    });
    const sent = event(1);
    await expect(bus.publish([sent])).rejects.toMatchObject({ code: 'dependency.unavailable' });

    const server = await startNatsServer({ port });
    try {
      await until(() => bus.ping(), 15_000, 'the bus to reach NATS');
      // The waiting consumer starts right after the connection: publish (the same event: JetStream
      // keeps one copy by its id) until it arrives.
      await until(
        async () => {
          await bus.publish([sent]);
          await waitFor(() => received.some((delivered) => delivered.id === sent.id), 1_000, 'delivery');
        },
        15_000,
        'the event through the subscription made before NATS was up',
      );
      expect(received.filter((delivered) => delivered.id === sent.id)).toHaveLength(1);
    } finally {
      await subscription.close();
      await bus.close();
      await server.stop();
    }
  }, 60_000);
});
