import { timestampDate, timestampFromMs } from '@bufbuild/protobuf/wkt';
import { describe, expect, it } from 'vitest';
import { isoOf, optionalIso, requiredIso } from './timestamps.ts';

describe('isoOf', () => {
  it('writes what Date#toISOString writes, across and beyond years 0000-9999', () => {
    let state = 42;
    const next = () => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state / 2 ** 31;
    };
    const bound = 8.64e15; // Date's range
    for (let i = 0; i < 200_000; i++) {
      // Half across Date's whole range (most outside 0000-9999), half in years 1900-2100.
      const ms = Math.floor(i % 2 ? (next() * 2 - 1) * bound : -2.2e12 + next() * 6.3e12);
      const timestamp = timestampFromMs(ms);
      const expected = timestampDate(timestamp).toISOString();
      if (isoOf(timestamp) !== expected) expect.fail(`${ms}: ${isoOf(timestamp)} !== ${expected}`);
    }
    for (const text of [
      '0000-01-01T00:00:00.000Z',
      '1970-01-01T00:00:00.000Z',
      '2000-02-29T23:59:59.999Z',
      '9999-12-31T23:59:59.999Z',
    ]) {
      expect(isoOf(timestampFromMs(Date.parse(text)))).toBe(text);
    }
  });

  it('answers null for an absent optional instant, and refuses an absent required one', () => {
    expect(optionalIso(undefined)).toBeNull();
    expect(optionalIso(timestampFromMs(0))).toBe('1970-01-01T00:00:00.000Z');
    expect(() => requiredIso(undefined, 'createdAt')).toThrow('a service answered without createdAt');
  });
});
