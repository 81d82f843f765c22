import { describe, expect, it } from 'vitest';
import { isPublicAddress } from './public-address.ts';

describe('public addresses (where webhooks may go)', () => {
  it('accepts addresses on the public Internet', () => {
    for (const address of [
      '8.8.8.8',
      '1.1.1.1',
      '151.101.1.69',
      '2606:4700::6810:84e5',
      '[2a00:1450:4009:81f::200e]',
    ])
      expect(isPublicAddress(address), address).toBe(true);
  });

  it('refuses loopback, private, link-local, shared, documentation and multicast ranges', () => {
    for (const address of [
      '127.0.0.1',
      '127.1.2.3',
      '10.0.0.1',
      '172.16.5.4',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '192.0.2.10',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      '::127.0.0.1',
      'fd00::1',
      'fe80::1',
      'ff02::1',
      '[::1]',
    ])
      expect(isPublicAddress(address), address).toBe(false);
  });

  it('judges an IPv4-mapped IPv6 address by the IPv4 host it reaches', () => {
    expect(isPublicAddress('::ffff:127.0.0.1')).toBe(false);
    expect(isPublicAddress('::ffff:10.1.1.1')).toBe(false);
    expect(isPublicAddress('::ffff:8.8.8.8')).toBe(true);
  });

  it('refuses what is not an address at all', () => {
    expect(isPublicAddress('localhost')).toBe(false);
    expect(isPublicAddress('example.com')).toBe(false);
    expect(isPublicAddress('')).toBe(false);
  });
});
