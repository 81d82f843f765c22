import { MemberStatus } from '@clubland/contract/member/v1/members';
import type { Tx } from '@clubland/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  callerOf,
  eventually,
  type MemberServiceHarness,
  principalWith,
  setupMemberService,
} from './setup.ts';

const ada = {
  memberNumber: 'M-0001',
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@example.org',
  phone: '+44 20 7946 0000',
  dateOfBirth: '1815-12-10',
  membershipType: 'premium',
  address: {
    street: '12 St James Sq',
    city: 'London',
    state: '',
    postalCode: 'SW1Y 4LB',
    country: 'United Kingdom',
  },
  emergencyContact: { name: 'Charles Babbage', relationship: 'friend', phone: '+44 20 7946 0001', email: '' },
  preferences: {
    receiveNewsletter: true,
    preferredLanguage: 'en-GB',
    interests: { values: ['mathematics'] },
  },
  notes: 'Prefers the library.',
};

describe('members over RPC', () => {
  let harness: MemberServiceHarness;
  let clubA: string;
  let clubB: string;
  beforeEach(async () => {
    harness = await setupMemberService();
    clubA = await harness.seedClub('Reform');
    clubB = await harness.seedClub('Athenaeum');
  });
  afterEach(async () => {
    await harness.close();
  });

  it('creates a PENDING member with defaults, reads it by id and number, and publishes member.created', async () => {
    const admin = callerOf(principalWith('CLUB_ADMIN', clubA));
    const { member } = await harness.members.createMember({ caller: admin, ...ada });
    expect(member).toMatchObject({
      clubId: clubA,
      memberNumber: 'M-0001',
      membershipType: 'PREMIUM',
      status: MemberStatus.PENDING,
      dateOfBirth: '1815-12-10',
      address: { city: 'London' },
      preferences: {
        receiveNewsletter: true,
        receivePromotions: false,
        preferredLanguage: 'en-GB',
        interests: ['mathematics'],
      },
      ledgerIdentity: `did:clubland:member:${member!.id}`,
    });
    const staff = callerOf(principalWith('STAFF', clubA));
    const byId = await harness.members.getMember({ caller: staff, id: member!.id });
    expect(byId.member?.email).toBe('ada@example.org');
    const byNumber = await harness.members.getMemberByNumber({ caller: staff, memberNumber: 'M-0001' });
    expect(byNumber.member?.id).toBe(member!.id);
    await eventually(() =>
      expect(harness.published.filter((e) => e.type === 'member.created')).toHaveLength(1),
    );
    const event = harness.published.find((e) => e.type === 'member.created')!;
    expect(event).toMatchObject({ tenantId: clubA, data: { memberId: member!.id, status: 'PENDING' } });
    expect(JSON.stringify(event.data)).not.toContain('Lovelace');
  });

  it("answers the notification service how to reach a member, in the member's club only; erased or unknown: not found", async () => {
    const admin = callerOf(principalWith('CLUB_ADMIN', clubA));
    const { member } = await harness.members.createMember({ caller: admin, ...ada });
    const id = member!.id;
    expect(await harness.members.getMemberContact({ clubId: clubA, id })).toEqual(
      expect.objectContaining({
        found: true,
        userId: '',
        phone: '+44 20 7946 0000',
        preferredLanguage: 'en-GB',
      }),
    );
    // Asked in another club's name, the record is not there (its tenant transaction sees none).
    expect((await harness.members.getMemberContact({ clubId: clubB, id })).found).toBe(false);
    // A change is answered at once (the member cache forgets the record on update).
    await harness.members.updateMember({
      caller: admin,
      clubId: clubA,
      id,
      phone: '+33 1 23 45 67 89',
      preferences: { preferredLanguage: 'fr' },
    });
    expect(await harness.members.getMemberContact({ clubId: clubA, id })).toEqual(
      expect.objectContaining({ found: true, phone: '+33 1 23 45 67 89', preferredLanguage: 'fr' }),
    );
    await harness.members.eraseMember({ caller: admin, clubId: clubA, memberId: id, reason: 'asked to' });
    expect(await harness.members.getMemberContact({ clubId: clubA, id })).toEqual(
      expect.objectContaining({ found: false, phone: '', preferredLanguage: '' }),
    );
    await expect(harness.members.getMemberContact({ clubId: clubA, id: 'not-a-uuid' })).rejects.toMatchObject(
      {
        details: { field: 'id' },
      },
    );
  });

  it('refuses a member number taken in the club but allows it in another club', async () => {
    await harness.members.createMember({ caller: callerOf(principalWith('CLUB_ADMIN', clubA)), ...ada });
    await expect(
      harness.members.createMember({
        caller: callerOf(principalWith('CLUB_ADMIN', clubA)),
        ...ada,
        email: 'x@example.org',
      }),
    ).rejects.toMatchObject({ code: 'member.number_taken', details: { field: 'memberNumber' } });
    const { member } = await harness.members.createMember({
      caller: callerOf(principalWith('CLUB_ADMIN', clubB)),
      ...ada,
    });
    expect(member?.clubId).toBe(clubB);
  });

  it('refuses bad input naming the field and writes nothing', async () => {
    const admin = callerOf(principalWith('CLUB_ADMIN', clubA));
    await expect(
      harness.members.createMember({ caller: admin, ...ada, email: 'not-an-email' }),
    ).rejects.toMatchObject({
      code: 'request.invalid_input',
      details: { field: 'email' },
    });
    await expect(
      harness.members.createMember({ caller: admin, ...ada, membershipType: 'GOLD' }),
    ).rejects.toMatchObject({
      details: { field: 'membershipType' },
    });
    await expect(
      harness.members.createMember({ caller: admin, ...ada, address: { ...ada.address, city: '' } }),
    ).rejects.toMatchObject({ details: { field: 'address.city' } });
    const { rows } = await harness.db.asOwner((tx) =>
      tx.query<{ n: number }>('SELECT count(*)::int AS n FROM member.members'),
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('updates only the fields given, merges preferences, and announces the changed field names (and the new membership type)', async () => {
    const admin = callerOf(principalWith('CLUB_ADMIN', clubA));
    const { member } = await harness.members.createMember({ caller: admin, ...ada });
    const { member: updated } = await harness.members.updateMember({
      caller: admin,
      id: member!.id,
      phone: '',
      membershipType: 'VIP',
      preferences: { receivePromotions: true },
    });
    expect(updated).toMatchObject({
      firstName: 'Ada',
      phone: '',
      membershipType: 'VIP',
      preferences: { receiveNewsletter: true, receivePromotions: true },
    });
    await eventually(() =>
      expect(harness.published.filter((e) => e.type === 'member.updated')).toHaveLength(1),
    );
    const announced = harness.published.find((e) => e.type === 'member.updated')?.data;
    expect(announced).toMatchObject({
      fields: ['phone', 'membershipType', 'preferences'],
      membershipType: 'VIP',
    });
    // The personal fields' values never travel.
    expect(JSON.stringify(announced)).not.toContain('receivePromotions');
  });

  it('lets a member read their own record (without staff notes); anyone else’s reads as missing', async () => {
    const admin = callerOf(principalWith('CLUB_ADMIN', clubA));
    const self = await harness.account(clubA);
    const { member: mine } = await harness.members.createMember({
      caller: admin,
      ...ada,
      userId: self.userId,
    });
    const { member: other } = await harness.members.createMember({
      caller: admin,
      ...ada,
      memberNumber: 'M-0002',
    });
    const read = await harness.members.getMember({ caller: callerOf(self), id: mine!.id });
    expect(read.member).toMatchObject({ id: mine!.id, notes: '' });
    // Another's record reads as one that does not exist: numbers and ids cannot be probed.
    await expect(harness.members.getMember({ caller: callerOf(self), id: other!.id })).rejects.toMatchObject({
      code: 'entity.not_found',
    });
    await expect(
      harness.members.getMemberByNumber({ caller: callerOf(self), memberNumber: 'M-0002' }),
    ).rejects.toMatchObject({ code: 'entity.not_found', message: 'member M-0002 was not found' });
    await expect(harness.members.listMembers({ caller: callerOf(self) })).rejects.toMatchObject({
      code: 'request.forbidden',
    });
    await expect(harness.members.getMember({ id: mine!.id, clubId: clubA })).rejects.toMatchObject({
      code: 'request.unauthenticated',
    });
  });

  describe('tenant isolation', () => {
    let bMemberId: string;
    beforeEach(async () => {
      const { member } = await harness.members.createMember({
        caller: callerOf(principalWith('CLUB_ADMIN', clubB)),
        ...ada,
      });
      bMemberId = member!.id;
    });

    it("refuses club A's staff and admins every path to club B's members", async () => {
      for (const role of ['STAFF', 'CLUB_ADMIN'] as const) {
        const caller = callerOf(principalWith(role, clubA));
        const forbidden = { code: 'request.forbidden' };
        await expect(harness.members.listMembers({ caller, clubId: clubB })).rejects.toMatchObject(forbidden);
        await expect(
          harness.members.getMember({ caller, clubId: clubB, id: bMemberId }),
        ).rejects.toMatchObject(forbidden);
        await expect(
          harness.members.getMemberByNumber({ caller, clubId: clubB, memberNumber: 'M-0001' }),
        ).rejects.toMatchObject(forbidden);
        await expect(
          harness.members.updateMember({ caller, clubId: clubB, id: bMemberId, firstName: 'X' }),
        ).rejects.toMatchObject(forbidden);
        await expect(
          harness.members.exportMember({ caller, clubId: clubB, memberId: bMemberId }),
        ).rejects.toMatchObject(forbidden);
        await expect(
          harness.members.eraseMember({ caller, clubId: clubB, memberId: bMemberId, reason: 'x' }),
        ).rejects.toMatchObject(forbidden);
        await expect(
          harness.members.changeMemberStatus({
            caller,
            clubId: clubB,
            id: bMemberId,
            status: MemberStatus.ACTIVE,
            reason: 'x',
          }),
        ).rejects.toMatchObject(forbidden);
        // In their own club, B's member id simply does not exist.
        await expect(harness.members.getMember({ caller, id: bMemberId })).rejects.toMatchObject({
          code: 'entity.not_found',
        });
        // Staff may not edit at all; an admin of A finds no such member in A.
        await expect(
          harness.members.updateMember({ caller, id: bMemberId, firstName: 'X' }),
        ).rejects.toMatchObject({
          code: role === 'STAFF' ? 'request.forbidden' : 'entity.not_found',
        });
      }
      const listed = await harness.members.listMembers({ caller: callerOf(principalWith('STAFF', clubA)) });
      expect(listed.members).toHaveLength(0);
      const { member } = await harness.members.getMember({
        caller: callerOf(principalWith('STAFF', clubB)),
        id: bMemberId,
      });
      expect(member?.firstName).toBe('Ada');
    });

    it("hides club B's rows from a tenant transaction of club A even without a WHERE (RLS)", async () => {
      const seen = await harness.db.withTenant(clubA, (tx) =>
        tx.query('SELECT * FROM member.members WHERE id = $1', [bMemberId]),
      );
      expect(seen.rows).toHaveLength(0);
      const everything = await harness.db.withTenant(clubA, (tx) =>
        tx.query('SELECT id FROM member.members'),
      );
      expect(everything.rows).toHaveLength(0);
      const updated = await harness.db.withTenant(clubA, (tx) =>
        tx.query(`UPDATE member.members SET first_name = 'Mallory' WHERE id = $1`, [bMemberId]),
      );
      expect(updated.rowCount).toBe(0);
      await expect(
        harness.db.withTenant(clubA, (tx) =>
          tx.query(`UPDATE member.members SET club_id = $1 WHERE true`, [clubA]).then(() =>
            tx.query(
              `INSERT INTO member.members (id, club_id, member_number, membership_type, status, first_name, last_name,
                 preferences, joined_at, ledger_identity, created_at, updated_at)
               VALUES ('0190b7a6-0000-7000-8000-00000000abcd', $1, 'X', 'REGULAR', 'ACTIVE', 'a', 'b', '{}', now(), 'x', now(), now())`,
              [clubB],
            ),
          ),
        ),
      ).rejects.toThrow();
      const outside = await harness.db.transaction((tx) => tx.query('SELECT id FROM member.members'));
      expect(outside.rows).toHaveLength(0);
    });

    it("shows a person the links to their own records at every club, read-only, and nobody else's (RLS)", async () => {
      const person = '0190b7a6-0000-7000-8000-0000000000a1';
      const other = '0190b7a6-0000-7000-8000-0000000000b2';
      // Inserted as the owner: the links come from the trigger, not from the use cases.
      const insert = (id: string, clubId: string, userId: string | null, number: string) =>
        harness.db.asOwner((tx) =>
          tx.query(
            `INSERT INTO member.members (id, club_id, member_number, user_id, membership_type, status, first_name,
               last_name, preferences, joined_at, ledger_identity, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 'REGULAR', 'ACTIVE', 'a', 'b', '{}', now(), $5, now(), now())`,
            [id, clubId, number, userId, `did:clubland:member:${id}`],
          ),
        );
      await insert('0190b7a6-0000-7000-8000-0000000000c1', clubA, person, 'P-A');
      await insert('0190b7a6-0000-7000-8000-0000000000c2', clubB, person, 'P-B');
      await insert('0190b7a6-0000-7000-8000-0000000000c3', clubA, other, 'O-A');
      await insert('0190b7a6-0000-7000-8000-0000000000c4', clubB, null, 'U-B');
      const asPerson = <T>(userId: string, body: (tx: Tx) => Promise<T>) =>
        harness.db.transaction(async (tx) => {
          await tx.query(`SELECT set_config('app.user_id', $1, true)`, [userId]);
          return body(tx);
        });
      const memberIds = (result: { rows: { id: string }[] }) => result.rows.map((row) => row.id.slice(-2));

      // No WHERE at all: the policy alone decides, and shows the person's two links only.
      const seen = await asPerson(person, (tx) =>
        tx.query<{ id: string }>('SELECT member_id AS id FROM member.account_links ORDER BY 1'),
      );
      expect(memberIds(seen)).toEqual(['c1', 'c2']);
      // Read-only, and the records themselves stay behind their clubs' tenant policy.
      const changed = await asPerson(person, (tx) =>
        tx.query(`DELETE FROM member.account_links WHERE user_id = $1`, [person]),
      );
      expect(changed.rowCount).toBe(0);
      const records = await asPerson(person, (tx) => tx.query('SELECT id FROM member.members'));
      expect(records.rows).toHaveLength(0);
      // A tenant transaction that also names a person sees its own club's links only.
      const mixed = await harness.db.withTenant(clubA, async (tx) => {
        await tx.query(`SELECT set_config('app.user_id', $1, true)`, [person]);
        return tx.query<{ id: string }>('SELECT member_id AS id FROM member.account_links ORDER BY 1');
      });
      expect(memberIds(mixed)).toEqual(['c1', 'c3']);
      // Nobody else's: another person sees their own link, and without a person, nothing.
      expect(
        memberIds(
          await asPerson(other, (tx) =>
            tx.query<{ id: string }>('SELECT member_id AS id FROM member.account_links'),
          ),
        ),
      ).toEqual(['c3']);
      const nobody = await harness.db.transaction((tx) => tx.query('SELECT * FROM member.account_links'));
      expect(nobody.rows).toHaveLength(0);
    });
  });
});
