import { describe, expect, it } from 'vitest';
import { networkOf } from './address.ts';

describe('networkOf', () => {
  it('keeps an IPv4 address, and the IPv4 address inside a mapped IPv6 one', () => {
    expect(networkOf('203.0.113.7')).toBe('203.0.113.7');
    expect(networkOf(' ::ffff:203.0.113.7 ')).toBe('203.0.113.7');
  });

  it('counts every address of one IPv6 /64 as one source', () => {
    const a = networkOf('2001:db8:85a3:42:1:2:3:4');
    expect(a).toBe('2001:db8:85a3:42::/64');
    expect(networkOf('2001:0db8:85a3:0042:ffff:ffff:ffff:ffff')).toBe(a);
    expect(networkOf('2001:db8:85a3:42::9')).toBe(a);
    expect(networkOf('2001:db8:85a3:43::9')).not.toBe(a);
    expect(networkOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(networkOf('::1')).toBe('0:0:0:0::/64');
    expect(networkOf('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('names an unknown address, and bounds what is not an address', () => {
    expect(networkOf('')).toBe('unknown');
    expect(networkOf('x'.repeat(100))).toHaveLength(64);
  });
});
