import parseDate from 'postgres-date';
import { describe, expect, it } from 'vitest';
import { parseTimestamptz } from './timestamptz.ts';

/** A small seeded generator, so a failure names a case that reproduces. */
function random(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % below;
  };
}
const pad = (value: number, width: number) => String(value).padStart(width, '0');
// postgres-date answers ±Infinity (numbers) for 'infinity'; compare what each answered.
const instantOf = (parsed: unknown) => (parsed instanceof Date ? parsed.getTime() : parsed);
const same = (text: string) => [instantOf(parseTimestamptz(text)), instantOf(parseDate(text))];

describe('parseTimestamptz', () => {
  it('reads what postgres-date reads, for every shape PostgreSQL writes under DateStyle ISO', () => {
    const next = random(20261125);
    for (let i = 0; i < 50_000; i++) {
      const fractionDigits = next(7);
      const fraction = fractionDigits ? `.${pad(next(10 ** fractionDigits), fractionDigits)}` : '';
      const minutes = [0, 30, 45][next(3)]!;
      const seconds = next(5) === 0 ? next(60) : 0;
      const offset = `${next(2) ? '+' : '-'}${pad(next(16), 2)}${minutes || seconds ? `:${pad(minutes, 2)}` : ''}${seconds ? `:${pad(seconds, 2)}` : ''}`;
      const text = `${pad(next(10_000), 4)}-${pad(1 + next(12), 2)}-${pad(1 + next(28), 2)} ${pad(next(24), 2)}:${pad(next(60), 2)}:${pad(next(60), 2)}${fraction}${offset}`;
      const [ours, reference] = same(text);
      if (!Object.is(ours, reference)) expect.fail(`${text}: ${ours} !== ${reference}`);
    }
  });

  it('hands the rare forms to postgres-date', () => {
    for (const text of [
      'infinity',
      '-infinity',
      '0044-03-15 12:00:00+00 BC',
      '0099-12-31 23:59:59.999+00',
      '12026-01-01 00:00:00+00',
      '2026-11-25T14:00:00Z',
      // Not what PostgreSQL writes, but no wrong date for it either: postgres-date decides.
      '2026-1a-25 14:00:00+00',
      '2026-11-25 14:00:00+0a',
      '2026-11-25 14:00:00+05:3a',
      '2026-11-25 14-00-00+00',
    ]) {
      expect(same(text)[0]).toEqual(same(text)[1]);
    }
    expect(parseTimestamptz('2026-11-25 14:23:19.123456+00').toISOString()).toBe('2026-11-25T14:23:19.123Z');
    expect(parseTimestamptz('2026-11-25 14:23:19+05:30').toISOString()).toBe('2026-11-25T08:53:19.000Z');
  });
});
