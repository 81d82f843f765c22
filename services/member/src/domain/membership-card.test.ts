import { describe, expect, it } from 'vitest';
import { generateCardKeyPair, signMembershipCard, verifyMembershipCard } from './membership-card.ts';

const clubA = '0190b7a6-0000-7000-8000-00000000000a';
const clubB = '0190b7a6-0000-7000-8000-00000000000b';
const issuedAt = new Date('2026-03-01T10:00:00Z');
const validUntil = new Date('2026-03-01T10:05:00Z');
const facts = {
  memberId: '0190b7a6-0000-7000-8000-0000000000f1',
  clubId: clubA,
  cardId: 'card-1',
  issuedAt,
  validUntil,
};

describe('membership cards', () => {
  const keyA = generateCardKeyPair('kid-a');
  const keyB = generateCardKeyPair('kid-b');
  const keysOf = (club: string) =>
    club === clubA ? [keyA.publicJwk] : club === clubB ? [keyB.publicJwk] : [];

  it('verifies offline with the club’s public key alone, and carries ids only', async () => {
    const token = await signMembershipCard(facts, keyA);
    const check = await verifyMembershipCard(token, keysOf, new Date('2026-03-01T10:04:00Z'));
    expect(check).toEqual({ ok: true, memberId: facts.memberId, clubId: clubA, validUntil });
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    expect(Object.keys(payload).sort()).toEqual(['aud', 'club', 'exp', 'iat', 'iss', 'jti', 'status', 'sub']);
  });

  it('refuses an expired card', async () => {
    const token = await signMembershipCard(facts, keyA);
    expect(await verifyMembershipCard(token, keysOf, new Date('2026-03-01T10:06:00Z'))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('refuses a tampered card: changed member, changed club, changed signature', async () => {
    const token = await signMembershipCard(facts, keyA);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forge = (changes: Record<string, unknown>) =>
      `${header}.${Buffer.from(JSON.stringify({ ...claims, ...changes })).toString('base64url')}.${signature}`;
    const at = new Date('2026-03-01T10:01:00Z');
    expect(await verifyMembershipCard(forge({ sub: 'someone-else' }), keysOf, at)).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
    // Claiming club B picks B's keys, which do not know A's kid.
    expect(await verifyMembershipCard(forge({ club: clubB }), keysOf, at)).toMatchObject({ ok: false });
    const flipped = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await verifyMembershipCard(flipped, keysOf, at)).toMatchObject({ ok: false });
    expect(await verifyMembershipCard('not.a.card', keysOf, at)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a card signed with another club’s key under the right kid', async () => {
    const impostor = { ...keyB, kid: 'kid-a' };
    const token = await signMembershipCard(facts, impostor);
    expect(await verifyMembershipCard(token, keysOf, new Date('2026-03-01T10:01:00Z'))).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });
});
