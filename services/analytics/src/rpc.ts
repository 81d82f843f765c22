import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { principalFromCaller } from '@clubland/authz';
import { AnalyticsService } from '@clubland/contract/analytics/v1';
import type { ConnectRouter } from '@connectrpc/connect';
import type { AnalyticsDeps, UseCaseContext } from './app/deps.ts';
import { getAnalytics } from './app/get-analytics.ts';

/** Maps protobuf messages to use cases and back. Thin on purpose: no rules live here. */
export function registerAnalyticsRpc(
  router: ConnectRouter,
  deps: AnalyticsDeps,
  world: Pick<UseCaseContext, 'clock'>,
): void {
  router.service(AnalyticsService, {
    async getAnalytics(request, handler) {
      const context: UseCaseContext = {
        ...world,
        principal: principalFromCaller(request.caller),
        correlationId: handler.requestHeader.get('x-correlation-id'),
      };
      const report = await getAnalytics(deps, context, {
        clubId: request.clubId === '' ? null : request.clubId,
        startDate: request.startDate ? timestampDate(request.startDate) : null,
        endDate: request.endDate ? timestampDate(request.endDate) : null,
      });
      // Output guard: exactly the message's fields, each named.
      return {
        clubId: report.clubId ?? '',
        timeZone: report.timeZone,
        startDate: timestampFromDate(report.from),
        endDate: timestampFromDate(report.to),
        visits: {
          totalVisits: report.visits.totalVisits,
          monthlyVisits: report.visits.monthlyVisits.map(({ month, count }) => ({ month, count })),
          topDestinations: report.visits.topDestinations.map(({ clubId, count }) => ({ clubId, count })),
          ...(report.visits.averageVisitMinutes === null
            ? {}
            : { averageVisitMinutes: report.visits.averageVisitMinutes }),
        },
        members: {
          totalMembers: report.members.totalMembers,
          activeMembers: report.members.activeMembers,
          newMembersThisMonth: report.members.newMembersThisMonth,
          membershipDistribution: report.members.membershipDistribution.map(({ type, count }) => ({
            type,
            count,
          })),
        },
        reciprocals: {
          totalAgreements: report.reciprocals.totalAgreements,
          activeAgreements: report.reciprocals.activeAgreements,
          pendingAgreements: report.reciprocals.pendingAgreements,
          monthlyReciprocalUsage: report.reciprocals.monthlyReciprocalUsage.map(({ month, count }) => ({
            month,
            count,
          })),
        },
      };
    },
  });
}
