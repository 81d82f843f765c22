import { describe, expect, it } from 'vitest';
import { createBus } from './create-bus.ts';

describe('createBus', () => {
  it('runs in-process when no NATS URL is configured', async () => {
    for (const natsUrl of [undefined, '']) {
      const bus = await createBus({ natsUrl });
      expect(bus.kind).toBe('memory');
      await bus.close();
    }
  });

  it('fails to start when NATS is configured but unreachable', async () => {
    await expect(createBus({ natsUrl: 'nats://127.0.0.1:1' })).rejects.toThrow();
  });
});
