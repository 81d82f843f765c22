import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  callerOf,
  eventually,
  type MemberServiceHarness,
  principalWith,
  setupMemberService,
} from './setup.ts';

describe('member privacy requests', () => {
  let harness: MemberServiceHarness;
  let clubId: string;
  let admin: ReturnType<typeof callerOf>;
  let user: ReturnType<typeof principalWith>;
  let memberId: string;

  beforeEach(async () => {
    harness = await setupMemberService();
    clubId = await harness.seedClub();
    admin = callerOf(principalWith('CLUB_ADMIN', clubId));
    user = principalWith('MEMBER', clubId);
    const { member } = await harness.members.createMember({
      caller: admin,
      memberNumber: 'G-1',
      userId: user.userId,
      firstName: 'Rosalind',
      lastName: 'Franklin',
      email: 'rosalind@example.org',
      phone: '+44 1223 000000',
      dateOfBirth: '1920-07-25',
      membershipType: 'REGULAR',
      address: {
        street: '1 King’s Parade',
        city: 'Cambridge',
        state: '',
        postalCode: 'CB2 1ST',
        country: 'UK',
      },
      notes: 'Board member.',
    });
    memberId = member!.id;
  });
  afterEach(async () => {
    await harness.close();
  });

  async function audit() {
    const { rows } = await harness.db.asOwner((tx) =>
      tx.query<{ action: string; actor: string }>(
        'SELECT action, actor_user_id AS actor FROM member.privacy_audit WHERE member_id = $1 ORDER BY at, id',
        [memberId],
      ),
    );
    return rows;
  }

  it('exports everything held about the member, to the member themself, and audits it', async () => {
    const { json } = await harness.members.exportMember({ caller: callerOf(user), memberId });
    const document = JSON.parse(json);
    expect(document.member).toMatchObject({
      id: memberId,
      firstName: 'Rosalind',
      email: 'rosalind@example.org',
      dateOfBirth: '1920-07-25',
      address: { city: 'Cambridge' },
      ledgerIdentity: `did:clubland:member:${memberId}`,
    });
    expect(document).toHaveProperty('statusHistory');
    expect(document.privacyAudit).toHaveLength(1);
    expect(await audit()).toEqual([{ action: 'EXPORT', actor: user.userId }]);
  });

  it('refuses exports to staff (member:export is the admins’) and to other members', async () => {
    await expect(
      harness.members.exportMember({ caller: callerOf(principalWith('STAFF', clubId)), memberId }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
    await expect(
      harness.members.exportMember({ caller: callerOf(principalWith('MEMBER', clubId)), memberId }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
    expect(await audit()).toEqual([]);
  });

  it('erases personal fields, keeps ids and the ledger identity, audits and announces it', async () => {
    const { member } = await harness.members.eraseMember({
      caller: admin,
      memberId,
      reason: 'member request (GDPR art. 17)',
    });
    expect(member).toMatchObject({
      id: memberId,
      clubId,
      memberNumber: 'G-1',
      userId: user.userId,
      firstName: '',
      lastName: '',
      email: '',
      phone: '',
      dateOfBirth: '',
      notes: '',
      ledgerIdentity: `did:clubland:member:${memberId}`,
    });
    expect(member?.address).toBeUndefined();
    expect(member?.erasedAt).toBeDefined();
    const { rows } = await harness.db.asOwner((tx) =>
      tx.query('SELECT * FROM member.members WHERE id = $1', [memberId]),
    );
    expect(JSON.stringify(rows[0])).not.toMatch(/Rosalind|Franklin|rosalind@|Cambridge|1920/);
    expect((await audit()).map((entry) => entry.action)).toEqual(['ERASE']);
    await eventually(() => expect(harness.published.some((e) => e.type === 'member.erased')).toBe(true));
    await expect(
      harness.members.updateMember({ caller: admin, id: memberId, firstName: 'Back' }),
    ).rejects.toMatchObject({ code: 'entity.conflict' });
    await expect(
      harness.members.eraseMember({ caller: callerOf(user), memberId, reason: 'me' }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
  });

  it('keeps the audit append-only for the application role', async () => {
    await harness.members.exportMember({ caller: admin, memberId });
    await expect(
      harness.db.withTenant(clubId, (tx) => tx.query('DELETE FROM member.privacy_audit')),
    ).rejects.toThrow();
    expect(await audit()).toHaveLength(1);
  });
});
