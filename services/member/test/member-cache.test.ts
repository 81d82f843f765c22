import { MemberService, MemberStatus } from '@clubland/contract/member/v1/members';
import { createLoopbackTransport, createRpcClient } from '@clubland/rpc';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemberService } from '../src/index.ts';
import {
  callerOf,
  eventually,
  type MemberServiceHarness,
  principalWith,
  setupMemberService,
} from './setup.ts';

/** GetMember reads through the instance's member cache (src/app/member-cache.ts). */
describe('member cache', () => {
  let harness: MemberServiceHarness;
  let clubId: string;
  let memberId: string;
  const admin = () => callerOf(principalWith('CLUB_ADMIN', clubId));
  const read = async (client = harness.members) =>
    (await client.getMember({ caller: admin(), clubId, id: memberId })).member!;
  /** Changes the row behind the service's back, as no use case would. */
  const renameInTable = (firstName: string) =>
    harness.db.withTenant(clubId, (tx) =>
      tx.query('UPDATE member.members SET first_name = $1 WHERE club_id = $2 AND id = $3', [
        firstName,
        clubId,
        memberId,
      ]),
    );

  beforeEach(async () => {
    harness = await setupMemberService();
    clubId = await harness.seedClub();
    const { member } = await harness.members.createMember({
      caller: admin(),
      clubId,
      memberNumber: 'C-1',
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.org',
      membershipType: 'REGULAR',
    });
    memberId = member!.id;
  });
  afterEach(async () => {
    await harness.close();
  });

  it('answers a repeated read from memory', async () => {
    expect((await read()).firstName).toBe('Ada');
    await renameInTable('Eve');
    expect((await read()).firstName).toBe('Ada');
  });

  it('reads its own writes: an update, a status change and an erasure each show on the next read', async () => {
    expect((await read()).firstName).toBe('Ada');
    await harness.members.updateMember({ caller: admin(), clubId, id: memberId, firstName: 'Augusta' });
    expect((await read()).firstName).toBe('Augusta');

    expect((await read()).status).toBe(MemberStatus.PENDING);
    await harness.members.changeMemberStatus({
      caller: admin(),
      clubId,
      id: memberId,
      status: MemberStatus.ACTIVE,
      reason: 'approved',
    });
    expect((await read()).status).toBe(MemberStatus.ACTIVE);

    await harness.members.eraseMember({ caller: admin(), clubId, memberId, reason: 'asked to' });
    expect(await read()).toMatchObject({ firstName: '', lastName: '', email: '' });
  });

  it("forgets a member another instance wrote once that write's event arrives", async () => {
    // A second instance of the service on the same database and bus, as when scaled out.
    const log = pino({ level: 'silent' });
    const other = await createMemberService({
      db: harness.db,
      bus: harness.bus,
      log,
      accounts: harness.accounts,
      outboxPollIntervalMs: 50,
    });
    await other.start();
    try {
      const otherMembers = createRpcClient(MemberService, createLoopbackTransport(other.register, log));
      expect((await read()).firstName).toBe('Ada');
      await otherMembers.updateMember({ caller: admin(), clubId, id: memberId, firstName: 'Augusta' });
      await eventually(() =>
        expect(harness.published.map((event) => event.type)).toContain('member.updated'),
      );
      await expect.poll(async () => (await read()).firstName, { timeout: 5000 }).toBe('Augusta');
    } finally {
      await other.stop();
    }
  });

  it('with a TTL of 0 reads the table every time', async () => {
    const log = pino({ level: 'silent' });
    const uncached = await createMemberService({
      db: harness.db,
      bus: harness.bus,
      log,
      accounts: harness.accounts,
      memberCacheTtlMs: 0,
    });
    const members = createRpcClient(MemberService, createLoopbackTransport(uncached.register, log));
    expect((await read(members)).firstName).toBe('Ada');
    await renameInTable('Eve');
    expect((await read(members)).firstName).toBe('Eve');
  });
});
