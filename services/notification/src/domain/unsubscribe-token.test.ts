import { describe, expect, it } from 'vitest';
import { signToken } from './signed-token.ts';
import {
  createUnsubscribeToken,
  UNSUBSCRIBE_PURPOSE,
  unsubscribeUrl,
  verifyUnsubscribeToken,
} from './unsubscribe-token.ts';

const secret = 'a-test-secret-of-at-least-32-bytes!!';
const newSecret = 'the-rotated-secret-also-32-bytes-long';
const now = new Date('2026-12-07T12:00:00Z');
const claims = {
  userId: '0193a000-0000-7000-8000-000000000003',
  clubId: '0193a000-0000-7000-8000-000000000001',
  category: 'EVENTS' as const,
  channel: 'EMAIL' as const,
};

function tamper(
  token: string,
  change: (envelope: { p: string; exp: number; c: Record<string, unknown> }) => void,
) {
  const [payload, signature] = token.split('.') as [string, string];
  const envelope = JSON.parse(Buffer.from(payload, 'base64url').toString());
  change(envelope);
  return `${Buffer.from(JSON.stringify(envelope)).toString('base64url')}.${signature}`;
}

describe('unsubscribe tokens', () => {
  const token = createUnsubscribeToken(claims, { now, secrets: [secret] });

  it('carries one member, club, category and channel, and works without signing in', () => {
    expect(verifyUnsubscribeToken(token, { now, secrets: [secret] })).toEqual({
      ok: true,
      claims,
      expiresAt: new Date('2027-03-07T12:00:00Z'),
    });
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a token whose category, channel, member or expiry was changed', () => {
    const changes = [
      (e: { c: Record<string, unknown> }) => {
        e.c.c = 'BOOKINGS';
      },
      (e: { c: Record<string, unknown> }) => {
        e.c.ch = 'SMS';
      },
      (e: { c: Record<string, unknown> }) => {
        e.c.u = '0193a000-0000-7000-8000-000000000099';
      },
      (e: { exp: number }) => {
        e.exp += 86_400 * 365;
      },
    ];
    for (const change of changes) {
      expect(verifyUnsubscribeToken(tamper(token, change), { now, secrets: [secret] })).toEqual({
        ok: false,
        reason: 'bad_signature',
      });
    }
  });

  it('refuses a genuine token minted for another purpose, and one claiming to be this one', () => {
    const other = signToken('auth.reset-password', { u: claims.userId }, new Date('2027-01-01T00:00:00Z'), [
      secret,
    ]);
    expect(verifyUnsubscribeToken(other, { now, secrets: [secret] })).toEqual({
      ok: false,
      reason: 'wrong_purpose',
    });
    const relabelled = tamper(other, (e) => {
      e.p = UNSUBSCRIBE_PURPOSE;
    });
    expect(verifyUnsubscribeToken(relabelled, { now, secrets: [secret] })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('refuses a token signed with another secret, and accepts the old secret during a rotation', () => {
    expect(verifyUnsubscribeToken(token, { now, secrets: [newSecret] })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyUnsubscribeToken(token, { now, secrets: [newSecret, secret] })).toMatchObject({ ok: true });
  });

  it('refuses a token once it expires', () => {
    const later = new Date('2027-03-07T12:00:00Z');
    expect(verifyUnsubscribeToken(token, { now: later, secrets: [secret] })).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('refuses garbage, and well-signed claims of the wrong shape', () => {
    for (const bad of [
      '',
      'abc',
      'a.b.c',
      `${'x'.repeat(5000)}.y`,
      `!!.${'A'.repeat(43)}`,
      `e30.${'A'.repeat(43)}`,
    ]) {
      expect(verifyUnsubscribeToken(bad, { now, secrets: [secret] })).toMatchObject({ ok: false });
    }
    const wrongShape = signToken(
      UNSUBSCRIBE_PURPOSE,
      { u: claims.userId, k: null, c: 'GOSSIP', ch: 'EMAIL' },
      new Date('2027-01-01T00:00:00Z'),
      [secret],
    );
    expect(verifyUnsubscribeToken(wrongShape, { now, secrets: [secret] })).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('will not sign or verify with a short secret', () => {
    expect(() => createUnsubscribeToken(claims, { now, secrets: ['short'] })).toThrow(/32 bytes/);
    expect(() => verifyUnsubscribeToken(token, { now, secrets: [] })).toThrow(/32 bytes/);
  });

  it('puts the token in the endpoint URL', () => {
    expect(unsubscribeUrl('https://api.example/notifications/unsubscribe', 'abc.def')).toBe(
      'https://api.example/notifications/unsubscribe?token=abc.def',
    );
  });
});
