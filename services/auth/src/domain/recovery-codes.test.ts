import { describe, expect, it } from 'vitest';
import {
  hashRecoveryCode,
  normalizeRecoveryCode,
  RECOVERY_CODE_BYTES,
  recoveryCodeFrom,
} from './recovery-codes.ts';

describe('recovery codes', () => {
  it('formats 7 random bytes as two groups of five base32 characters', () => {
    const code = recoveryCodeFrom(new Uint8Array([1, 2, 3, 4, 5, 6, 7]));
    expect(code).toMatch(/^[A-Z2-7]{5}-[A-Z2-7]{5}$/);
    expect(recoveryCodeFrom(new Uint8Array([1, 2, 3, 4, 5, 6, 8]))).not.toBe(code);
    expect(() => recoveryCodeFrom(new Uint8Array(RECOVERY_CODE_BYTES - 1))).toThrow(RangeError);
  });

  it('normalises what a user types: case, spaces and hyphens do not matter', () => {
    const code = recoveryCodeFrom(new Uint8Array([200, 17, 3, 99, 5, 250, 7]));
    const canonical = code.replace('-', '');
    expect(normalizeRecoveryCode(code)).toBe(canonical);
    expect(normalizeRecoveryCode(` ${code.toLowerCase()} `)).toBe(canonical);
    expect(normalizeRecoveryCode(canonical.replace(/(.{2})/g, '$1 '))).toBe(canonical);
  });

  it('refuses what cannot be a code', () => {
    for (const input of ['', '123456', 'ABCDE-FGHI', 'ABCDE-FGHIJK', 'ABCDE-FGH1J', 'ABCDE_FGHIJ']) {
      expect(normalizeRecoveryCode(input)).toBeNull();
    }
  });

  it('hashes per user, so the same code gives different hashes for different accounts', () => {
    const a = hashRecoveryCode('user-a', 'ABCDEFGHIJ');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRecoveryCode('user-a', 'ABCDEFGHIJ')).toBe(a);
    expect(hashRecoveryCode('user-b', 'ABCDEFGHIJ')).not.toBe(a);
    expect(hashRecoveryCode('user-a', 'ABCDEFGHIK')).not.toBe(a);
  });
});
