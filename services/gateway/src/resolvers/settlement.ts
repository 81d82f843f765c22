import type {
  SettlementPeriod,
  SettlementService,
  StatementDispute,
  StatementLine,
  StatementTotal,
} from '@clubland/contract/reciprocal/v1/settlement';
import { invalidInput } from '@clubland/errors';
import type { Client } from '@connectrpc/connect';
import type { Caller } from '../caller.ts';
import type { MutationResolvers, QueryResolvers } from '../generated/graphql.ts';
import { callerContextOf } from './members.ts';
import { optionalIso, requiredIso } from './timestamps.ts';

/**
 * Settlement: GraphQL in, SettlementService RPC out. The reciprocal service authorises every call
 * (settlement:manage at the club, network:manage for periods and netting) inside row-level security;
 * here only shapes change: int64 minor units to Float, Timestamps to ISO strings, '' to null.
 */

type SettlementClient = Client<typeof SettlementService>;

const callerOf = async (caller: Caller) => callerContextOf(await caller.requirePrincipal());
const orNull = (value: string) => (value === '' ? null : value);
const amountOf = (value: bigint) => Number(value);

function periodOf(period: SettlementPeriod | undefined) {
  if (!period) throw new Error('a service answered without the period');
  return {
    period: period.period,
    startsOn: period.startsOn,
    endsOn: period.endsOn,
    status: period.status,
    openedAt: requiredIso(period.openedAt, 'openedAt'),
    closedAt: optionalIso(period.closedAt),
  };
}

/** Output guard: exactly the fields the SDL declares. */
function lineOf(line: StatementLine) {
  return {
    id: orNull(line.id),
    lineNo: line.lineNo,
    kind: line.kind,
    visitId: orNull(line.visitId),
    agreementId: orNull(line.agreementId),
    visitDate: orNull(line.visitDate),
    payerClubId: line.payerClubId,
    payeeClubId: line.payeeClubId,
    amount: amountOf(line.amount),
    currency: line.currency,
    adjustsLineId: orNull(line.adjustsLineId),
    note: orNull(line.note),
  };
}

function disputeOf(dispute: StatementDispute | undefined) {
  if (!dispute) throw new Error('a service answered without the dispute');
  return {
    id: dispute.id,
    statementId: dispute.statementId,
    lineId: dispute.lineId,
    raisedByClubId: dispute.raisedByClubId,
    reason: dispute.reason,
    status: dispute.status,
    raisedAt: requiredIso(dispute.raisedAt, 'raisedAt'),
    resolvedAt: optionalIso(dispute.resolvedAt),
    adjustmentLineId: orNull(dispute.adjustmentLineId),
  };
}

function totalOf(total: StatementTotal) {
  return {
    currency: total.currency,
    owedByClub: amountOf(total.owedByClub),
    owedToClub: amountOf(total.owedToClub),
    net: amountOf(total.net),
  };
}

export function settlementResolvers(clients: { settlement: SettlementClient }): {
  Query: Pick<
    QueryResolvers,
    | 'settlementStatement'
    | 'settlementStatements'
    | 'verifySettlementStatement'
    | 'statementCsv'
    | 'networkSettlement'
  >;
  Mutation: Pick<
    MutationResolvers,
    'openSettlementPeriod' | 'closeSettlementPeriod' | 'disputeStatementLine' | 'resolveDispute'
  >;
} {
  const { settlement } = clients;
  return {
    Query: {
      async settlementStatement(_root, args, { caller }) {
        const { statement } = await settlement.getStatement({ caller: await callerOf(caller), ...args });
        if (!statement) throw new Error('a service answered without the statement');
        return {
          id: orNull(statement.id),
          period: statement.period,
          clubId: statement.clubId,
          partnerClubId: statement.partnerClubId,
          status: statement.status,
          issuedAt: optionalIso(statement.issuedAt),
          disputableUntil: optionalIso(statement.disputableUntil),
          linesHash: statement.linesHash,
          visitCount: statement.visitCount,
          lines: statement.lines.map(lineOf),
          disputes: statement.disputes.map(disputeOf),
          totals: statement.totals.map(totalOf),
        };
      },

      async settlementStatements(_root, args, { caller }) {
        const { statements } = await settlement.listStatements({ caller: await callerOf(caller), ...args });
        return statements.map((summary) => ({
          id: summary.id,
          period: summary.period,
          partnerClubId: summary.partnerClubId,
          issuedAt: requiredIso(summary.issuedAt, 'issuedAt'),
          disputableUntil: requiredIso(summary.disputableUntil, 'disputableUntil'),
          linesHash: summary.linesHash,
          visitCount: summary.visitCount,
          totals: summary.totals.map(totalOf),
        }));
      },

      async verifySettlementStatement(_root, args, { caller }) {
        const result = await settlement.verifyStatement({ caller: await callerOf(caller), ...args });
        return {
          matches: result.matches,
          storedHash: result.storedHash,
          recomputedHash: result.recomputedHash,
        };
      },

      async statementCsv(_root, args, { caller }) {
        return (await settlement.exportStatementCsv({ caller: await callerOf(caller), ...args })).csv;
      },

      async networkSettlement(_root, args, { caller }) {
        const result = await settlement.getNetworkSettlement({
          caller: await callerOf(caller),
          period: args.period,
        });
        return {
          period: result.period,
          positions: result.positions.map((position) => ({
            clubId: position.clubId,
            currency: position.currency,
            net: amountOf(position.net),
          })),
          transfers: result.transfers.map((transfer) => ({
            fromClubId: transfer.fromClubId,
            toClubId: transfer.toClubId,
            amount: amountOf(transfer.amount),
            currency: transfer.currency,
          })),
        };
      },
    },

    Mutation: {
      async openSettlementPeriod(_root, args, { caller }) {
        return periodOf(
          (await settlement.openPeriod({ caller: await callerOf(caller), period: args.period })).period,
        );
      },

      async closeSettlementPeriod(_root, args, { caller }) {
        return periodOf(
          (await settlement.closePeriod({ caller: await callerOf(caller), period: args.period })).period,
        );
      },

      async disputeStatementLine(_root, args, { caller }) {
        const { dispute } = await settlement.disputeLine({ caller: await callerOf(caller), ...args });
        return disputeOf(dispute);
      },

      async resolveDispute(_root, args, { caller }) {
        if (!Number.isSafeInteger(args.adjustment)) {
          throw invalidInput('adjustment', 'adjustment is a whole number of minor units');
        }
        const result = await settlement.resolveDispute({
          caller: await callerOf(caller),
          clubId: args.clubId,
          disputeId: args.disputeId,
          adjustment: BigInt(args.adjustment),
          note: args.note,
        });
        return {
          dispute: disputeOf(result.dispute),
          adjustment: result.adjustment ? lineOf(result.adjustment) : null,
        };
      },
    },
  };
}
