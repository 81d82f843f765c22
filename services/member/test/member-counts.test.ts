import { MemberStatus } from '@clubland/contract/member/v1/members';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerOf, type MemberServiceHarness, principalWith, setupMemberService } from './setup.ts';

// The roster's totals come from counters kept by triggers (0007-member-counts.sql), not from
// count(*). Whatever the members go through, every total must equal a count of the rows.

const TYPES = ['REGULAR', 'PREMIUM', 'VIP', 'STUDENT'] as const;
const STATUS_NAMES = ['PENDING', 'ACTIVE', 'SUSPENDED', 'EXPIRED', 'INACTIVE'] as const;

describe('member totals', () => {
  let harness: MemberServiceHarness;
  let clubA: string;
  let clubB: string;

  beforeAll(async () => {
    harness = await setupMemberService();
    clubA = await harness.seedClub();
    clubB = await harness.seedClub();
  });
  afterAll(async () => {
    await harness.close();
  });

  async function create(clubId: string, n: number, type: string): Promise<string> {
    const { member } = await harness.members.createMember({
      caller: callerOf(principalWith('CLUB_ADMIN', clubId)),
      clubId,
      memberNumber: `C-${n}`,
      firstName: 'Ada',
      lastName: `Count${n}`,
      email: `ada${n}@example.org`,
      membershipType: type,
    });
    return member!.id;
  }

  /** Every filter the list takes: none, each status, each type, each status and type. */
  type Filter = { status: (typeof STATUS_NAMES)[number] | null; type: (typeof TYPES)[number] | null };
  const FILTERS: [string, Filter][] = [
    ['all', { status: null, type: null }],
    ...STATUS_NAMES.map((status): [string, Filter] => [status, { status, type: null }]),
    ...TYPES.map((type): [string, Filter] => [type, { status: null, type }]),
    ...STATUS_NAMES.flatMap((status) =>
      TYPES.map((type): [string, Filter] => [`${status}/${type}`, { status, type }]),
    ),
  ];

  /** The total the members list reports for each filter. */
  async function totalsOf(clubId: string) {
    const caller = callerOf(principalWith('CLUB_ADMIN', clubId));
    const totals: Record<string, number> = {};
    for (const [key, { status, type }] of FILTERS) {
      const listed = await harness.members.listMembers({
        caller,
        clubId,
        status: status ? MemberStatus[status] : MemberStatus.UNSPECIFIED,
        membershipType: type ?? '',
        pageSize: 1,
      });
      totals[key] = listed.totalCount;
    }
    return totals;
  }

  /** The same totals counted from the rows themselves. */
  async function countedRows(clubId: string) {
    const { rows } = await harness.db.asOwner((tx) =>
      tx.query<{ status: string; type: string; n: number }>(
        `SELECT status, membership_type AS type, count(*)::int AS n FROM member.members WHERE club_id = $1 GROUP BY 1, 2`,
        [clubId],
      ),
    );
    const totals: Record<string, number> = {};
    for (const [key, { status, type }] of FILTERS) {
      totals[key] = rows
        .filter((row) => (status === null || row.status === status) && (type === null || row.type === type))
        .reduce((total, row) => total + row.n, 0);
    }
    return totals;
  }

  it('equal a count of the rows through creation, status and type changes, edits and bulk writes', async () => {
    const ids: string[] = [];
    for (let n = 0; n < 12; n++) ids.push(await create(clubA, n, TYPES[n % TYPES.length]!));
    for (let n = 100; n < 103; n++) await create(clubB, n, 'VIP');
    expect(await totalsOf(clubA)).toEqual(await countedRows(clubA));

    const admin = callerOf(principalWith('CLUB_ADMIN', clubA));
    const change = (id: string, status: MemberStatus) =>
      harness.members.changeMemberStatus({ caller: admin, clubId: clubA, id, status, reason: 'test' });
    for (const id of ids.slice(0, 8)) await change(id, MemberStatus.ACTIVE);
    for (const id of ids.slice(0, 3)) await change(id, MemberStatus.SUSPENDED);
    await change(ids[3]!, MemberStatus.EXPIRED);
    await change(ids[10]!, MemberStatus.INACTIVE);
    // A type change moves a member between counters; a name change moves nothing.
    await harness.members.updateMember({ caller: admin, clubId: clubA, id: ids[4]!, membershipType: 'VIP' });
    await harness.members.updateMember({ caller: admin, clubId: clubA, id: ids[5]!, lastName: 'Renamed' });
    await harness.members.eraseMember({
      caller: admin,
      clubId: clubA,
      memberId: ids[6]!,
      reason: 'asked to be forgotten',
    });

    const totals = await totalsOf(clubA);
    expect(totals).toEqual(await countedRows(clubA));
    expect(totals).toMatchObject({ all: 12, ACTIVE: 4, SUSPENDED: 3, EXPIRED: 1, INACTIVE: 1, PENDING: 3 });
    expect(await totalsOf(clubB)).toEqual(await countedRows(clubB));

    // Writes that bypass the use cases (an import, a repair script) are counted too, in bulk.
    await harness.db.asOwner(async (tx) => {
      await tx.query(
        `INSERT INTO member.members (id, club_id, member_number, membership_type, status, first_name, last_name,
           preferences, joined_at, ledger_identity, created_at, updated_at)
         SELECT gen_random_uuid(), $1::uuid, 'BULK-' || n, 'STUDENT', 'ACTIVE', 'Bulk', 'Member' || n, '{}',
           now(), 'ledger-bulk-' || $1::text || '-' || n, now(), now()
         FROM generate_series(1, 250) AS n`,
        [clubA],
      );
      await tx.query(
        `UPDATE member.members SET status = 'SUSPENDED' WHERE club_id = $1 AND member_number LIKE 'BULK-1%'`,
        [clubA],
      );
      await tx.query(`DELETE FROM member.members WHERE club_id = $1 AND member_number LIKE 'BULK-2%'`, [
        clubA,
      ]);
    });
    const afterBulk = await totalsOf(clubA);
    expect(afterBulk).toEqual(await countedRows(clubA));
    expect(afterBulk.all).toBeGreaterThan(12);
  });

  it('let concurrent status changes in opposite directions all succeed, without deadlock', async () => {
    const club = await harness.seedClub();
    const ids: string[] = [];
    for (let n = 0; n < 8; n++) ids.push(await create(club, 500 + n, 'REGULAR'));
    const setStatus = (id: string, status: string) =>
      harness.db.withTenant(club, (tx) =>
        tx.query('UPDATE member.members SET status = $3 WHERE club_id = $1 AND id = $2', [club, id, status]),
      );
    for (const [index, id] of ids.entries()) await setStatus(id, index < 4 ? 'ACTIVE' : 'SUSPENDED');
    // Half the members go ACTIVE -> SUSPENDED -> ..., the other half the other way, at once: each
    // change moves a member between the same two counters, in opposite directions. (Statement
    // by statement, as fast as the database takes them: this made PostgreSQL deadlock about one
    // change in eight before the per-club lock of 0008.)
    const flips = ids.map(async (id, index) => {
      const order = index < 4 ? ['SUSPENDED', 'ACTIVE'] : ['ACTIVE', 'SUSPENDED'];
      for (let round = 0; round < 40; round++) await setStatus(id, order[round % 2]!);
    });
    const outcomes = await Promise.allSettled(flips);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    const totals = await totalsOf(club);
    expect(totals).toEqual(await countedRows(club));
    expect(totals).toMatchObject({ ACTIVE: 4, SUSPENDED: 4 });
  });

  it('are kept per club: the counters are tenant rows under row-level security', async () => {
    const { rows } = await harness.db.withTenant(clubB, (tx) =>
      tx.query<{ club_id: string }>('SELECT DISTINCT club_id FROM member.member_counts'),
    );
    expect(rows.map((row) => row.club_id)).toEqual([clubB]);
  });
});
