import { describe, expect, it } from 'vitest';
import {
  applyPreferenceUpdate,
  defaultPreferences,
  toContractPreference,
  unsubscribe,
  wantsChannel,
} from './preferences.ts';

function applied(
  update: Parameters<typeof applyPreferenceUpdate>[1],
  current = defaultPreferences('Europe/Paris'),
) {
  const result = applyPreferenceUpdate(current, update);
  if (!result.ok) throw new Error(`${result.field}: ${result.message}`);
  return result.value;
}

describe('notification preferences', () => {
  it('starts with every channel on, no quiet hours and no digest, in the given zone', () => {
    const prefs = defaultPreferences('Europe/Paris');
    expect(prefs.channels).toEqual({ IN_APP: true, EMAIL: true, SMS: true, PUSH: true });
    expect(prefs.quietHours.enabled).toBe(false);
    expect(prefs.digest).toEqual({ enabled: false, frequency: 'DAILY', time: '08:00' });
    expect(prefs.timeZone).toBe('Europe/Paris');
    expect(defaultPreferences('Nowhere/Special').timeZone).toBe('UTC');
  });

  it('applies the contract fields, keeping what is absent or null', () => {
    const prefs = applied({
      smsEnabled: false,
      pushEnabled: null,
      quietHoursEnabled: true,
      quietHoursStart: '22:00',
      quietHoursEnd: '07:00',
      digestEnabled: true,
      digestFrequency: 'daily',
      timeZone: 'America/New_York',
    });
    expect(prefs.channels).toEqual({ IN_APP: true, EMAIL: true, SMS: false, PUSH: true });
    expect(prefs.quietHours).toEqual({ enabled: true, start: '22:00', end: '07:00' });
    expect(prefs.digest).toEqual({ enabled: true, frequency: 'DAILY', time: '08:00' });
    expect(prefs.timeZone).toBe('America/New_York');
    expect(applied({ quietHoursEnabled: false }, prefs).quietHours).toEqual({
      enabled: false,
      start: '22:00',
      end: '07:00',
    });
  });

  it('refuses bad fields by name and changes nothing', () => {
    const current = defaultPreferences('UTC');
    const before = structuredClone(current);
    const cases: [Parameters<typeof applyPreferenceUpdate>[1], string][] = [
      [{ quietHoursStart: '25:00' }, 'input.quietHoursStart'],
      [{ quietHoursEnabled: true, quietHoursStart: '22:00' }, 'input.quietHoursEnabled'],
      [{ quietHoursEnabled: true, quietHoursStart: '22:00', quietHoursEnd: '22:00' }, 'input.quietHoursEnd'],
      [{ digestFrequency: 'HOURLY' }, 'input.digestFrequency'],
      [{ digestTime: '8am' }, 'input.digestTime'],
      [{ timeZone: 'Atlantis/Capital' }, 'input.timeZone'],
      [
        { categories: [{ category: 'GOSSIP', channel: 'EMAIL', enabled: false }] },
        'input.categories.0.category',
      ],
      [
        { categories: [{ category: 'EVENTS', channel: 'PIGEON', enabled: false }] },
        'input.categories.0.channel',
      ],
      [
        { categories: [{ category: 'SECURITY', channel: 'EMAIL', enabled: false }] },
        'input.categories.0.category',
      ],
    ];
    for (const [update, field] of cases) {
      expect(applyPreferenceUpdate(current, { smsEnabled: false, ...update })).toMatchObject({
        ok: false,
        code: 'request.invalid_input',
        field,
      });
    }
    expect(current).toEqual(before);
  });

  it('mutes and unmutes one category on one channel', () => {
    const muted = applied({
      categories: [
        { category: 'EVENTS', channel: 'EMAIL', enabled: false },
        { category: 'EVENTS', channel: 'PUSH', enabled: false },
      ],
    });
    expect(muted.mutedChannels).toEqual({ EVENTS: ['EMAIL', 'PUSH'] });
    expect(wantsChannel(muted, 'EVENTS', 'EMAIL')).toBe(false);
    expect(wantsChannel(muted, 'EVENTS', 'IN_APP')).toBe(true);
    expect(wantsChannel(muted, 'BOOKINGS', 'EMAIL')).toBe(true);
    const unmuted = applied(
      {
        categories: [
          { category: 'EVENTS', channel: 'EMAIL', enabled: true },
          { category: 'EVENTS', channel: 'PUSH', enabled: true },
        ],
      },
      muted,
    );
    expect(unmuted.mutedChannels).toEqual({});
  });

  it('follows the channel switch, except for security messages and webhooks', () => {
    const noEmail = applied({ emailEnabled: false });
    expect(wantsChannel(noEmail, 'BOOKINGS', 'EMAIL')).toBe(false);
    expect(wantsChannel(noEmail, 'SECURITY', 'EMAIL')).toBe(true);
    expect(wantsChannel(noEmail, 'CLUB_ADMIN', 'WEBHOOK')).toBe(true);
  });

  it('unsubscribes one category from one channel, or all of a channel, but never from security', () => {
    const prefs = defaultPreferences('UTC');
    const one = unsubscribe(prefs, 'ANNOUNCEMENTS', 'EMAIL');
    expect(one).toMatchObject({ ok: true, value: { mutedChannels: { ANNOUNCEMENTS: ['EMAIL'] } } });
    const all = unsubscribe(prefs, 'ALL', 'EMAIL');
    expect(all).toMatchObject({ ok: true, value: { channels: { EMAIL: false, PUSH: true } } });
    expect(unsubscribe(prefs, 'SECURITY', 'EMAIL')).toMatchObject({ ok: false, field: 'token' });
    expect(prefs.mutedChannels).toEqual({});
  });

  it('reads back as the contract NotificationPreference fields', () => {
    const prefs = applied({
      pushEnabled: false,
      quietHoursEnabled: true,
      quietHoursStart: '22:30',
      quietHoursEnd: '06:45',
      digestEnabled: true,
    });
    expect(toContractPreference(prefs)).toEqual({
      emailEnabled: true,
      smsEnabled: true,
      pushEnabled: false,
      inAppEnabled: true,
      quietHoursEnabled: true,
      quietHoursStart: '22:30',
      quietHoursEnd: '06:45',
      digestEnabled: true,
      digestFrequency: 'DAILY',
    });
    expect(toContractPreference(defaultPreferences()).digestFrequency).toBeNull();
  });
});
