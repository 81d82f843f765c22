import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryBus } from '../src/index.ts';
import { createNatsBus } from '../src/nats-bus.ts';
import { busContract } from './bus-contract.ts';
import { uniqueToken } from './wait-for.ts';

busContract('memory', async () => {
  const bus = createMemoryBus();
  return { bus, peer: async () => bus, close: () => bus.close() };
});

const natsUrl = process.env.NATS_URL;

describe.skipIf(!natsUrl)('NATS JetStream', () => {
  // A stream and subject prefix of this file's own, deleted afterwards.
  const token = uniqueToken();
  const stream = `BUS_CONTRACT_${token}`;
  const subjectPrefix = `buscontract${token}`;
  const open = () =>
    // Small pull batches so two members of a queue group both get work in a short test.
    createNatsBus({ url: natsUrl as string, stream, subjectPrefix, pullBatch: 10 });

  busContract('nats', async () => {
    const bus = await open();
    const peers = [bus];
    return {
      bus,
      async peer() {
        const peer = await open();
        peers.push(peer);
        return peer;
      },
      close: async () => {
        await Promise.all(peers.map((p) => p.close()));
      },
    };
  });

  it('rejects a publish the server cannot take, naming the event', async () => {
    const bus = await open();
    try {
      const event = {
        id: randomUUID(),
        type: 'too.big',
        version: 1,
        tenantId: null,
        occurredAt: new Date().toISOString(),
        correlationId: null,
        data: { blob: 'x'.repeat(2 * 1024 * 1024) },
      };
      await expect(bus.publish([event])).rejects.toMatchObject({
        code: 'dependency.unavailable',
        details: { msgId: event.id },
      });
    } finally {
      await bus.close();
    }
  });

  afterAll(async () => {
    const nc = await connect({ servers: natsUrl });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(stream).catch(() => undefined);
    await nc.close();
  });
});
