import { authorize } from '@clubland/authz';
import { type NetworkSettlement, settleNetwork } from '../domain/netting.ts';
import { periodBounds } from '../domain/settlement.ts';
import { createSettlementQueries } from '../store/settlement-queries.ts';
import type { ReciprocalDeps, UseCaseContext } from './deps.ts';
import { requirePeriod } from './settlement-periods.ts';

/**
 * The network's settlement for a period (network:manage): every club's net position per currency
 * and the transfers that settle them. The database sums the visits per (home, host, currency), so
 * a million visits leave it as a few thousand rows; netting them is domain/netting.ts.
 */
export async function getNetworkSettlement(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  period: string,
): Promise<NetworkSettlement & { period: string }> {
  authorize(context.principal, 'network:manage', null);
  const { startsOn, endsOn } = periodBounds(requirePeriod(period));
  const obligations = await deps.db.transaction((tx) =>
    createSettlementQueries(tx).networkObligations(period, startsOn, endsOn),
  );
  return { period, ...settleNetwork(obligations) };
}
