import { describe, expect, it } from 'vitest';
import {
  checkSchedule,
  checkStatusTransition,
  isExpired,
  NOTIFICATION_STATUSES,
  type NotificationStatus,
} from './notification-status.ts';

const legal: [NotificationStatus, NotificationStatus][] = [
  ['PENDING', 'SENT'],
  ['PENDING', 'DELIVERED'],
  ['PENDING', 'FAILED'],
  ['PENDING', 'READ'],
  ['SENT', 'DELIVERED'],
  ['SENT', 'FAILED'],
  ['SENT', 'READ'],
  ['DELIVERED', 'FAILED'],
  ['DELIVERED', 'READ'],
  ['FAILED', 'PENDING'],
  ['FAILED', 'READ'],
];

describe('the notification status', () => {
  it.each(legal)('allows %s -> %s', (from, to) => {
    expect(checkStatusTransition(from, to)).toEqual({ ok: true, value: { from, to, changed: true } });
  });

  const illegal = NOTIFICATION_STATUSES.flatMap((from) =>
    NOTIFICATION_STATUSES.filter((to) => !(from === 'READ' && to === 'READ'))
      .filter((to) => !legal.some(([f, t]) => f === from && t === to))
      .map((to) => [from, to] as const),
  );

  it.each(illegal)('refuses %s -> %s as a conflict', (from, to) => {
    expect(checkStatusTransition(from, to)).toMatchObject({ ok: false, code: 'entity.conflict' });
  });

  it('reads a read notification again as no change', () => {
    expect(checkStatusTransition('READ', 'READ')).toEqual({
      ok: true,
      value: { from: 'READ', to: 'READ', changed: false },
    });
    expect(illegal).toHaveLength(13);
  });
});

describe('a sender schedule', () => {
  const now = new Date('2026-12-07T12:00:00Z');
  const at = (iso: string) => new Date(iso);

  it('sends now without a date, or at the date given', () => {
    expect(checkSchedule(now, null, null)).toEqual({ ok: true, value: { sendAt: now, expiresAt: null } });
    expect(checkSchedule(now, at('2026-12-08T09:00:00Z'), at('2026-12-09T00:00:00Z'))).toEqual({
      ok: true,
      value: { sendAt: at('2026-12-08T09:00:00Z'), expiresAt: at('2026-12-09T00:00:00Z') },
    });
    expect(checkSchedule(now, at('2026-12-07T11:59:30Z'), null)).toMatchObject({
      ok: true,
      value: { sendAt: now },
    });
  });

  it('refuses the past, the far future and an expiry before sending', () => {
    expect(checkSchedule(now, at('2026-12-07T11:00:00Z'), null)).toMatchObject({
      field: 'input.scheduledFor',
    });
    expect(checkSchedule(now, at('2028-01-01T00:00:00Z'), null)).toMatchObject({
      field: 'input.scheduledFor',
    });
    expect(checkSchedule(now, at('2026-12-08T09:00:00Z'), at('2026-12-08T09:00:00Z'))).toMatchObject({
      field: 'input.expiresAt',
    });
    expect(checkSchedule(now, null, at('2026-12-07T11:00:00Z'))).toMatchObject({ field: 'input.expiresAt' });
  });

  it('drops a delivery once its notification expired', () => {
    expect(isExpired(null, now)).toBe(false);
    expect(isExpired(at('2026-12-07T12:00:01Z'), now)).toBe(false);
    expect(isExpired(now, now)).toBe(true);
  });
});
