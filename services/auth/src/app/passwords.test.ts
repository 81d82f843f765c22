import { hash } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, verifyPassword } from './passwords.ts';

describe('password hashing', () => {
  it('hashes with argon2id at the OWASP parameters, salted', async () => {
    const first = await hashPassword('Correct-Horse-Battery-9');
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await hashPassword('Correct-Horse-Battery-9')).not.toBe(first);
    expect(needsRehash(first)).toBe(false);
  });

  it('verifies the right password only, and never without a stored hash', async () => {
    const stored = await hashPassword('Correct-Horse-Battery-9');
    expect(await verifyPassword(stored, 'Correct-Horse-Battery-9')).toBe(true);
    expect(await verifyPassword(stored, 'correct-horse-battery-9')).toBe(false);
    expect(await verifyPassword(null, 'clubland-dummy-password-for-timing')).toBe(false);
    expect(await verifyPassword('not a hash', 'anything')).toBe(false);
  });

  it('asks for a rehash of a hash made with weaker parameters', async () => {
    expect(needsRehash(await hash('pw-pw-pw-pw-pw', { memoryCost: 4096, timeCost: 1, parallelism: 1 }))).toBe(
      true,
    );
    expect(needsRehash('garbage')).toBe(true);
  });
});
