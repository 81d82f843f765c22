import { describe, expect, it } from 'vitest';
import { checkTotpCode, isTotpCodeShaped, totpSecretFrom, totpUri } from './totp.ts';

// RFC 6238 appendix B: the ASCII secret "12345678901234567890" gives 94287082 at T = 59 s
// (8 digits); its last six digits are the 6-digit code.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const at = (seconds: number) => new Date(seconds * 1000);

describe('TOTP codes', () => {
  it('accepts the RFC 6238 test vector and reports its time step', () => {
    expect(checkTotpCode({ secret: RFC_SECRET, code: '287082', now: at(59), lastUsedStep: null })).toEqual({
      ok: true,
      timeStep: 1,
    });
  });

  it('accepts a code one step early or late, but not two', () => {
    expect(checkTotpCode({ secret: RFC_SECRET, code: '287082', now: at(89), lastUsedStep: null })).toEqual({
      ok: true,
      timeStep: 1,
    });
    expect(checkTotpCode({ secret: RFC_SECRET, code: '287082', now: at(29), lastUsedStep: null })).toEqual({
      ok: true,
      timeStep: 1,
    });
    expect(checkTotpCode({ secret: RFC_SECRET, code: '287082', now: at(119), lastUsedStep: null })).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('refuses a code from a time step already used, or an earlier one', () => {
    expect(checkTotpCode({ secret: RFC_SECRET, code: '287082', now: at(59), lastUsedStep: 1 })).toEqual({
      ok: false,
      reason: 'reused',
    });
    expect(checkTotpCode({ secret: RFC_SECRET, code: '287082', now: at(59), lastUsedStep: 2 })).toMatchObject(
      {
        ok: false,
      },
    );
    expect(checkTotpCode({ secret: RFC_SECRET, code: '287082', now: at(59), lastUsedStep: 0 })).toMatchObject(
      {
        ok: true,
      },
    );
  });

  it('refuses wrong and malformed codes', () => {
    for (const code of ['287083', '28708', 'abcdef', '', '2870822']) {
      expect(checkTotpCode({ secret: RFC_SECRET, code, now: at(59), lastUsedStep: null }).ok).toBe(false);
    }
    expect(isTotpCodeShaped('287 082')).toBe(true);
    expect(isTotpCodeShaped('28708a')).toBe(false);
  });

  it('makes a base32 secret from 20 random bytes and an otpauth URI naming issuer and account', () => {
    const secret = totpSecretFrom(new TextEncoder().encode('12345678901234567890'));
    expect(secret).toBe(RFC_SECRET);
    expect(() => totpSecretFrom(new Uint8Array(10))).toThrow(RangeError);
    const uri = new URL(totpUri(secret, 'ada@example.org'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Clubland:ada@example.org');
    expect(uri.searchParams.get('secret')).toBe(RFC_SECRET);
    expect(uri.searchParams.get('issuer')).toBe('Clubland');
  });
});
