import { describe, expect, it } from 'vitest';
import { isRotationDue, verifiableUntil } from './key-rotation.ts';

describe('key rotation', () => {
  const created = new Date('2031-01-01T00:00:00Z');

  it('is due once the key is rotationDays old', () => {
    expect(isRotationDue(created, new Date('2031-01-30T23:59:59Z'), 30)).toBe(false);
    expect(isRotationDue(created, new Date('2031-01-31T00:00:00Z'), 30)).toBe(true);
  });

  it('keeps a retired key verifiable for one access-token lifetime plus clock skew', () => {
    expect(verifiableUntil(created, 900)).toEqual(new Date('2031-01-01T00:16:00Z'));
  });
});
