import type { JsonWebKey } from 'node:crypto';
import { MemberStatus } from '@clubland/contract/member/v1/members';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyMembershipCard } from '../src/domain/membership-card.ts';
import { callerOf, type MemberServiceHarness, principalWith, setupMemberService } from './setup.ts';

describe('membership cards over RPC', () => {
  let harness: MemberServiceHarness;
  let now: Date;
  let clubA: string;
  let clubB: string;
  let admin: ReturnType<typeof callerOf>;
  let self: ReturnType<typeof callerOf>;
  let memberId: string;

  beforeEach(async () => {
    now = new Date('2026-05-01T12:00:00Z');
    harness = await setupMemberService({ clock: () => now, cardTtlSeconds: 300 });
    clubA = await harness.seedClub('Home');
    clubB = await harness.seedClub('Host');
    admin = callerOf(principalWith('CLUB_ADMIN', clubA));
    const user = await harness.account(clubA);
    self = callerOf(user);
    const { member } = await harness.members.createMember({
      caller: admin,
      memberNumber: 'C-1',
      userId: user.userId,
      firstName: 'Alan',
      lastName: 'Turing',
      email: 'alan@example.org',
      membershipType: 'REGULAR',
    });
    memberId = member!.id;
    await harness.members.changeMemberStatus({
      caller: admin,
      id: memberId,
      status: MemberStatus.ACTIVE,
      reason: 'approved',
    });
  });
  afterEach(async () => {
    await harness.close();
  });

  async function publicKeysOf(clubId: string): Promise<JsonWebKey[]> {
    const { jwks } = await harness.members.getCardSigningKeys({ clubId });
    return jwks.map((jwk) => JSON.parse(jwk) as JsonWebKey);
  }

  it('issues a card that another club verifies offline from the published public key, without profile data', async () => {
    const card = await harness.members.issueMembershipCard({ caller: self, memberId });
    expect(card.token).not.toContain('Turing');
    const keys = await publicKeysOf(clubA);
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toHaveProperty('d');
    // Offline: only the key set, no call to the member service.
    const check = await verifyMembershipCard(
      card.token,
      (club) => (club === clubA ? keys : []),
      new Date('2026-05-01T12:04:00Z'),
    );
    expect(check).toEqual({
      ok: true,
      memberId,
      clubId: clubA,
      validUntil: new Date('2026-05-01T12:05:00Z'),
    });
    const online = await harness.members.verifyMembershipCard({
      caller: callerOf(principalWith('STAFF', clubB)),
      token: card.token,
    });
    expect(online).toMatchObject({ valid: true, memberId, clubId: clubA });
  });

  it('refuses an expired card and a tampered one', async () => {
    const { token } = await harness.members.issueMembershipCard({ caller: self, memberId });
    const keys = await publicKeysOf(clubA);
    const later = new Date('2026-05-01T12:05:01Z');
    expect(await verifyMembershipCard(token, () => keys, later)).toEqual({ ok: false, reason: 'expired' });
    now = later;
    const staffB = callerOf(principalWith('STAFF', clubB));
    expect(await harness.members.verifyMembershipCard({ caller: staffB, token })).toMatchObject({
      valid: false,
      reason: 'expired',
    });
    now = new Date('2026-05-01T12:01:00Z');
    const [h, p, s] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 86_400 })).toString('base64url')}.${s}`;
    expect(await verifyMembershipCard(forged, () => keys, now)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(await harness.members.verifyMembershipCard({ caller: staffB, token: forged })).toMatchObject({
      valid: false,
    });
  });

  it('issues no card to a suspended member, and the online check refuses a card issued before the suspension', async () => {
    const { token } = await harness.members.issueMembershipCard({ caller: self, memberId });
    await harness.members.changeMemberStatus({
      caller: admin,
      id: memberId,
      status: MemberStatus.SUSPENDED,
      reason: 'dues unpaid',
    });
    await expect(harness.members.issueMembershipCard({ caller: self, memberId })).rejects.toMatchObject({
      code: 'member.not_active',
    });
    const staffB = callerOf(principalWith('STAFF', clubB));
    expect(await harness.members.verifyMembershipCard({ caller: staffB, token })).toMatchObject({
      valid: false,
      reason: 'not_active',
    });
  });

  it('never issues a card valid past the membership’s expiry, and refuses other members’ cards', async () => {
    await harness.members.updateMember({
      caller: admin,
      id: memberId,
      expiresAt: { seconds: BigInt(Date.parse('2026-05-01T12:02:00Z') / 1000), nanos: 0 },
    });
    const card = await harness.members.issueMembershipCard({ caller: self, memberId });
    expect(card.expiresAt?.seconds).toBe(BigInt(Date.parse('2026-05-01T12:02:00Z') / 1000));
    const stranger = callerOf(principalWith('MEMBER', clubA));
    await expect(harness.members.issueMembershipCard({ caller: stranger, memberId })).rejects.toMatchObject({
      code: 'entity.not_found',
    });
  });
});
