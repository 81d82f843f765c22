import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { CallerContext } from '@clubland/contract/member/v1/caller';
import {
  SettlementPeriodSchema,
  SettlementService,
  type StatementDispute,
  StatementDisputeSchema,
  type StatementLine,
  StatementLineSchema,
  type StatementTotal,
  StatementTotalSchema,
} from '@clubland/contract/reciprocal/v1/settlement';
import { invalidInput, requireUuid } from '@clubland/errors';
import type { ConnectRouter, HandlerContext } from '@connectrpc/connect';
import type { ReciprocalDeps, UseCaseContext } from './app/deps.ts';
import { getNetworkSettlement } from './app/network-settlement.ts';
import { disputeStatementLine, resolveDispute } from './app/settlement-disputes.ts';
import { closeSettlementPeriod, openSettlementPeriod } from './app/settlement-periods.ts';
import {
  exportStatementCsv,
  getSettlementStatement,
  listSettlementStatements,
  type StatementLineView,
  verifySettlementStatement,
} from './app/settlement-statements.ts';
import type { StatementTotal as DomainTotal } from './domain/settlement.ts';
import type { DisputeRow, PeriodRow } from './store/settlement-queries.ts';

/** SettlementService: protobuf in, use case, protobuf out. No rules here. */
export function registerSettlementRpc(
  router: ConnectRouter,
  deps: ReciprocalDeps,
  contextOf: (handler: HandlerContext, caller?: CallerContext) => UseCaseContext,
): void {
  router.service(SettlementService, {
    async openPeriod(request, handler) {
      const period = await openSettlementPeriod(deps, contextOf(handler, request.caller), request.period);
      return { period: periodMessage(period), statementsIssued: 0 };
    },

    async closePeriod(request, handler) {
      const result = await closeSettlementPeriod(deps, contextOf(handler, request.caller), request.period);
      return { period: periodMessage(result.period), statementsIssued: result.statementsIssued };
    },

    async getStatement(request, handler) {
      const view = await getSettlementStatement(
        deps,
        contextOf(handler, request.caller),
        requireUuid(request.clubId, 'clubId'),
        requireUuid(request.partnerClubId, 'partnerClubId'),
        request.period,
      );
      return {
        statement: {
          id: view.id ?? '',
          period: view.period,
          clubId: view.clubId,
          partnerClubId: view.partnerClubId,
          status: view.status,
          issuedAt: view.issuedAt ? timestampFromDate(view.issuedAt) : undefined,
          disputableUntil: view.disputableUntil ? timestampFromDate(view.disputableUntil) : undefined,
          linesHash: view.linesHash,
          visitCount: view.visitCount,
          lines: view.lines.map(lineMessage),
          disputes: view.disputes.map(disputeMessage),
          totals: view.totals.map(totalMessage),
        },
      };
    },

    async listStatements(request, handler) {
      const summaries = await listSettlementStatements(
        deps,
        contextOf(handler, request.caller),
        requireUuid(request.clubId, 'clubId'),
        request.period,
      );
      return {
        statements: summaries.map(({ statement, partnerClubId, totals }) => ({
          id: statement.id,
          period: statement.period,
          partnerClubId,
          issuedAt: timestampFromDate(statement.issuedAt),
          disputableUntil: timestampFromDate(statement.disputableUntil),
          linesHash: statement.linesHash,
          visitCount: statement.visitCount,
          totals: totals.map(totalMessage),
        })),
      };
    },

    async verifyStatement(request, handler) {
      return verifySettlementStatement(
        deps,
        contextOf(handler, request.caller),
        requireUuid(request.clubId, 'clubId'),
        requireUuid(request.statementId, 'statementId'),
      );
    },

    async exportStatementCsv(request, handler) {
      const csv = await exportStatementCsv(
        deps,
        contextOf(handler, request.caller),
        requireUuid(request.clubId, 'clubId'),
        requireUuid(request.statementId, 'statementId'),
      );
      return { csv };
    },

    async getNetworkSettlement(request, handler) {
      const result = await getNetworkSettlement(deps, contextOf(handler, request.caller), request.period);
      return {
        period: result.period,
        positions: result.positions.map((position) => ({ ...position, net: BigInt(position.net) })),
        transfers: result.transfers.map((transfer) => ({
          fromClubId: transfer.from,
          toClubId: transfer.to,
          amount: BigInt(transfer.amount),
          currency: transfer.currency,
        })),
      };
    },

    async disputeLine(request, handler) {
      const dispute = await disputeStatementLine(
        deps,
        contextOf(handler, request.caller),
        requireUuid(request.clubId, 'clubId'),
        { lineId: requireUuid(request.lineId, 'lineId'), reason: request.reason },
      );
      return { dispute: disputeMessage(dispute) };
    },

    async resolveDispute(request, handler) {
      if (
        request.adjustment > BigInt(Number.MAX_SAFE_INTEGER) ||
        request.adjustment < BigInt(Number.MIN_SAFE_INTEGER)
      ) {
        throw invalidInput('adjustment', 'adjustment is out of range');
      }
      const result = await resolveDispute(
        deps,
        contextOf(handler, request.caller),
        requireUuid(request.clubId, 'clubId'),
        {
          disputeId: requireUuid(request.disputeId, 'disputeId'),
          adjustment: Number(request.adjustment),
          note: request.note,
        },
      );
      return { dispute: disputeMessage(result.dispute), adjustment: lineMessage(result.adjustment) };
    },
  });
}

function periodMessage(row: PeriodRow) {
  return create(SettlementPeriodSchema, {
    period: row.period,
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    status: row.status,
    openedAt: timestampFromDate(row.openedAt),
    closedAt: row.closedAt ? timestampFromDate(row.closedAt) : undefined,
    closedBy: row.closedBy ?? '',
  });
}

/** Output guard: only the fields the contract names leave the service. */
function lineMessage(line: StatementLineView): StatementLine {
  return create(StatementLineSchema, {
    id: line.id ?? '',
    lineNo: line.lineNo,
    kind: line.kind,
    visitId: line.visitId ?? '',
    agreementId: line.agreementId ?? '',
    visitDate: line.visitDate ?? '',
    payerClubId: line.payerClubId,
    payeeClubId: line.payeeClubId,
    amount: BigInt(line.amount),
    currency: line.currency,
    adjustsLineId: line.adjustsLineId ?? '',
    note: line.note ?? '',
  });
}

function disputeMessage(dispute: DisputeRow): StatementDispute {
  return create(StatementDisputeSchema, {
    id: dispute.id,
    statementId: dispute.statementId,
    lineId: dispute.lineId,
    raisedByClubId: dispute.raisedByClubId,
    raisedBy: dispute.raisedBy,
    reason: dispute.reason,
    status: dispute.status,
    raisedAt: timestampFromDate(dispute.raisedAt),
    resolvedBy: dispute.resolvedBy ?? '',
    resolvedAt: dispute.resolvedAt ? timestampFromDate(dispute.resolvedAt) : undefined,
    adjustmentLineId: dispute.adjustmentLineId ?? '',
  });
}

function totalMessage(total: DomainTotal): StatementTotal {
  return create(StatementTotalSchema, {
    currency: total.currency,
    owedByClub: BigInt(total.owedByClub),
    owedToClub: BigInt(total.owedToClub),
    net: BigInt(total.net),
  });
}
