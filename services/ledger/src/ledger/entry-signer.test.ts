import { generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createEntrySigner } from './entry-signer.ts';

const clubs = [
  generateKeyPairSync('ed25519'),
  generateKeyPairSync('ed25519'),
  generateKeyPairSync('ed25519'),
];
const messages = Array.from({ length: 301 }, (_, i) => Buffer.from(`entry ${i}`));
const signers = messages.map((_, i) => clubs[i % clubs.length] as (typeof clubs)[number]);

describe('the entry signer', () => {
  it.each([0, 1, 2])('signs each message with its own key, in order, on %i threads', async (threads) => {
    const signer = createEntrySigner({ threads });
    try {
      const signatures = await signer.sign(
        messages,
        signers.map((pair) => pair.privateKey),
      );
      expect(signatures).toHaveLength(messages.length);
      messages.forEach((message, i) => {
        const own = signers[i] as (typeof clubs)[number];
        const other = clubs[(i + 1) % clubs.length] as (typeof clubs)[number];
        expect(verify(null, message, own.publicKey, signatures[i] as Buffer)).toBe(true);
        expect(verify(null, message, other.publicKey, signatures[i] as Buffer)).toBe(false);
      });
    } finally {
      await signer.close();
    }
  });

  it('starts its threads again after close(), for a service started anew', async () => {
    const signer = createEntrySigner({ threads: 2 });
    const keys = signers.map((pair) => pair.privateKey);
    await signer.sign(messages, keys);
    await signer.close();
    const again = await signer.sign(messages, keys);
    expect(
      verify(
        null,
        messages[7] as Buffer,
        (signers[7] as (typeof clubs)[number]).publicKey,
        again[7] as Buffer,
      ),
    ).toBe(true);
    await signer.close();
  });
});
