import { describe, expect, it } from 'vitest';
import { MEMBER_STATUSES, type MemberStatus } from './member.ts';
import { checkTransition, nextStatuses } from './member-lifecycle.ts';

const legal: [MemberStatus, MemberStatus][] = [
  ['PENDING', 'ACTIVE'],
  ['PENDING', 'INACTIVE'],
  ['ACTIVE', 'SUSPENDED'],
  ['ACTIVE', 'EXPIRED'],
  ['ACTIVE', 'INACTIVE'],
  ['SUSPENDED', 'ACTIVE'],
  ['SUSPENDED', 'EXPIRED'],
  ['SUSPENDED', 'INACTIVE'],
  ['EXPIRED', 'ACTIVE'],
  ['EXPIRED', 'INACTIVE'],
];

describe('the member lifecycle', () => {
  it.each(legal)('allows %s -> %s', (from, to) => {
    expect(checkTransition(from, to)).toEqual({ ok: true, from, to });
  });

  const illegal = MEMBER_STATUSES.flatMap((from) =>
    MEMBER_STATUSES.filter((to) => !legal.some(([f, t]) => f === from && t === to)).map(
      (to) => [from, to] as const,
    ),
  );

  it.each(illegal)('refuses %s -> %s as a value, not a throw', (from, to) => {
    const check = checkTransition(from, to);
    expect(check).toMatchObject({ ok: false, code: 'member.transition_refused' });
  });

  it('has exactly 15 illegal pairs (self-transitions included) and INACTIVE is final', () => {
    expect(illegal).toHaveLength(15);
    expect(nextStatuses('INACTIVE')).toEqual([]);
  });
});
