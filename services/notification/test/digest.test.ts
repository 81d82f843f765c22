import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  bookingEvent,
  callerOf,
  eventually,
  type NotificationHarness,
  setupNotificationService,
} from './setup.ts';

let h: NotificationHarness;
beforeEach(async () => {
  h = await setupNotificationService({ unsubscribeSecrets: ['digest-test-secret-of-at-least-32-bytes!'] });
}, 60_000);
afterEach(async () => {
  await h.close();
});

/** A booking for 2026-12-09 (bookingEvent's default day is the 8th), as this file's tests read it. */
const booking = (clubId: string, memberUserId: string, facilityName: string, to: 'CONFIRMED' | 'CANCELLED') =>
  bookingEvent(clubId, memberUserId, {
    facilityName,
    to,
    startsAt: '2026-12-09T10:00:00.000Z',
    endsAt: '2026-12-09T11:00:00.000Z',
  });

describe('the daily digest', () => {
  it("gathers a day's ordinary emails into one at the member's digest time; urgent ones go at once", async () => {
    const club = h.newClub();
    const ada = await h.person(club, 'MEMBER', 'ada@example.test');
    await eventually(async () =>
      expect((await h.client.listNotifications({ caller: callerOf(ada) })).total).toBe(1),
    );
    await h.client.updatePreferences({
      caller: callerOf(ada),
      digestEnabled: true,
      timezone: 'Europe/Paris',
    });
    // 12:00 UTC: two confirmations (NORMAL) wait for the digest; a cancellation (HIGH) does not.
    await h.publish(booking(club, ada.userId, 'Court 1', 'CONFIRMED'));
    await h.publish(booking(club, ada.userId, 'Court 2', 'CONFIRMED'), 2);
    await h.publish(booking(club, ada.userId, 'Court 3', 'CANCELLED'));
    await eventually(async () =>
      expect((await h.client.listNotifications({ caller: callerOf(ada) })).total).toBe(4),
    );
    await h.deliverNow();
    expect(h.email.sent.map((m) => m.subject)).toEqual(['Booking cancelled: Court 3']);

    // The digest time is 08:00 in Paris, 07:00 UTC the next day.
    h.advance(Date.parse('2026-12-08T06:59:59.000Z') - h.now().getTime());
    await h.deliverNow();
    expect(h.email.sent).toHaveLength(1);
    h.advance(1_000);
    await h.deliverNow();
    await h.deliverNow();
    expect(h.email.sent).toHaveLength(2);
    const digest = h.email.sent[1]!;
    expect(digest.to).toBe('ada@example.test');
    expect(digest.text).toContain('Booking confirmed: Court 1');
    expect(digest.text).toContain('Booking confirmed: Court 2');
    expect(digest.text).not.toContain('Court 3');
    expect(digest.html).toContain('Booking confirmed: Court 2');
    expect(digest.unsubscribeUrl).toMatch(/\/notifications\/unsubscribe\?token=/);

    const { rows } = await h.db.transaction((tx) =>
      tx.query<{ status: string; n: string }>(
        `SELECT status, count(*) AS n FROM notification.deliveries
          WHERE user_id = $1 AND channel = 'EMAIL' GROUP BY status`,
        [ada.userId],
      ),
    );
    expect(rows).toEqual([{ status: 'SENT', n: '3' }]);

    // Its link (ALL on email) turns email off: the next confirmation stays in the app.
    const token = new URL(digest.unsubscribeUrl!).searchParams.get('token')!;
    expect(await h.client.unsubscribe({ token, apply: true })).toMatchObject({
      category: 'ALL',
      applied: true,
    });
    await h.publish(booking(club, ada.userId, 'Court 4', 'CONFIRMED'));
    await eventually(async () =>
      expect((await h.client.listNotifications({ caller: callerOf(ada) })).total).toBe(5),
    );
    const [latest] = (await h.client.listNotifications({ caller: callerOf(ada) })).notifications;
    expect(latest!.channels).not.toContain('EMAIL');
  });
});
