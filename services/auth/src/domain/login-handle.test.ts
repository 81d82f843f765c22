import { describe, expect, it } from 'vitest';
import { loginHandleOf } from './login-handle.ts';

const SECRET = new Uint8Array(32).fill(7);
const OTHER_SECRET = new Uint8Array(32).fill(8);

describe('loginHandleOf', () => {
  it('is a version 8 UUID, the same for an address every time', () => {
    const handle = loginHandleOf(SECRET, 'ada@example.org');
    expect(handle).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(loginHandleOf(SECRET, 'ada@example.org')).toBe(handle);
  });

  it('differs between addresses and between secrets', () => {
    const handle = loginHandleOf(SECRET, 'ada@example.org');
    expect(loginHandleOf(SECRET, 'bob@example.org')).not.toBe(handle);
    expect(loginHandleOf(OTHER_SECRET, 'ada@example.org')).not.toBe(handle);
  });
});
