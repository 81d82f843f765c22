import { describe, expect, it } from 'vitest';
import { assertTypeFilters, matchesTypes } from './type-filter.ts';

describe('matchesTypes', () => {
  it('matches exact types, one-token `*` and one-or-more `>` like NATS subjects', () => {
    const matches = matchesTypes(['club.created', 'visit.*', 'ledger.>']);
    expect(matches('club.created')).toBe(true);
    expect(matches('club.closed')).toBe(false);
    expect(matches('visit.checked_in')).toBe(true);
    expect(matches('visit.checked_in.late')).toBe(false);
    expect(matches('visit')).toBe(false);
    expect(matches('ledger.tx.committed')).toBe(true);
    expect(matches('ledger')).toBe(false);
  });

  it('rejects filters NATS would reject', () => {
    expect(() => assertTypeFilters([])).toThrow();
    expect(() => assertTypeFilters(['club..created'])).toThrow();
    expect(() => assertTypeFilters(['club.>.x'])).toThrow();
    expect(() => assertTypeFilters(['club.cre*'])).toThrow();
    expect(() => assertTypeFilters(['club.*', 'a.>'])).not.toThrow();
  });
});
