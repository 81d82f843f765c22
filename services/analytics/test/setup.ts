import type { EventEnvelope } from '@clubland/bus';
import { AnalyticsService } from '@clubland/contract/analytics/v1';
import { memberCreated, memberStatusChanged, memberUpdated } from '@clubland/contract/events/member';
import { agreementStatusChanged, visitStatusChanged } from '@clubland/contract/events/reciprocal';
import { migrate } from '@clubland/db';
import { createLoopbackTransport, createRpcClient } from '@clubland/rpc';
import pino from 'pino';
import { v7 as uuidv7 } from 'uuid';
// The real member service owns clubs (and their time zones); this service asks it over RPC.
import { networkAdminCaller, setupMemberService } from '../../member/test/setup.ts';
import { createAnalyticsService } from '../src/index.ts';

export { callerOf, eventually, networkAdminCaller, principalWith } from '../../member/test/setup.ts';

/**
 * The analytics service on the member service's fresh database (PGlite, or a new PostgreSQL
 * database when DATABASE_URL is set) and in-process bus, with a real RPC client over a loopback
 * transport. Facts arrive as the other services announce them: events published on the bus, built
 * from the contract's definitions (`facts` below), so a test states exactly what happened and when.
 */
export async function setupAnalyticsService(options: { clock?: () => Date } = {}) {
  const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
  const members = await setupMemberService();
  const service = await createAnalyticsService({
    db: members.db,
    bus: members.bus,
    log,
    clubDirectory: members.directory,
    timeZoneTtlMs: 0,
    // Rollups recounted in the consumer's transaction: a test reads them as soon as its events are in
    // (the deferred recount has its own test).
    rollupIntervalMs: 0,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  await migrate(members.db, { schema: service.schema, migrations: service.migrations });
  await service.start();
  const analytics = createRpcClient(AnalyticsService, createLoopbackTransport(service.register, log));
  let clubs = 0;

  return {
    db: members.db,
    bus: members.bus,
    service,
    analytics,
    /** A club in `timezone` (default UTC); returns its id. */
    async seedClub(name: string, timezone = 'UTC'): Promise<string> {
      clubs += 1;
      const { club } = await members.clubRegistry.createClub({
        name,
        slug: `analytics-${clubs}-${uuidv7().slice(-8)}`,
        timezone,
        caller: networkAdminCaller(),
      });
      return club!.id;
    },
    /** Publishes events as their services would (through their outbox relays). */
    publish: (events: readonly EventEnvelope[]) => members.bus.publish(events),
    async close() {
      await service.stop();
      await members.close();
    },
  };
}

export type AnalyticsHarness = Awaited<ReturnType<typeof setupAnalyticsService>>;

/** Events of the facts the service follows, built from the contract as their publishers build them. */
export const facts = {
  visit(input: {
    visitId?: string;
    homeClubId: string;
    hostClubId: string;
    to: 'CHECKED_IN' | 'CHECKED_OUT' | 'CANCELLED';
    checkedInAt: string;
    checkedOutAt?: string;
    changedAt?: string;
  }): EventEnvelope {
    const visitId = input.visitId ?? uuidv7();
    const changedAt = input.changedAt ?? input.checkedOutAt ?? input.checkedInAt;
    return visitStatusChanged.build({
      tenantId: input.hostClubId,
      correlationId: null,
      data: {
        visitId,
        homeClubId: input.homeClubId,
        hostClubId: input.hostClubId,
        memberId: uuidv7(),
        memberUserId: null,
        agreementId: uuidv7(),
        from: input.to === 'CHECKED_OUT' ? 'CHECKED_IN' : input.to === 'CHECKED_IN' ? null : 'CHECKED_IN',
        to: input.to,
        reason: null,
        changedBy: null,
        changedAt,
        checkedInAt: input.checkedInAt,
        checkedOutAt: input.checkedOutAt ?? null,
      },
    });
  },
  /** A member joined at `joinedAt` (the event's occurredAt). */
  memberCreated(
    clubId: string,
    membershipType: string,
    options: { status?: 'ACTIVE' | 'PENDING'; memberId?: string; joinedAt?: Date } = {},
  ) {
    const memberId = options.memberId ?? uuidv7();
    const joinedAt = options.joinedAt ?? new Date();
    return memberCreated.build(
      {
        tenantId: clubId,
        correlationId: null,
        data: {
          memberId,
          clubId,
          memberNumber: memberId.slice(-6),
          membershipType,
          status: options.status ?? 'ACTIVE',
          userId: null,
        },
      },
      { clock: () => joinedAt },
    );
  },
  memberStatus(
    clubId: string,
    memberId: string,
    from: 'ACTIVE' | 'PENDING',
    to: 'ACTIVE' | 'INACTIVE' | 'SUSPENDED',
  ) {
    return memberStatusChanged.build({
      tenantId: clubId,
      correlationId: null,
      data: {
        memberId,
        clubId,
        from,
        to,
        reason: 'test',
        changedBy: uuidv7(),
        changedAt: new Date().toISOString(),
      },
    });
  },
  membershipType(clubId: string, memberId: string, membershipType: string) {
    return memberUpdated.build({
      tenantId: clubId,
      correlationId: null,
      data: { memberId, clubId, fields: ['membershipType'], membershipType },
    });
  },
  agreement(
    proposerClubId: string,
    partnerClubId: string,
    to: 'PENDING' | 'APPROVED' | 'ACTIVE' | 'DRAFT' | 'TERMINATED',
    agreementId = uuidv7(),
    changedAt = new Date().toISOString(),
  ) {
    return agreementStatusChanged.build({
      tenantId: proposerClubId,
      correlationId: null,
      data: {
        agreementId,
        proposerClubId,
        partnerClubId,
        from: null,
        to,
        reason: null,
        changedBy: null,
        changedAt,
        startsOn: '2026-01-01',
        endsOn: null,
        allowedFacilities: [],
      },
    });
  },
};
