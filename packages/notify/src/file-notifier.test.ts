import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeNotifierContract } from '../test/notifier-contract.ts';
import { createFileNotifier, readOutbox } from './file-notifier.ts';

const message = {
  to: 'ada@example.com',
  channel: 'email' as const,
  template: 'auth.reset-password',
  subject: 'Reset your password',
  text: 'Open the link.',
  data: {},
};

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'clubland-notify-'));
}

describeNotifierContract('file', async () => {
  const dir = await tempDir();
  // Distinct, increasing instants, so order by file name is order of sending.
  let tick = Date.parse('2030-01-01T00:00:00Z');
  const notifier = createFileNotifier({ dir: join(dir, 'outbox', 'mail'), clock: () => new Date(tick++) });
  return {
    notifier,
    delivered: () => readOutbox(join(dir, 'outbox', 'mail')),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('file notifier', () => {
  it('writes one <time>-<id>.json file per message and leaves no temporary file behind', async () => {
    const dir = await tempDir();
    try {
      const notifier = createFileNotifier({
        dir,
        clock: () => new Date('2030-05-06T07:08:09.123Z'),
        newId: () => 'm1',
      });
      await notifier.send(message);
      expect(await readdir(dir)).toEqual(['2030-05-06T07-08-09.123Z-m1.json']);
      expect(await readOutbox(dir)).toEqual([{ id: 'm1', sentAt: '2030-05-06T07:08:09.123Z', ...message }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads an outbox folder that does not exist yet as empty', async () => {
    expect(await readOutbox(join(tmpdir(), `clubland-missing-${Date.now()}`))).toEqual([]);
  });

  it('keeps every message of concurrent sends', async () => {
    const dir = await tempDir();
    try {
      const notifier = createFileNotifier({ dir });
      await Promise.all(
        Array.from({ length: 20 }, (_, n) => notifier.send({ ...message, to: `u${n}@example.com` })),
      );
      const stored = await readOutbox(dir);
      expect(new Set(stored.map((m) => m.to)).size).toBe(20);
      expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
