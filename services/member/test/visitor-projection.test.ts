import { agreementStatusChanged } from '@clubland/contract/events/reciprocal';
import { MemberStatus } from '@clubland/contract/member/v1/members';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerOf, type MemberServiceHarness, principalWith, setupMemberService } from './setup.ts';

/**
 * DescribeVisitor: what a host club's front desk learns of a visitor, asked by the reciprocal
 * service. Only the projection leaves, and only for a host with an ACTIVE agreement.
 */
describe('visitor projection', () => {
  let harness: MemberServiceHarness;
  let home: string;
  let host: string;
  let stranger: string;
  let memberId: string;
  let userId: string;
  const agreementId = uuidv7();
  let desk: ReturnType<typeof callerOf>;

  async function announceAgreement(to: 'ACTIVE' | 'SUSPENDED', changedAt: string): Promise<void> {
    await harness.bus.publish([
      agreementStatusChanged.build({
        tenantId: home,
        correlationId: null,
        data: {
          agreementId,
          proposerClubId: home,
          partnerClubId: host,
          from: to === 'ACTIVE' ? 'APPROVED' : 'ACTIVE',
          to,
          reason: null,
          changedBy: null,
          changedAt,
          startsOn: '2026-01-01',
          endsOn: null,
        },
      }),
    ]);
  }

  async function agreementIsActive(): Promise<boolean> {
    const { rows } = await harness.db.transaction((tx) =>
      tx.query<{ status: string }>(
        `SELECT status FROM member.reciprocal_agreements WHERE agreement_id = $1`,
        [agreementId],
      ),
    );
    return rows[0]?.status === 'ACTIVE';
  }

  async function waitFor(check: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  beforeAll(async () => {
    harness = await setupMemberService();
    home = await harness.seedClub('Home');
    host = await harness.seedClub('Host');
    stranger = await harness.seedClub('Stranger');
    const admin = callerOf(principalWith('CLUB_ADMIN', home));
    const account = await harness.account(home);
    userId = account.userId;
    const { member } = await harness.members.createMember({
      caller: admin,
      memberNumber: 'H-7',
      userId,
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.org',
      phone: '+44 20 7946 0000',
      dateOfBirth: '1985-12-10',
      address: { street: '12 St James Sq', city: 'London', state: '', postalCode: 'SW1Y 4LG', country: 'GB' },
      membershipType: 'PREMIUM',
      notes: 'prefers the library',
    });
    memberId = member!.id;
    await harness.members.changeMemberStatus({
      caller: admin,
      id: memberId,
      status: MemberStatus.ACTIVE,
      reason: 'ok',
    });
    desk = callerOf(principalWith('STAFF', host));
    await announceAgreement('ACTIVE', '2026-02-01T10:00:00Z');
    await waitFor(agreementIsActive);
  });
  afterAll(() => harness.close());

  it('answers the host desk with the projection and nothing else of the record', async () => {
    const answer = await harness.members.describeVisitor({
      caller: desk,
      hostClubId: host,
      by: { case: 'memberNumber', value: { homeClubId: home, memberNumber: 'H-7' } },
      hostCity: ' london ',
    });
    expect(answer.agreementActive).toBe(true);
    expect(answer.homeClubId).toBe(home);
    const visitor = answer.visitor!;
    const { $typeName: _, ...fields } = visitor;
    expect(Object.keys(fields).sort()).toEqual(
      [
        'firstName',
        'homeClubId',
        'homeClubName',
        'lastName',
        'livesInHostCity',
        'memberId',
        'memberNumber',
        'membershipType',
        'photoUrl',
        'standing',
        'userId',
      ].sort(),
    );
    expect(fields).toEqual({
      memberId,
      homeClubId: home,
      homeClubName: 'Home',
      firstName: 'Ada',
      lastName: 'Lovelace',
      photoUrl: '',
      membershipType: 'PREMIUM',
      standing: 'ACTIVE',
      memberNumber: 'H-7',
      userId,
      livesInHostCity: true,
    });
    // Nothing private anywhere in the answer, whatever its shape.
    const wire = JSON.stringify(answer);
    for (const secret of ['ada@example.org', '7946', '1985', 'St James', 'SW1Y', 'library']) {
      expect(wire).not.toContain(secret);
    }
  });

  it('identifies by card, by member id alone, and the member themselves', async () => {
    const self = callerOf(principalWith('MEMBER', home, userId));
    const { token } = await harness.members.issueMembershipCard({ caller: self, memberId });
    const byCard = await harness.members.describeVisitor({
      caller: desk,
      hostClubId: host,
      by: { case: 'card', value: token },
      hostCity: 'Edinburgh',
    });
    expect(byCard.visitor).toMatchObject({ memberId, livesInHostCity: false });
    const byId = await harness.members.describeVisitor({
      caller: desk,
      hostClubId: host,
      by: { case: 'member', value: { homeClubId: '', memberId } },
      hostCity: '',
    });
    expect(byId.visitor?.memberId).toBe(memberId);
    const bySelf = await harness.members.describeVisitor({
      caller: self,
      hostClubId: host,
      by: { case: 'self', value: true },
      hostCity: '',
    });
    expect(bySelf.visitor?.memberId).toBe(memberId);
  });

  it('says why a card names nobody', async () => {
    const answer = await harness.members.describeVisitor({
      caller: desk,
      hostClubId: host,
      by: { case: 'card', value: 'not.a.card' },
      hostCity: '',
    });
    expect(answer).toMatchObject({ failure: 'malformed', homeClubId: '', agreementActive: false });
    expect(answer.visitor).toBeUndefined();
  });

  it('refuses a member asking about someone else, and staff of a club asking as another host', async () => {
    const other = callerOf(principalWith('MEMBER', home));
    await expect(
      harness.members.describeVisitor({
        caller: other,
        hostClubId: host,
        by: { case: 'member', value: { homeClubId: home, memberId } },
        hostCity: '',
      }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
    await expect(
      harness.members.describeVisitor({
        caller: callerOf(principalWith('STAFF', stranger)),
        hostClubId: host,
        by: { case: 'member', value: { homeClubId: home, memberId } },
        hostCity: '',
      }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
  });

  it('describes nobody to a host without an ACTIVE agreement', async () => {
    const answer = await harness.members.describeVisitor({
      caller: callerOf(principalWith('STAFF', stranger)),
      hostClubId: stranger,
      by: { case: 'memberNumber', value: { homeClubId: home, memberNumber: 'H-7' } },
      hostCity: '',
    });
    expect(answer).toMatchObject({ homeClubId: home, agreementActive: false });
    expect(answer.visitor).toBeUndefined();
  });

  it('follows the agreement: a suspension stops the answers, a late older event changes nothing', async () => {
    await announceAgreement('SUSPENDED', '2026-03-01T10:00:00Z');
    await waitFor(async () => !(await agreementIsActive()));
    await announceAgreement('ACTIVE', '2026-02-15T10:00:00Z');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await agreementIsActive()).toBe(false);
    const answer = await harness.members.describeVisitor({
      caller: desk,
      hostClubId: host,
      by: { case: 'member', value: { homeClubId: home, memberId } },
      hostCity: '',
    });
    expect(answer).toMatchObject({ homeClubId: home, agreementActive: false });
    expect(answer.visitor).toBeUndefined();
  });
});
