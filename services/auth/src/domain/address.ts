import { isIPv4, isIPv6 } from 'node:net';

/**
 * The network an address stands for when counting failures per source. IPv4: the address (an
 * office or a carrier NAT shares one, which is why successes are never counted against it). IPv6:
 * its /64, since one subscriber is routinely given a whole /64 and could otherwise take a fresh
 * address for every guess. An IPv4-mapped IPv6 address is its IPv4 address. Anything else
 * (in-process callers send no address) is kept as given, trimmed and bounded.
 */
export function networkOf(ip: string): string {
  const address = ip.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped !== undefined && isIPv4(mapped)) return mapped;
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return address === '' ? 'unknown' : address.slice(0, 64);
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address, without leading zeros (zone id dropped). */
function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.split('%')[0]!.toLowerCase().split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  // An embedded IPv4 tail (::ffff:1.2.3.4 forms other than the mapped one) fills two groups.
  const last = right.at(-1) ?? left.at(-1);
  const extra = last?.includes('.') ? 1 : 0;
  const missing = 8 - left.length - right.length - extra;
  const all = [...left, ...Array.from({ length: tail === undefined ? 0 : missing }, () => '0'), ...right];
  return all.map((group) => (group.includes('.') ? group : group.replace(/^0+(?=.)/, '')));
}
