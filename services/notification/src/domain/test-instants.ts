import { offsetAt } from './zoned-time.ts';

/**
 * Test helper (no production code uses it): instants across 2026 in `zone`, sparse through the
 * year (every 5 h 13 min, so the minutes drift) and every 10 minutes through the two days around
 * each offset change (the 42 hours around the 6-hour step where it was seen), where DST bugs live. Keeps year-long property tests fast.
 */
export function instantsAcrossYear(zone: string): number[] {
  const start = Date.parse('2026-01-01T00:00:00Z');
  const end = Date.parse('2027-01-01T00:00:00Z');
  const instants: number[] = [];
  for (let t = start; t < end; t += 313 * 60_000) instants.push(t);
  const step = 6 * 3_600_000;
  for (let t = start; t < end; t += step) {
    if (offsetAt(t, zone) === offsetAt(t + step, zone)) continue;
    for (let u = t - 18 * 3_600_000; u < t + step + 18 * 3_600_000; u += 10 * 60_000) instants.push(u);
  }
  return instants;
}
