import { describe, expect, it } from 'vitest';
import { tokenFrom } from '../src/caller.ts';

describe('tokenFrom', () => {
  it('takes the token out of a Bearer header, any case, any spacing', () => {
    expect(tokenFrom('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(tokenFrom('bearer   abc.def.ghi  ')).toBe('abc.def.ghi');
    expect(tokenFrom('BEARER\tabc')).toBe('abc');
  });

  it('keeps a bare token (a WebSocket connection-init payload may omit the scheme)', () => {
    expect(tokenFrom('abc.def.ghi')).toBe('abc.def.ghi');
    expect(tokenFrom('  abc  ')).toBe('abc');
  });

  it('hands anything malformed on whole, for the verifier to refuse', () => {
    expect(tokenFrom('Bearer two tokens')).toBe('Bearer two tokens');
    expect(tokenFrom('Bearer')).toBe('Bearer');
    expect(tokenFrom('Bearerabc')).toBe('Bearerabc');
    expect(tokenFrom('Basic dXNlcjpwYXNz')).toBe('Basic dXNlcjpwYXNz');
  });

  it('answers no token for an absent or non-string value', () => {
    expect(tokenFrom(undefined)).toBe('');
    expect(tokenFrom('')).toBe('');
    expect(tokenFrom(42)).toBe('');
    expect(tokenFrom(['Bearer abc'])).toBe('');
  });
});
