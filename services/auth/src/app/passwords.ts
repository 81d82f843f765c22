import { hash, parseOptions, verify } from '@node-rs/argon2';

/**
 * argon2id at OWASP's minimum (19 MiB, t=2, p=1): about 9 ms a hash here. Do not lower these to
 * pass a benchmark; rate-limit instead. The library's default algorithm is argon2id (version 0x13);
 * a test checks the PHC prefix, since its const enum cannot be named under isolatedModules.
 */
export const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

// Any password's hash will do: it only has to cost what a real verification costs.
let dummyHash: Promise<string> | undefined;

/**
 * Verifies against the stored hash, or against a fixed dummy hash when there is none (unknown
 * email, passkey-only account), so a failure takes the same time whether or not the account exists.
 */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  dummyHash ??= hashPassword('clubland-dummy-password-for-timing');
  const isMatch = await verify(storedHash ?? (await dummyHash), password).catch(() => false);
  return storedHash !== null && isMatch;
}

/** True when the hash was made with weaker (or different) parameters than today's: rehash at the next login. */
export function needsRehash(storedHash: string): boolean {
  try {
    const used = parseOptions(storedHash);
    return (
      used.memoryCost !== ARGON2_OPTIONS.memoryCost ||
      used.timeCost !== ARGON2_OPTIONS.timeCost ||
      used.parallelism !== ARGON2_OPTIONS.parallelism
    );
  } catch {
    return true;
  }
}
