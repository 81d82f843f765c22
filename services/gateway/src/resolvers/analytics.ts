import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { AnalyticsService, GetAnalyticsResponse, MonthCount } from '@clubland/contract/analytics/v1';
import { invalidInput } from '@clubland/errors';
import type { Client } from '@connectrpc/connect';
import type { ClubVisitCountResolvers, QueryResolvers } from '../generated/graphql.ts';
import { callerContextOf } from './members.ts';

/**
 * Analytics: GraphQL in, AnalyticsService RPC out. The analytics service authorises (analytics:read
 * at the club; the network for a network admin) and checks the range; here only shapes change. A
 * destination's club comes from the member service's registry through the request's club loader,
 * so ten destinations cost one batched call.
 */

type AnalyticsClient = Client<typeof AnalyticsService>;

/** A destination as the service answers it: the parent of the `ClubVisitCount` resolvers. */
export interface DestinationModel {
  clubId: string;
  count: number;
}

const monthsOf = (months: readonly MonthCount[]) => months.map(({ month, count }) => ({ month, count }));

/** Output guard: exactly the fields the SDL declares. */
function reportOf(report: GetAnalyticsResponse) {
  const { visits, members, reciprocals } = report;
  if (!visits || !members || !reciprocals) throw new Error('the analytics service answered without figures');
  return {
    visits: {
      totalVisits: visits.totalVisits,
      monthlyVisits: monthsOf(visits.monthlyVisits),
      topDestinations: visits.topDestinations.map(
        ({ clubId, count }): DestinationModel => ({ clubId, count }),
      ),
      averageVisitDuration: visits.averageVisitMinutes ?? null,
    },
    members: {
      totalMembers: members.totalMembers,
      activeMembers: members.activeMembers,
      newMembersThisMonth: members.newMembersThisMonth,
      membershipDistribution: members.membershipDistribution.map(({ type, count }) => ({ type, count })),
    },
    reciprocals: {
      totalAgreements: reciprocals.totalAgreements,
      activeAgreements: reciprocals.activeAgreements,
      pendingAgreements: reciprocals.pendingAgreements,
      monthlyReciprocalUsage: monthsOf(reciprocals.monthlyReciprocalUsage),
    },
  };
}

export function analyticsResolvers(clients: { analytics: AnalyticsClient }): {
  Query: Pick<QueryResolvers, 'analytics'>;
  ClubVisitCount: ClubVisitCountResolvers;
} {
  return {
    Query: {
      async analytics(_root, args, { caller }) {
        // Absent: the caller's own scope; named, a club, never the empty string's fallback to it.
        if (args.clubId === '') throw invalidInput('clubId', 'clubId must name a club');
        const response = await clients.analytics.getAnalytics({
          caller: callerContextOf(await caller.requirePrincipal()),
          clubId: args.clubId ?? '',
          ...(args.startDate ? { startDate: timestampFromDate(args.startDate) } : {}),
          ...(args.endDate ? { endDate: timestampFromDate(args.endDate) } : {}),
        });
        return reportOf(response);
      },
    },
    ClubVisitCount: {
      club: (parent, _args, context) => context.loaders.club(parent.clubId),
      clubName: async (parent, _args, context) => (await context.loaders.club(parent.clubId))?.name ?? null,
    },
  };
}
