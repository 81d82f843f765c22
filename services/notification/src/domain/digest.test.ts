import { describe, expect, it } from 'vitest';
import {
  DIGEST_MAX_ITEMS,
  type DigestItem,
  goesToDigest,
  isDigestDue,
  lastDigestAt,
  nextDigestAt,
  renderDigest,
} from './digest.ts';
import { defaultPreferences, type NotificationPreferences } from './preferences.ts';

function withDigest(time: string, timeZone: string): NotificationPreferences {
  const prefs = defaultPreferences(timeZone);
  return { ...prefs, digest: { enabled: true, frequency: 'DAILY', time } };
}

describe('which messages wait for the digest', () => {
  const prefs = withDigest('08:00', 'Europe/Paris');

  it('gathers ordinary emails only', () => {
    expect(goesToDigest(prefs, 'EVENTS', 'LOW', 'EMAIL')).toBe(true);
    expect(goesToDigest(prefs, 'BOOKINGS', 'NORMAL', 'EMAIL')).toBe(true);
    expect(goesToDigest(prefs, 'BOOKINGS', 'HIGH', 'EMAIL')).toBe(false);
    expect(goesToDigest(prefs, 'SECURITY', 'NORMAL', 'EMAIL')).toBe(false);
    expect(goesToDigest(prefs, 'EVENTS', 'LOW', 'PUSH')).toBe(false);
    expect(goesToDigest(prefs, 'EVENTS', 'LOW', 'IN_APP')).toBe(false);
    expect(goesToDigest(defaultPreferences('UTC'), 'EVENTS', 'LOW', 'EMAIL')).toBe(false);
  });
});

describe('when the digest is due', () => {
  it('is the next digest time in the member zone, today or tomorrow', () => {
    const paris = withDigest('08:00', 'Europe/Paris');
    expect(nextDigestAt(new Date('2026-12-07T06:59:00Z'), paris).toISOString()).toBe(
      '2026-12-07T07:00:00.000Z',
    );
    expect(nextDigestAt(new Date('2026-12-07T07:00:00Z'), paris).toISOString()).toBe(
      '2026-12-08T07:00:00.000Z',
    );
    expect(nextDigestAt(new Date('2026-12-07T22:00:00Z'), paris).toISOString()).toBe(
      '2026-12-08T07:00:00.000Z',
    );
  });

  it('stays at 08:00 local across a DST change', () => {
    const newYork = withDigest('08:00', 'America/New_York');
    // 1 November 2026: New York falls back at 02:00; 08:00 EST is 13:00Z (12:00Z the day before).
    expect(nextDigestAt(new Date('2026-10-31T13:00:00Z'), newYork).toISOString()).toBe(
      '2026-11-01T13:00:00.000Z',
    );
    expect(nextDigestAt(new Date('2026-10-31T11:00:00Z'), newYork).toISOString()).toBe(
      '2026-10-31T12:00:00.000Z',
    );
  });

  it('gives every message of one day the same instant, so one digest carries them all', () => {
    const paris = withDigest('18:30', 'Europe/Paris');
    const instants = ['2026-12-06T17:31:00Z', '2026-12-07T03:00:00Z', '2026-12-07T17:29:00Z'].map((iso) =>
      nextDigestAt(new Date(iso), paris).toISOString(),
    );
    expect(new Set(instants)).toEqual(new Set(['2026-12-07T17:30:00.000Z']));
  });
});

describe('a digest loop that remembers when it last sent', () => {
  const paris = withDigest('08:00', 'Europe/Paris');
  const at = (iso: string) => new Date(iso);

  it('is due once a digest time has passed since the last one', () => {
    expect(lastDigestAt(at('2026-12-07T06:59:00Z'), paris).toISOString()).toBe('2026-12-06T07:00:00.000Z');
    expect(lastDigestAt(at('2026-12-07T07:00:00Z'), paris).toISOString()).toBe('2026-12-07T07:00:00.000Z');
    expect(isDigestDue(at('2026-12-07T07:00:00Z'), at('2026-12-06T07:00:05Z'), paris)).toBe(true);
    expect(isDigestDue(at('2026-12-07T07:30:00Z'), at('2026-12-07T07:00:05Z'), paris)).toBe(false);
    expect(isDigestDue(at('2026-12-07T06:59:00Z'), at('2026-12-06T07:00:05Z'), paris)).toBe(false);
    expect(isDigestDue(at('2026-12-07T06:59:00Z'), null, paris)).toBe(true);
  });

  it('is never due for a member without a digest', () => {
    expect(isDigestDue(at('2026-12-07T07:00:00Z'), null, defaultPreferences('Europe/Paris'))).toBe(false);
  });
});

describe('the digest email', () => {
  const items: DigestItem[] = [
    {
      title: 'Booking confirmed: Court 1',
      body: 'Court 1 is yours.',
      category: 'BOOKINGS',
      createdAt: '2026-12-07T09:00:00Z',
    },
    {
      title: 'Registration is open: <Gala>',
      body: 'Black tie & "fun".',
      category: 'EVENTS',
      createdAt: '2026-12-07T08:00:00Z',
    },
    {
      title: 'Booking requested: Pool',
      body: 'With the club.',
      category: 'BOOKINGS',
      createdAt: '2026-12-07T07:00:00Z',
    },
  ];
  const brand = { clubName: 'The Athenaeum' };

  it('counts the items in the subject and lists them by category, oldest first, in member time', () => {
    const result = renderDigest({
      locale: 'en',
      timeZone: 'Europe/Paris',
      brand,
      items,
      unsubscribeUrl: 'https://api.example/u?token=t',
    });
    if (!result.ok) throw new Error(result.message);
    const { subject, text, html } = result.value;
    expect(subject).toBe('3 new notifications from The Athenaeum');
    const normal = text.replace(/[\u202f\u00a0]/g, ' ');
    expect(normal).toContain(
      [
        '— Bookings —',
        '',
        'Booking requested: Pool (Dec 7, 2026, 8:00 AM)',
        'With the club.',
        '',
        'Booking confirmed: Court 1 (Dec 7, 2026, 10:00 AM)',
        'Court 1 is yours.',
        '',
        '— Events —',
      ].join('\n'),
    );
    expect(text).toContain('Stop these messages: https://api.example/u?token=t');
    expect(html).toContain('Registration is open: &lt;Gala&gt;');
    expect(html).toContain('Black tie &amp; &quot;fun&quot;.');
    expect(html).not.toContain('<Gala>');
  });

  it('speaks French and counts what it leaves out', () => {
    const many = Array.from({ length: DIGEST_MAX_ITEMS + 2 }, (_, n) => ({
      title: `Item ${n}`,
      body: 'x',
      category: 'ANNOUNCEMENTS' as const,
      createdAt: new Date(Date.UTC(2026, 11, 7, 0, n)),
    }));
    const result = renderDigest({ locale: 'fr-FR', timeZone: 'UTC', brand, items: many });
    if (!result.ok) throw new Error(result.message);
    expect(result.value.subject).toBe('The Athenaeum : 52 nouvelles notifications');
    expect(result.value.text).toContain('— Annonces —');
    expect(result.value.text).toContain('Item 49 (');
    expect(result.value.text).not.toContain('Item 50 (');
    expect(result.value.text).toContain('2 autres notifications dans l’application.');
  });
});
