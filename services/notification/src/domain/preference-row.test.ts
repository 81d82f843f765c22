import { describe, expect, it } from 'vitest';
import { categoryOf, deliverAtForRow, type PreferenceRow, preferencesFromRow } from './preference-row.ts';

const row: PreferenceRow = {
  emailEnabled: true,
  smsEnabled: false,
  pushEnabled: true,
  inAppEnabled: true,
  quietHoursEnabled: true,
  quietHoursStart: '22:00',
  quietHoursEnd: '07:00',
  digestEnabled: false,
  timezone: 'Europe/Paris',
  mutedCategories: { EMAIL: ['announcements', 'visits'], PUSH: ['EVENTS'], FAX: ['bookings'] },
};

describe('the stored preference row', () => {
  it('reads as the rules preferences, muted categories turned around and renamed', () => {
    const prefs = preferencesFromRow(row);
    expect(prefs.channels).toEqual({ IN_APP: true, EMAIL: true, SMS: false, PUSH: true });
    expect(prefs.mutedChannels).toEqual({
      ANNOUNCEMENTS: ['EMAIL'],
      RECIPROCAL: ['EMAIL'],
      EVENTS: ['PUSH'],
    });
    expect(prefs.quietHours).toEqual({ enabled: true, start: '22:00', end: '07:00' });
    expect(prefs.timeZone).toBe('Europe/Paris');
    expect(prefs.digest.time).toBe('08:00');
  });

  it('falls back to UTC for a zone it does not know, and drops malformed quiet hours', () => {
    const prefs = preferencesFromRow({ ...row, timezone: 'Mars/Base', quietHoursStart: '9pm' });
    expect(prefs.timeZone).toBe('UTC');
    expect(prefs.quietHours.start).toBeNull();
  });

  it('serves as the service deliverAt seam: 23:00 in Paris waits until 07:00 on email, not in the app', () => {
    const night = new Date('2026-12-07T22:00:00Z');
    expect(deliverAtForRow(night, row, 'NORMAL', 'EMAIL').toISOString()).toBe('2026-12-08T06:00:00.000Z');
    expect(deliverAtForRow(night, row, 'NORMAL', 'IN_APP')).toEqual(night);
    expect(deliverAtForRow(night, row, 'CRITICAL', 'PUSH')).toEqual(night);
  });

  it('maps both category vocabularies', () => {
    expect(categoryOf('bookings')).toBe('BOOKINGS');
    expect(categoryOf('BOOKINGS')).toBe('BOOKINGS');
    expect(categoryOf('ledger')).toBe('CLUB_ADMIN');
    expect(categoryOf('gossip')).toBeNull();
  });
});
