import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { VISIT_STATUSES } from '@clubland/contract/events/reciprocal';
import type { CallerContext } from '@clubland/contract/member/v1/caller';
import { type Visit, VisitSchema, type VisitService } from '@clubland/contract/reciprocal/v1/visits';
import { invalidInput, isUuid, requireUuid } from '@clubland/errors';
import type { HandlerContext, ServiceImpl } from '@connectrpc/connect';
import { cancelVisit } from './app/cancel-visit.ts';
import { checkOut } from './app/check-out.ts';
import type { ReciprocalDeps, UseCaseContext } from './app/deps.ts';
import { getVisits } from './app/get-visits.ts';
import { listClubVisits, listMyVisits } from './app/list-visits.ts';
import { markNoShow } from './app/mark-no-show.ts';
import type { VisitStatus } from './domain/visit-lifecycle.ts';
import type { VisitPage, VisitView } from './store/visit-queries.ts';

const MAX_BATCH = 500;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

type VisitHandlers = Pick<
  ServiceImpl<typeof VisitService>,
  'checkOut' | 'cancelVisit' | 'markNoShow' | 'getVisits' | 'listVisits' | 'listMyVisits'
>;

/** VisitService after check-in: protobuf in, use case, protobuf out. No rules here. */
export function visitHandlers(
  deps: ReciprocalDeps,
  contextOf: (handler: HandlerContext, caller?: CallerContext) => UseCaseContext,
): VisitHandlers {
  return {
    async checkOut(request, handler) {
      const visit = await checkOut(deps, contextOf(handler, request.caller), {
        visitId: requireUuid(request.visitId, 'visitId'),
        facilitiesUsed: request.facilitiesUsed,
        facilityFees: amountOf(request.facilityFees, 'facilityFees'),
        foodBeverage: amountOf(request.foodBeverage, 'foodBeverage'),
        other: amountOf(request.other, 'other'),
        currency: request.currency,
        notes: request.notes,
      });
      return { visit: visitMessage(visit) };
    },

    async cancelVisit(request, handler) {
      const visit = await cancelVisit(deps, contextOf(handler, request.caller), {
        visitId: requireUuid(request.visitId, 'visitId'),
        reason: request.reason,
      });
      return { visit: visitMessage(visit) };
    },

    async markNoShow(request, handler) {
      const visit = await markNoShow(deps, contextOf(handler, request.caller), {
        visitId: requireUuid(request.visitId, 'visitId'),
        reason: request.reason,
      });
      return { visit: visitMessage(visit) };
    },

    async getVisits(request, handler) {
      const ids = request.ids
        .slice(0, MAX_BATCH)
        .filter(isUuid)
        .map((id) => id.toLowerCase());
      const visits = await getVisits(deps, contextOf(handler, request.caller), ids);
      return { visits: visits.map(visitMessage) };
    },

    async listVisits(request, handler) {
      const context = contextOf(handler, request.caller);
      const clubId =
        request.clubId !== '' ? requireUuid(request.clubId, 'clubId') : (context.principal?.homeClubId ?? '');
      if (clubId === '') throw invalidInput('clubId', 'clubId is required when the caller has no home club');
      const side = request.side === '' ? 'BOTH' : request.side.toUpperCase();
      if (side !== 'HOST' && side !== 'HOME' && side !== 'BOTH') {
        throw invalidInput('side', 'side must be HOST, HOME or BOTH');
      }
      return pageMessage(
        await listClubVisits(deps, context, {
          clubId,
          side,
          status: statusOf(request.status),
          from: dayOf(request.from, 'from'),
          to: dayOf(request.to, 'to'),
          page: request.page,
          pageSize: request.pageSize,
        }),
      );
    },

    async listMyVisits(request, handler) {
      return pageMessage(
        await listMyVisits(deps, contextOf(handler, request.caller), {
          status: statusOf(request.status),
          page: request.page,
          pageSize: request.pageSize,
        }),
      );
    },
  };
}

function amountOf(value: bigint, field: string): number {
  if (value < 0n || value >= 1_000_000_000_000n)
    throw invalidInput(field, `${field} must be 0 or more minor units`);
  return Number(value);
}

function statusOf(value: string): VisitStatus | null {
  if (value === '') return null;
  const status = value.toUpperCase();
  if (!(VISIT_STATUSES as readonly string[]).includes(status)) {
    throw invalidInput('status', `status must be one of ${VISIT_STATUSES.join(', ')}`);
  }
  return status as VisitStatus;
}

function dayOf(value: string, field: string): string | null {
  if (value === '') return null;
  if (!DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw invalidInput(field, `${field} must be a date, YYYY-MM-DD`);
  }
  return value;
}

function pageMessage(page: VisitPage) {
  return { visits: page.visits.map(visitMessage), total: page.total };
}

/** Output guard: only the fields the contract names leave the service. */
export function visitMessage(visit: VisitView): Visit {
  return create(VisitSchema, {
    id: visit.id,
    homeClubId: visit.homeClubId,
    hostClubId: visit.hostClubId,
    memberId: visit.memberId,
    agreementId: visit.agreementId,
    letterId: visit.letterId ?? '',
    status: visit.status,
    guestCount: visit.guestCount,
    purpose: visit.purpose ?? '',
    identifiedBy: visit.identifiedBy,
    visitDate: visit.visitDate,
    nights: visit.nights,
    checkedInAt: visit.checkedInAt ? timestampFromDate(visit.checkedInAt) : undefined,
    checkedOutAt: visit.checkedOutAt ? timestampFromDate(visit.checkedOutAt) : undefined,
    facilitiesUsed: visit.facilitiesUsed,
    costs: visit.costs
      ? {
          guestFee: BigInt(visit.costs.guestFee),
          facilityFees: BigInt(visit.costs.facilityFees),
          foodBeverage: BigInt(visit.costs.foodBeverage),
          other: BigInt(visit.costs.other),
          total: BigInt(visit.costs.total),
          currency: visit.costs.currency,
          homeClubShare: BigInt(visit.costs.homeClubShare),
          memberShare: BigInt(visit.costs.memberShare),
        }
      : undefined,
    notes: visit.notes ?? '',
    createdAt: timestampFromDate(visit.createdAt),
    updatedAt: timestampFromDate(visit.updatedAt),
    ledgerTxId: visit.ledgerTxId ?? '',
    statusReason: visit.statusReason ?? '',
    currency: visit.currency,
    ledgerStatus: visit.ledgerStatus ?? '',
    ledgerRecordedAt: visit.ledgerRecordedAt ? timestampFromDate(visit.ledgerRecordedAt) : undefined,
    ledgerFact: visit.ledgerFact ?? '',
    ledgerBlockNumber: visit.ledgerBlockNumber === null ? undefined : BigInt(visit.ledgerBlockNumber),
    ledgerConfirmedAt: visit.ledgerConfirmedAt ? timestampFromDate(visit.ledgerConfirmedAt) : undefined,
    ledgerError: visit.ledgerError ?? '',
  });
}
