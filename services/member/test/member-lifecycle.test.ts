import { MemberStatus } from '@clubland/contract/member/v1/members';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callerOf,
  eventually,
  type MemberServiceHarness,
  principalWith,
  setupMemberService,
} from './setup.ts';

type Status = 'PENDING' | 'ACTIVE' | 'SUSPENDED' | 'EXPIRED' | 'INACTIVE';
const STATUSES: Status[] = ['PENDING', 'ACTIVE', 'SUSPENDED', 'EXPIRED', 'INACTIVE'];
const LEGAL = new Set([
  'PENDING>ACTIVE',
  'PENDING>INACTIVE',
  'ACTIVE>SUSPENDED',
  'ACTIVE>EXPIRED',
  'ACTIVE>INACTIVE',
  'SUSPENDED>ACTIVE',
  'SUSPENDED>EXPIRED',
  'SUSPENDED>INACTIVE',
  'EXPIRED>ACTIVE',
  'EXPIRED>INACTIVE',
]);
/** A legal route from PENDING to each status. */
const ROUTE: Record<Status, Status[]> = {
  PENDING: [],
  ACTIVE: ['ACTIVE'],
  SUSPENDED: ['ACTIVE', 'SUSPENDED'],
  EXPIRED: ['ACTIVE', 'EXPIRED'],
  INACTIVE: ['INACTIVE'],
};

describe('member lifecycle over RPC', () => {
  let harness: MemberServiceHarness;
  let clubId: string;
  let admin: ReturnType<typeof callerOf>;
  let number = 0;
  let legalMade = 0;

  beforeAll(async () => {
    harness = await setupMemberService();
    clubId = await harness.seedClub();
    admin = callerOf(principalWith('CLUB_ADMIN', clubId));
  });
  afterAll(async () => {
    await harness.close();
  });

  async function memberIn(status: Status): Promise<string> {
    number += 1;
    const { member } = await harness.members.createMember({
      caller: admin,
      memberNumber: `L-${number}`,
      firstName: 'Grace',
      lastName: 'Hopper',
      email: 'grace@example.org',
      membershipType: 'REGULAR',
    });
    for (const step of ROUTE[status]) {
      await harness.members.changeMemberStatus({
        caller: admin,
        id: member!.id,
        status: MemberStatus[step],
        reason: `to ${step}`,
      });
      legalMade += 1;
    }
    return member!.id;
  }

  async function snapshot(memberId: string) {
    const { rows } = await harness.db.asOwner((tx) =>
      tx.query<{ status: string; changes: number; events: number; updated: Date }>(
        `SELECT m.status, m.updated_at AS updated,
           (SELECT count(*)::int FROM member.status_changes WHERE member_id = m.id) AS changes,
           (SELECT count(*)::int FROM member.outbox WHERE type = 'member.status_changed') AS events
         FROM member.members m WHERE m.id = $1`,
        [memberId],
      ),
    );
    return rows[0]!;
  }

  const pairs = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as const));

  it.each(pairs.filter(([from, to]) => !LEGAL.has(`${from}>${to}`)))(
    'refuses %s -> %s with CONFLICT and changes nothing',
    async (from, to) => {
      const id = await memberIn(from);
      const before = await snapshot(id);
      await expect(
        harness.members.changeMemberStatus({ caller: admin, id, status: MemberStatus[to], reason: 'try' }),
      ).rejects.toMatchObject({ code: 'member.transition_refused', details: { from, to } });
      expect(await snapshot(id)).toEqual(before);
    },
  );

  it.each(pairs.filter(([from, to]) => LEGAL.has(`${from}>${to}`)))(
    'allows %s -> %s, recording who, why and when',
    async (from, to) => {
      const id = await memberIn(from);
      const { member, change } = await harness.members.changeMemberStatus({
        caller: admin,
        id,
        status: MemberStatus[to],
        reason: `because ${to}`,
      });
      legalMade += 1;
      expect(member?.status).toBe(MemberStatus[to]);
      expect(change).toMatchObject({
        fromStatus: MemberStatus[from],
        toStatus: MemberStatus[to],
        reason: `because ${to}`,
      });
      const { changes } = await harness.members.listStatusChanges({ caller: admin, memberId: id });
      expect(changes[0]).toMatchObject({ toStatus: MemberStatus[to], reason: `because ${to}` });
      expect(changes).toHaveLength(ROUTE[from].length + 1);
    },
  );

  it('refuses a transition without a reason, and one by staff (member:write is the admins’)', async () => {
    const id = await memberIn('PENDING');
    await expect(
      harness.members.changeMemberStatus({ caller: admin, id, status: MemberStatus.ACTIVE, reason: '  ' }),
    ).rejects.toMatchObject({ code: 'request.invalid_input', details: { field: 'reason' } });
    await expect(
      harness.members.changeMemberStatus({
        caller: callerOf(principalWith('STAFF', clubId)),
        id,
        status: MemberStatus.ACTIVE,
        reason: 'ok',
      }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
  });

  it('published member.status_changed exactly once per legal transition, and for nothing else', async () => {
    expect(legalMade).toBeGreaterThan(10);
    await eventually(() =>
      expect(harness.published.filter((event) => event.type === 'member.status_changed')).toHaveLength(
        legalMade,
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(harness.published.filter((event) => event.type === 'member.status_changed')).toHaveLength(
      legalMade,
    );
    const { rows } = await harness.db.asOwner((tx) =>
      tx.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM member.outbox WHERE type = 'member.status_changed'`,
      ),
    );
    expect(rows[0]!.n).toBe(legalMade);
  });
});
