import { describe, expect, it } from 'vitest';
import { planDeliveries } from './delivery-plan.ts';
import { applyPreferenceUpdate, defaultPreferences, type NotificationPreferences } from './preferences.ts';

function prefs(update: Parameters<typeof applyPreferenceUpdate>[1]): NotificationPreferences {
  const result = applyPreferenceUpdate(defaultPreferences('Europe/Paris'), update);
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

const night = new Date('2026-12-07T22:00:00Z'); // 23:00 in Paris
const morning = new Date('2026-12-08T06:00:00.000Z'); // 07:00 in Paris
const everywhere = ['IN_APP', 'EMAIL', 'SMS', 'PUSH'] as const;
const quiet = { quietHoursEnabled: true, quietHoursStart: '22:00', quietHoursEnd: '07:00' };

describe('planning deliveries', () => {
  it('sends on the priority channels at once when nothing holds them', () => {
    expect(
      planDeliveries({
        now: night,
        category: 'BOOKINGS',
        priority: 'NORMAL',
        preferences: prefs({}),
        reachable: everywhere,
      }),
    ).toEqual([
      { channel: 'IN_APP', action: 'SEND', at: night, heldByQuietHours: false },
      { channel: 'EMAIL', action: 'SEND', at: night, heldByQuietHours: false },
      { channel: 'PUSH', action: 'SEND', at: night, heldByQuietHours: false },
    ]);
  });

  it('holds an event at 23:00 member time until 07:00 on noisy channels, not in the app', () => {
    const plan = planDeliveries({
      now: night,
      category: 'EVENTS',
      priority: 'HIGH',
      preferences: prefs(quiet),
      reachable: everywhere,
    });
    expect(plan).toEqual([
      { channel: 'IN_APP', action: 'SEND', at: night, heldByQuietHours: false },
      { channel: 'EMAIL', action: 'SEND', at: morning, heldByQuietHours: true },
      { channel: 'PUSH', action: 'SEND', at: morning, heldByQuietHours: true },
    ]);
  });

  it('lets CRITICAL through quiet hours, adding SMS', () => {
    const plan = planDeliveries({
      now: night,
      category: 'MEMBERSHIP',
      priority: 'CRITICAL',
      preferences: prefs(quiet),
      reachable: everywhere,
    });
    expect(plan.map((d) => [d.channel, d.action, d.action === 'SEND' && d.at])).toEqual([
      ['IN_APP', 'SEND', night],
      ['EMAIL', 'SEND', night],
      ['PUSH', 'SEND', night],
      ['SMS', 'SEND', night],
    ]);
  });

  it('skips unreachable channels, switched-off channels and muted categories, saying why', () => {
    const plan = planDeliveries({
      now: night,
      category: 'EVENTS',
      priority: 'CRITICAL',
      preferences: prefs({
        smsEnabled: false,
        categories: [{ category: 'EVENTS', channel: 'EMAIL', enabled: false }],
      }),
      reachable: ['IN_APP', 'EMAIL', 'SMS'],
    });
    expect(plan.filter((d) => d.action === 'SKIP')).toEqual([
      { channel: 'EMAIL', action: 'SKIP', reason: 'category_muted' },
      { channel: 'PUSH', action: 'SKIP', reason: 'unreachable' },
      { channel: 'SMS', action: 'SKIP', reason: 'channel_off' },
    ]);
  });

  it('puts ordinary email in the digest due next, and sends the rest', () => {
    const plan = planDeliveries({
      now: night,
      category: 'ANNOUNCEMENTS',
      priority: 'LOW',
      preferences: prefs({ digestEnabled: true, digestTime: '18:00' }),
      reachable: everywhere,
    });
    expect(plan).toEqual([
      { channel: 'IN_APP', action: 'SEND', at: night, heldByQuietHours: false },
      { channel: 'EMAIL', action: 'DIGEST', at: new Date('2026-12-08T17:00:00Z') },
    ]);
  });

  it('holds a digest whose time falls in quiet hours until they end', () => {
    const plan = planDeliveries({
      now: night,
      category: 'EVENTS',
      priority: 'NORMAL',
      preferences: prefs({ ...quiet, digestEnabled: true, digestTime: '06:30' }),
      reachable: ['IN_APP', 'EMAIL'],
    });
    expect(plan[1]).toEqual({ channel: 'EMAIL', action: 'DIGEST', at: morning });
  });

  it('sends security mail by email at once, whatever the member switched off', () => {
    const plan = planDeliveries({
      now: night,
      category: 'SECURITY',
      priority: 'NORMAL',
      preferences: prefs({ ...quiet, emailEnabled: false, digestEnabled: true }),
      reachable: everywhere,
    });
    expect(plan).toEqual([{ channel: 'EMAIL', action: 'SEND', at: night, heldByQuietHours: false }]);
  });

  it('uses the channel a sender chose', () => {
    const plan = planDeliveries({
      now: night,
      category: 'ANNOUNCEMENTS',
      priority: 'NORMAL',
      preferences: prefs({}),
      reachable: everywhere,
      channels: ['SMS', 'SMS'],
    });
    expect(plan).toEqual([{ channel: 'SMS', action: 'SEND', at: night, heldByQuietHours: false }]);
  });
});
