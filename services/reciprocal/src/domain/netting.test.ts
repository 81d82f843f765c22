import { describe, expect, it } from 'vitest';
import { type Obligation, settleNetwork } from './netting.ts';

/** A seeded generator (mulberry32): each property run is reproducible from its seed. */
function randomFrom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomObligations(seed: number): Obligation[] {
  const random = randomFrom(seed);
  const clubs = Array.from({ length: 2 + Math.floor(random() * 30) }, (_, i) => `club-${i}`);
  const currencies = ['GBP', 'USD', 'EUR'].slice(0, 1 + Math.floor(random() * 3));
  return Array.from({ length: Math.floor(random() * 200) }, () => {
    const payer = clubs[Math.floor(random() * clubs.length)]!;
    let payee = clubs[Math.floor(random() * clubs.length)]!;
    if (payee === payer) payee = clubs[(clubs.indexOf(payer) + 1) % clubs.length]!;
    return {
      payer,
      payee,
      amount: Math.floor(random() * 1_000_000),
      currency: currencies[Math.floor(random() * currencies.length)]!,
    };
  });
}

describe('settleNetwork', () => {
  it('nets three clubs to two transfers: who pays whom', () => {
    // A owes B 100, B owes C 60, C owes A 10: A −90, B +40, C +50.
    const { positions, transfers } = settleNetwork([
      { payer: 'A', payee: 'B', amount: 100, currency: 'GBP' },
      { payer: 'B', payee: 'C', amount: 60, currency: 'GBP' },
      { payer: 'C', payee: 'A', amount: 10, currency: 'GBP' },
    ]);
    expect(positions).toEqual([
      { clubId: 'A', currency: 'GBP', net: -90 },
      { clubId: 'B', currency: 'GBP', net: 40 },
      { clubId: 'C', currency: 'GBP', net: 50 },
    ]);
    expect(transfers).toEqual([
      { from: 'A', to: 'C', amount: 50, currency: 'GBP' },
      { from: 'A', to: 'B', amount: 40, currency: 'GBP' },
    ]);
  });

  it('nets each currency on its own', () => {
    const { transfers } = settleNetwork([
      { payer: 'A', payee: 'B', amount: 100, currency: 'GBP' },
      { payer: 'B', payee: 'A', amount: 100, currency: 'USD' },
    ]);
    expect(transfers).toEqual([
      { from: 'A', to: 'B', amount: 100, currency: 'GBP' },
      { from: 'B', to: 'A', amount: 100, currency: 'USD' },
    ]);
  });

  it('needs no transfer when every debt cancels out', () => {
    const { positions, transfers } = settleNetwork([
      { payer: 'A', payee: 'B', amount: 70, currency: 'GBP' },
      { payer: 'B', payee: 'A', amount: 70, currency: 'GBP' },
    ]);
    expect(positions.every((position) => position.net === 0)).toBe(true);
    expect(transfers).toEqual([]);
  });

  it('stays within n − 1 transfers where the minimum is fewer (the greedy order is no optimum)', () => {
    // A −5, B +2, C +3, D −4, E +4: three transfers would do (D→E, A→B, A→C).
    const { transfers } = settleNetwork([
      { payer: 'A', payee: 'B', amount: 2, currency: 'GBP' },
      { payer: 'A', payee: 'C', amount: 3, currency: 'GBP' },
      { payer: 'D', payee: 'E', amount: 4, currency: 'GBP' },
    ]);
    expect(transfers.map((transfer) => `${transfer.from}→${transfer.to} ${transfer.amount}`)).toEqual([
      'A→E 4',
      'D→C 3',
      'A→B 1',
      'D→B 1',
    ]);
  });

  it('refuses amounts that are not safe integers', () => {
    expect(() => settleNetwork([{ payer: 'A', payee: 'B', amount: 1.5, currency: 'GBP' }])).toThrow(
      RangeError,
    );
  });

  it('holds its properties on 500 random networks: positions sum to zero, transfers zero them, at most n − 1', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const obligations = randomObligations(seed);
      const { positions, transfers } = settleNetwork(obligations);
      for (const currency of new Set(positions.map((position) => position.currency))) {
        const inCurrency = positions.filter((position) => position.currency === currency);
        expect(
          inCurrency.reduce((sum, position) => sum + position.net, 0),
          `seed ${seed}`,
        ).toBe(0);
        const remaining = new Map(inCurrency.map((position) => [position.clubId, position.net]));
        const moves = transfers.filter((transfer) => transfer.currency === currency);
        for (const transfer of moves) {
          expect(Number.isInteger(transfer.amount) && transfer.amount > 0, `seed ${seed}`).toBe(true);
          remaining.set(transfer.from, remaining.get(transfer.from)! + transfer.amount);
          remaining.set(transfer.to, remaining.get(transfer.to)! - transfer.amount);
        }
        expect(
          [...remaining.values()].every((net) => net === 0),
          `seed ${seed}`,
        ).toBe(true);
        const nonZero = inCurrency.filter((position) => position.net !== 0).length;
        expect(moves.length, `seed ${seed}`).toBeLessThanOrEqual(Math.max(0, nonZero - 1));
      }
    }
  });
});
