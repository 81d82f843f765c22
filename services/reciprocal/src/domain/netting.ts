/**
 * Netting: from what clubs owe each other (per pair, in minor units of one currency), each club's
 * net position and the transfers that settle them all. Pure.
 *
 * Fewest transfers: the exact minimum is NP-hard (it needs the largest partition of the clubs into
 * groups whose positions sum to zero, a subset-sum problem), so we do not search for it. Matching
 * the largest debtor with the largest creditor, again and again, settles at least one club with
 * every transfer and two with the last, so n clubs with a non-zero position need at most n − 1
 * transfers. Not always the fewest: positions −5, +2, +3 (A, B, C) and −4, +4 (D, E) need three
 * (D→E, A→B, A→C), the greedy order makes four. Sorted inserts keep it O(n²) at worst per currency:
 * microseconds for the 200 clubs of the benchmark.
 * Currencies never mix: each is netted on its own.
 */

/** `payer` owes `payee` `amount` minor units of `currency` (an integer, ≥ 0). */
export interface Obligation {
  payer: string;
  payee: string;
  amount: number;
  currency: string;
}

/** A club's position in one currency: positive, the network owes it; negative, it owes. */
export interface NetPosition {
  clubId: string;
  currency: string;
  net: number;
}

export interface Transfer {
  from: string;
  to: string;
  amount: number;
  currency: string;
}

export interface NetworkSettlement {
  /** Every club with an obligation, per currency, by currency then club id; zero positions included. */
  positions: NetPosition[];
  /** Who pays whom, by currency then largest first. */
  transfers: Transfer[];
}

export function settleNetwork(obligations: readonly Obligation[]): NetworkSettlement {
  const byCurrency = new Map<string, Map<string, number>>();
  for (const { payer, payee, amount, currency } of obligations) {
    if (!Number.isSafeInteger(amount)) throw new RangeError(`amount ${amount} is not a safe integer`);
    let nets = byCurrency.get(currency);
    if (!nets) {
      nets = new Map();
      byCurrency.set(currency, nets);
    }
    nets.set(payer, add(nets.get(payer) ?? 0, -amount));
    nets.set(payee, add(nets.get(payee) ?? 0, amount));
  }
  const positions: NetPosition[] = [];
  const transfers: Transfer[] = [];
  for (const currency of [...byCurrency.keys()].sort()) {
    const nets = byCurrency.get(currency)!;
    for (const clubId of [...nets.keys()].sort())
      positions.push({ clubId, currency, net: nets.get(clubId)! });
    transfers.push(...greedyTransfers(nets, currency));
  }
  return { positions, transfers };
}

/** Largest debtor pays largest creditor until every position is zero (ties by club id: deterministic). */
function greedyTransfers(nets: ReadonlyMap<string, number>, currency: string): Transfer[] {
  const largestFirst = (a: Balance, b: Balance) => b.amount - a.amount || (a.clubId < b.clubId ? -1 : 1);
  const debtors: Balance[] = [];
  const creditors: Balance[] = [];
  for (const [clubId, net] of nets) {
    if (net < 0) debtors.push({ clubId, amount: -net });
    else if (net > 0) creditors.push({ clubId, amount: net });
  }
  debtors.sort(largestFirst);
  creditors.sort(largestFirst);
  const transfers: Transfer[] = [];
  while (debtors.length > 0 && creditors.length > 0) {
    const debtor = debtors.shift()!;
    const creditor = creditors.shift()!;
    const amount = Math.min(debtor.amount, creditor.amount);
    transfers.push({ from: debtor.clubId, to: creditor.clubId, amount, currency });
    // The one left with a remainder goes back in its place: the lists stay sorted.
    if (debtor.amount > amount)
      insertSorted(debtors, { clubId: debtor.clubId, amount: debtor.amount - amount }, largestFirst);
    if (creditor.amount > amount)
      insertSorted(creditors, { clubId: creditor.clubId, amount: creditor.amount - amount }, largestFirst);
  }
  return transfers;
}

interface Balance {
  clubId: string;
  amount: number;
}

function insertSorted(list: Balance[], item: Balance, order: (a: Balance, b: Balance) => number): void {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (order(list[middle]!, item) <= 0) low = middle + 1;
    else high = middle;
  }
  list.splice(low, 0, item);
}

function add(a: number, b: number): number {
  const sum = a + b;
  if (!Number.isSafeInteger(sum)) throw new RangeError('a net position exceeds the safe integer range');
  return sum;
}
