import type { Principal } from '@clubland/authz';
import type { EventEnvelope } from '@clubland/bus';
import { GovernanceService } from '@clubland/contract/governance/v1';
import { PolicyService } from '@clubland/contract/governance/v1/policies';
import { MemberService, MemberStatus } from '@clubland/contract/member/v1/members';
import { migrate } from '@clubland/db';
import { createLoopbackTransport, createRpcClient } from '@clubland/rpc';
import pino from 'pino';
// The real member service (and the auth service behind it) owns clubs and members; this service
// asks it over RPC, as in production.
import { callerOf, principalWith, setupMemberService } from '../../member/test/setup.ts';
import { createGovernanceService, type GovernanceServiceOptions } from '../src/index.ts';

export { callerOf, eventually, networkAdminCaller, principalWith } from '../../member/test/setup.ts';

/**
 * The governance service on the member service's fresh database (PGlite, or a new PostgreSQL
 * database when DATABASE_URL is set) and in-process bus, with real RPC clients over loopback
 * transports. `published` collects every event its outbox delivers. `clock` moves with `advance`.
 */
export async function setupGovernanceService() {
  const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
  let offsetMs = 0;
  const clock = () => new Date(Date.now() + offsetMs);
  const members = await setupMemberService();
  const memberTransport = createLoopbackTransport(members.service.register, log);
  const serviceOptions: GovernanceServiceOptions = {
    db: members.db,
    bus: members.bus,
    log,
    outboxPollIntervalMs: 50,
    members: createRpcClient(MemberService, memberTransport),
    clubDirectory: members.directory,
    clock,
    scheduleIntervalMs: 0,
  };
  const service = await createGovernanceService(serviceOptions);
  await migrate(members.db, { schema: service.schema, migrations: service.migrations });
  await service.start();

  const published: EventEnvelope[] = [];
  const subscription = await members.bus.subscribe({
    consumer: 'governance-test-observer',
    types: ['proposal.*', 'vote.*', 'policy.*', 'ledger.entry_requested'],
    handler: async (event) => {
      published.push(event);
    },
  });
  let numbers = 0;
  return {
    db: members.db,
    bus: members.bus,
    service,
    serviceOptions,
    published,
    memberService: members,
    governance: createRpcClient(GovernanceService, createLoopbackTransport(service.register, log)),
    policies: createRpcClient(PolicyService, createLoopbackTransport(service.register, log)),
    seedClub: (name?: string) => members.seedClub(name),
    /** Moves the service's clock on by `ms`. */
    advance(ms: number) {
      offsetMs += ms;
    },
    /**
     * An officer of the club: a real account holding `role` there, with an ACTIVE member record
     * linked to it (a club acts through its members).
     */
    async officer(
      clubId: string,
      role: 'CLUB_ADMIN' | 'MEMBER' | 'STAFF' = 'CLUB_ADMIN',
    ): Promise<Principal & { memberId: string }> {
      const account = await members.account(clubId);
      numbers += 1;
      const admin = callerOf(principalWith('CLUB_ADMIN', clubId));
      const { member } = await members.members.createMember({
        caller: admin,
        clubId,
        memberNumber: `G-${numbers}`,
        userId: account.userId,
        firstName: `Officer${numbers}`,
        lastName: 'Jones',
        email: `officer-${numbers}-${clubId.slice(0, 8)}@example.org`,
        membershipType: 'REGULAR',
      });
      await members.members.changeMemberStatus({
        caller: admin,
        clubId,
        id: member!.id,
        status: MemberStatus.ACTIVE,
        reason: 'joined',
      });
      return { ...principalWith(role, clubId, account.userId), memberId: member!.id };
    },
    async close() {
      await subscription.close();
      await service.stop();
      await members.close();
    },
  };
}

export type GovernanceHarness = Awaited<ReturnType<typeof setupGovernanceService>>;
