import { randomUUID } from 'node:crypto';
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
    user = await harness.account(clubId);
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

  async function memberRows() {
    const { rows } = await harness.db.asOwner((tx) =>
      tx.query<{ id: string }>('SELECT id, user_id FROM member.members ORDER BY id'),
    );
    return rows;
  }

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
    // To another member the record reads as missing (no probing of ids); staff know it exists.
    await expect(
      harness.members.exportMember({ caller: callerOf(principalWith('MEMBER', clubId)), memberId }),
    ).rejects.toMatchObject({ code: 'entity.not_found' });
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

  it('erases once: the person’s reviews show “Former member” at every club; a second request changes nothing and announces nothing', async () => {
    const visited = [await harness.seedClub(), await harness.seedClub()];
    for (const club of visited) {
      await harness.directory.reviewClub({
        caller: callerOf(user),
        clubId: club,
        rating: 4,
        comment: 'Fine.',
        author: 'Rosalind F.',
      });
    }
    const { member: first } = await harness.members.eraseMember({ caller: admin, memberId, reason: 'asked' });
    for (const club of visited) {
      const { reviews } = await harness.directory.listClubReviews({ clubId: club });
      expect(reviews.map((review) => [review.author, review.rating, review.comment])).toEqual([
        ['Former member', 4, 'Fine.'],
      ]);
    }
    await eventually(() =>
      expect(harness.published.filter((e) => e.type === 'member.erased')).toEqual([
        expect.objectContaining({ data: expect.objectContaining({ memberId, clubId, userId: user.userId }) }),
      ]),
    );

    const { member: again } = await harness.members.eraseMember({ caller: admin, memberId, reason: 'again' });
    expect(again?.erasedAt).toEqual(first?.erasedAt);
    expect((await audit()).map((entry) => entry.action)).toEqual(['ERASE']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(harness.published.filter((e) => e.type === 'member.erased')).toHaveLength(1);
  });

  it('links a record only to an account of the club; a stranger’s or an unknown id is BAD_USER_INPUT and changes nothing', async () => {
    const otherClub = await harness.seedClub();
    const stranger = await harness.account(otherClub);
    const before = await memberRows();
    for (const userId of [stranger.userId, '0190b7a6-0000-7000-8000-0000000000ff']) {
      await expect(
        harness.members.createMember({
          caller: admin,
          memberNumber: 'G-2',
          userId,
          firstName: 'Eve',
          lastName: 'Dropper',
          email: 'eve@example.org',
          membershipType: 'REGULAR',
        }),
      ).rejects.toMatchObject({ code: 'request.invalid_input', details: { field: 'userId' } });
    }
    expect(await memberRows()).toEqual(before);
    // A record not linked to any account yet stays possible.
    await expect(
      harness.members.createMember({
        caller: admin,
        memberNumber: 'G-3',
        firstName: 'Unlinked',
        lastName: 'Member',
        email: 'unlinked@example.org',
        membershipType: 'REGULAR',
      }),
    ).resolves.toMatchObject({ member: { userId: '' } });
  });

  it('exports to the club only what concerns the club; the person’s own export holds everything', async () => {
    const elsewhere = await harness.seedClub();
    // A member of another club who also belongs here: reviews and favourites both clubs.
    const home = await harness.seedClub();
    const account = await harness.account(home);
    // As accepting an invitation to this club leaves it: the invitation redeemed, MEMBER here.
    await harness.db.asOwner(async (tx) => {
      await tx.query(
        `INSERT INTO auth.club_invitations (id, token_hash, club_id, email, role, created_at, expires_at, accepted_at, accepted_by)
         VALUES ($1, $2, $3, 'traveller@example.org', 'MEMBER', now(), now() + interval '1 day', now(), $4)`,
        [randomUUID(), 'a'.repeat(64), clubId, account.userId],
      );
      await tx.query(
        `INSERT INTO auth.role_grants (id, user_id, role, club_id, granted_at) VALUES ($1, $2, 'MEMBER', $3, now())`,
        [randomUUID(), account.userId, clubId],
      );
    });
    const traveller = { ...account, grants: [...account.grants, { role: 'MEMBER' as const, clubId }] };
    const { member } = await harness.members.createMember({
      caller: admin,
      memberNumber: 'T-1',
      userId: traveller.userId,
      firstName: 'Isabella',
      lastName: 'Bird',
      email: 'isabella@example.org',
      membershipType: 'REGULAR',
    });
    const travellerCaller = callerOf(traveller);
    for (const club of [clubId, elsewhere]) {
      await harness.directory.reviewClub({
        caller: travellerCaller,
        clubId: club,
        rating: 4,
        comment: 'Fine.',
      });
      await harness.directory.toggleFavouriteClub({ caller: travellerCaller, clubId: club });
    }

    const clubExport = JSON.parse(
      (await harness.members.exportMember({ caller: admin, memberId: member!.id })).json,
    );
    expect(clubExport.reviews.map((review: { clubId: string }) => review.clubId)).toEqual([clubId]);
    expect(clubExport.favouriteClubIds).toEqual([clubId]);

    const own = JSON.parse(
      (await harness.members.exportMember({ caller: travellerCaller, clubId, memberId: member!.id })).json,
    );
    expect(own.reviews.map((review: { clubId: string }) => review.clubId).sort()).toEqual(
      [clubId, elsewhere].sort(),
    );
    expect([...own.favouriteClubIds].sort()).toEqual([clubId, elsewhere].sort());
  });

  it('keeps the audit append-only for the application role', async () => {
    await harness.members.exportMember({ caller: admin, memberId });
    await expect(
      harness.db.withTenant(clubId, (tx) => tx.query('DELETE FROM member.privacy_audit')),
    ).rejects.toThrow();
    expect(await audit()).toHaveLength(1);
  });
});
