import type { Principal } from '@clubland/authz';
import { MemberStatus } from '@clubland/contract/member/v1/members';
import { readOutbox } from '@clubland/notify';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgreementQueries } from '../src/store/agreement-queries.ts';
import {
  callerOf,
  eventually,
  principalWith,
  type ReciprocalServiceHarness,
  setupReciprocalService,
} from './setup.ts';
import { DEFAULT_TERMS } from './terms.ts';

/** Letters of introduction through the LetterService RPC, on the real member service. */
describe('letters of introduction', () => {
  let harness: ReciprocalServiceHarness;
  let now = new Date('2030-06-10T12:00:00Z');
  let home: string;
  let host: string;
  let third: string;
  let strict: string;
  let homeStaff: Principal;
  let hostStaff: Principal;
  let thirdStaff: Principal;
  let members = 0;

  /** An ACTIVE member record of `clubId`, linked to `userId` when given; its id and email. */
  async function seedMember(clubId: string, userId = '', status = MemberStatus.ACTIVE) {
    members += 1;
    const admin = callerOf(principalWith('CLUB_ADMIN', clubId));
    const email = `traveller-${members}-${uuidv7().slice(-6)}@example.org`;
    const { member } = await harness.memberService.members.createMember({
      caller: admin,
      clubId,
      memberNumber: `T${members}`,
      userId,
      firstName: 'Ada',
      lastName: 'Traveller',
      email,
      membershipType: 'REGULAR',
    });
    if (status !== MemberStatus.PENDING) {
      await harness.memberService.members.changeMemberStatus({
        caller: admin,
        clubId,
        id: member!.id,
        status: MemberStatus.ACTIVE,
        reason: 'joined',
      });
    }
    if (status === MemberStatus.SUSPENDED) {
      await harness.memberService.members.changeMemberStatus({
        caller: admin,
        clubId,
        id: member!.id,
        status,
        reason: 'unpaid dues',
      });
    }
    return { id: member!.id, email };
  }

  function issue(by: Principal, memberId: string, fields: Record<string, unknown> = {}) {
    return harness.letters.issueLetter({
      caller: callerOf(by),
      homeClubId: home,
      memberId,
      hostClubId: host,
      arrivesOn: '2030-06-12',
      departsOn: '2030-06-14',
      purpose: 'Golf with the host club captain',
      guestCount: 1,
      delivery: 'EMAIL',
      ...fields,
    });
  }

  beforeAll(async () => {
    harness = await setupReciprocalService({ clock: () => now });
    home = await harness.seedClub('Home');
    host = await harness.seedClub('Host');
    third = await harness.seedClub('Third');
    strict = await harness.seedClub('Strict');
    homeStaff = principalWith('STAFF', home);
    hostStaff = principalWith('STAFF', host);
    thirdStaff = principalWith('STAFF', third);
    // An agreement in force between home and strict: one guest per visit, two nights at most.
    await harness.db.transaction((tx) =>
      createAgreementQueries(tx).insert({
        id: uuidv7(),
        proposerClubId: home,
        partnerClubId: strict,
        agreementType: 'BILATERAL',
        status: 'ACTIVE',
        startsOn: '2030-01-01',
        endsOn: null,
        terms: { ...DEFAULT_TERMS, guestsPerVisit: 1, maxStayNights: 2, allowedFacilities: ['GOLF'] },
        notes: null,
        statusReason: null,
        createdBy: uuidv7(),
        createdAt: now,
        updatedAt: now,
      }),
    );
  });
  afterAll(() => harness.close());

  it('issues a PENDING letter with its history, ledger entry and event, and emails it to the member', async () => {
    const member = await seedMember(home);
    const { letter, code } = await issue(homeStaff, member.id);
    expect(letter).toMatchObject({
      status: 'PENDING',
      homeClubId: home,
      hostClubId: host,
      memberId: member.id,
    });
    expect(letter!.ledgerTxId).not.toBe('');
    expect(code).toBe('');
    const mail = (await readOutbox(harness.mailDir)).filter((message) => message.to === member.email);
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ template: 'reciprocal.letter-issued', data: { letterId: letter!.id } });
    expect(mail[0]!.text).toContain('2030-06-12');
    await eventually(() =>
      expect(
        harness.published.find(
          (event) =>
            event.type === 'letter.status_changed' &&
            (event.data as { letterId: string }).letterId === letter!.id,
        )?.data,
      ).toMatchObject({ from: null, to: 'PENDING', homeClubId: home, hostClubId: host }),
    );
  });

  it('lets only the host decide, once', async () => {
    const member = await seedMember(home);
    const { letter } = await issue(homeStaff, member.id);
    const approve = (by: Principal) =>
      harness.letters.approveLetter({ caller: callerOf(by), letterId: letter!.id });
    await expect(approve(homeStaff)).rejects.toMatchObject({ code: 'request.forbidden' });
    await expect(approve(thirdStaff)).rejects.toMatchObject({ code: 'entity.not_found' });
    await expect(approve(principalWith('MEMBER', host))).rejects.toMatchObject({ code: 'entity.not_found' });
    const approved = await approve(hostStaff);
    expect(approved.letter).toMatchObject({ status: 'APPROVED', decidedBy: hostStaff.userId });
    await expect(approve(hostStaff)).rejects.toMatchObject({ code: 'letter.transition_refused' });
    await expect(
      harness.letters.declineLetter({ caller: callerOf(hostStaff), letterId: letter!.id, reason: 'full' }),
    ).rejects.toMatchObject({ code: 'letter.transition_refused' });
  });

  it('declines only with a reason, and lets the home club revoke', async () => {
    const member = await seedMember(home);
    const { letter } = await issue(homeStaff, member.id);
    await expect(
      harness.letters.declineLetter({ caller: callerOf(hostStaff), letterId: letter!.id, reason: ' ' }),
    ).rejects.toMatchObject({ details: { field: 'reason' } });
    await expect(
      harness.letters.revokeLetter({ caller: callerOf(hostStaff), letterId: letter!.id }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
    const revoked = await harness.letters.revokeLetter({
      caller: callerOf(homeStaff),
      letterId: letter!.id,
      reason: 'trip off',
    });
    expect(revoked.letter).toMatchObject({ status: 'REVOKED', statusReason: 'trip off' });
  });

  it('keeps one open letter per member and host, even for two requests at once', async () => {
    const member = await seedMember(home);
    const outcomes = await Promise.allSettled([issue(homeStaff, member.id), issue(homeStaff, member.id)]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.find((outcome) => outcome.status === 'rejected')).toMatchObject({
      reason: { code: 'letter.already_open' },
    });
    await expect(issue(homeStaff, member.id)).rejects.toMatchObject({ code: 'letter.already_open' });
    // Another host is another letter.
    await expect(issue(homeStaff, member.id, { hostClubId: third })).resolves.toBeDefined();
  });

  it('reissues a letter: the old one REVOKED in the same step, both histories kept', async () => {
    const member = await seedMember(home);
    const { letter: first } = await issue(homeStaff, member.id);
    await harness.letters.approveLetter({ caller: callerOf(hostStaff), letterId: first!.id });
    const { letter: second } = await harness.letters.reissueLetter({
      caller: callerOf(homeStaff),
      letterId: first!.id,
      departsOn: '2030-06-16',
      reason: 'staying longer',
    });
    expect(second).toMatchObject({
      status: 'PENDING',
      replacesId: first!.id,
      arrivesOn: '2030-06-12',
      departsOn: '2030-06-16',
    });
    const { letters } = await harness.letters.getLetters({ caller: callerOf(homeStaff), ids: [first!.id] });
    expect(letters[0]).toMatchObject({ status: 'REVOKED' });
    expect(letters[0]!.statusReason).toContain(second!.id);
    const history = await harness.letters.listLetterChanges({
      caller: callerOf(hostStaff),
      letterId: first!.id,
    });
    expect(history.changes.map((change) => [change.fromStatus, change.toStatus])).toEqual([
      ['', 'PENDING'],
      ['PENDING', 'APPROVED'],
      ['APPROVED', 'REVOKED'],
    ]);
    const ledger = await harness.db.transaction((tx) =>
      tx.query<{ fact: string }>(
        `SELECT fact FROM reciprocal.ledger_entries WHERE entity_id = ANY($1::uuid[]) ORDER BY fact`,
        [[first!.id, second!.id]],
      ),
    );
    expect(ledger.rows.map((row) => row.fact)).toEqual([
      'letter.approved',
      'letter.issued',
      'letter.issued',
      'letter.revoked',
    ]);
  });

  it('refuses members not ACTIVE, trips in the past or too long, and guests beyond the agreement', async () => {
    const suspended = await seedMember(home, '', MemberStatus.SUSPENDED);
    await expect(issue(homeStaff, suspended.id)).rejects.toMatchObject({ code: 'letter.member_not_active' });
    const member = await seedMember(home);
    await expect(issue(homeStaff, member.id, { arrivesOn: '2030-06-09' })).rejects.toMatchObject({
      details: { field: 'arrivesOn' },
    });
    await expect(issue(homeStaff, member.id, { departsOn: '2030-09-20' })).rejects.toMatchObject({
      details: { field: 'departsOn' },
    });
    await expect(issue(homeStaff, member.id, { hostClubId: strict, guestCount: 2 })).rejects.toMatchObject({
      details: { field: 'guestCount' },
    });
    await expect(
      issue(homeStaff, member.id, { hostClubId: strict, departsOn: '2030-06-15' }),
    ).rejects.toMatchObject({
      details: { field: 'departsOn' },
    });
    const { letter } = await issue(homeStaff, member.id, { hostClubId: strict });
    expect(letter!.agreementId).not.toBe('');
    const count = await harness.db.transaction((tx) =>
      tx.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM reciprocal.letters WHERE member_id = ANY($1::uuid[])',
        [[suspended.id, member.id]],
      ),
    );
    expect(count.rows[0]!.n).toBe(1);
  });

  it('lets a member ask for themselves, with a QR code, and for nobody else', async () => {
    const account = await harness.account(home);
    const own = await seedMember(home, account.userId);
    const other = await seedMember(home);
    const { letter, code } = await issue(account, own.id, { delivery: 'QR_CODE' });
    expect(code).toBe(`clubland:loi:${letter!.id}`);
    expect(letter!.issuedBy).toBe(account.userId);
    expect((await readOutbox(harness.mailDir)).some((message) => message.to === own.email)).toBe(false);
    await expect(issue(account, other.id)).rejects.toMatchObject({ code: 'entity.not_found' });
    const mine = await harness.letters.listMyLetters({ caller: callerOf(account) });
    expect(mine.letters.map((l) => l.id)).toEqual([letter!.id]);
    // A member withdraws their own letter; they cannot approve it.
    await expect(
      harness.letters.approveLetter({ caller: callerOf(account), letterId: letter!.id }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
    await harness.letters.revokeLetter({ caller: callerOf(account), letterId: letter!.id });
  });

  it('expires open letters once their last day has passed, by the system', async () => {
    const member = await seedMember(home);
    const ending = await issue(homeStaff, member.id, { arrivesOn: '2030-06-11', departsOn: '2030-06-11' });
    await harness.letters.approveLetter({ caller: callerOf(hostStaff), letterId: ending.letter!.id });
    const later = await issue(homeStaff, member.id, {
      hostClubId: third,
      arrivesOn: '2030-06-12',
      departsOn: '2030-06-12',
    });
    now = new Date('2030-06-12T12:00:00Z');
    try {
      expect(await harness.service.expireLetters()).toBeGreaterThanOrEqual(1);
      const { letters } = await harness.letters.getLetters({
        caller: callerOf(homeStaff),
        ids: [ending.letter!.id, later.letter!.id],
      });
      expect(letters.map((l) => l.status)).toEqual(['EXPIRED', 'PENDING']);
      const history = await harness.letters.listLetterChanges({
        caller: callerOf(homeStaff),
        letterId: ending.letter!.id,
      });
      expect(history.changes.at(-1)).toMatchObject({
        fromStatus: 'APPROVED',
        toStatus: 'EXPIRED',
        changedBy: '',
      });
      expect(await harness.service.expireLetters()).toBe(0);
    } finally {
      now = new Date('2030-06-10T12:00:00Z');
    }
  });

  it('shows a third club nothing, through the service and through the database', async () => {
    const member = await seedMember(home);
    const { letter } = await issue(homeStaff, member.id, { guestCount: 0, purpose: 'Dinner' });
    const asThird = callerOf(thirdStaff);
    expect((await harness.letters.getLetters({ caller: asThird, ids: [letter!.id] })).letters).toEqual([]);
    await expect(
      harness.letters.verifyLetter({ caller: asThird, letterId: letter!.id }),
    ).rejects.toMatchObject({
      code: 'entity.not_found',
    });
    const listed = await harness.letters.listLetters({ caller: asThird, clubId: third, side: 'BOTH' });
    expect(listed.letters.map((l) => l.id)).not.toContain(letter!.id);
    await expect(harness.letters.listLetters({ caller: asThird, clubId: home })).rejects.toMatchObject({
      code: 'request.forbidden',
    });
    const seen = await harness.db.withTenant(third, (tx) =>
      tx.query('SELECT id FROM reciprocal.letters WHERE id = $1', [letter!.id]),
    );
    expect(seen.rows).toEqual([]);
    const changed = await harness.db.withTenant(third, (tx) =>
      tx.query(`UPDATE reciprocal.letters SET status = 'APPROVED' WHERE id = $1`, [letter!.id]),
    );
    expect(changed.rowCount).toBe(0);
    const history = await harness.db.withTenant(third, (tx) =>
      tx.query('SELECT id FROM reciprocal.letter_changes WHERE letter_id = $1', [letter!.id]),
    );
    expect(history.rows).toEqual([]);
    // Both parties see it.
    const forHost = await harness.letters.listLetters({
      caller: callerOf(hostStaff),
      clubId: host,
      side: 'HOST',
    });
    expect(forHost.letters.map((l) => l.id)).toContain(letter!.id);
  });

  it('verifies a letter at the host: valid only when approved and within its dates', async () => {
    const member = await seedMember(home);
    const { letter } = await issue(homeStaff, member.id, {
      hostClubId: strict,
      arrivesOn: '2030-06-10',
      departsOn: '2030-06-11',
    });
    const verify = () =>
      harness.letters.verifyLetter({
        caller: callerOf(principalWith('STAFF', strict)),
        letterId: letter!.id,
      });
    expect(await verify()).toMatchObject({ valid: false, status: 'PENDING' });
    await harness.letters.approveLetter({
      caller: callerOf(principalWith('STAFF', strict)),
      letterId: letter!.id,
    });
    const verified = await verify();
    expect(verified).toMatchObject({ valid: true, status: 'APPROVED', facilitiesPermitted: ['GOLF'] });
    expect(verified.restrictions).toContain('a stay of at most 2 night(s)');
  });
});
