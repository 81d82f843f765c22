import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { memberErased } from '@clubland/contract/events/member';
import { NotificationDraftSchema } from '@clubland/contract/notification/v1';
import { isClubError } from '@clubland/errors';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../src/channels/channel.ts';
import { createNotifications } from '../src/index.ts';
import {
  bookingEvent,
  callerOf,
  eventually,
  type NotificationHarness,
  setupNotificationService,
} from './setup.ts';

let h: NotificationHarness;

// A cold PGlite on a busy machine takes more than the default 10 s to start.
beforeEach(async () => {
  h = await setupNotificationService();
}, 60_000);
afterEach(async () => {
  await h.close();
});

const draft = (fields: Partial<{ channel: string; title: string; body: string; scheduledFor: Date }> = {}) =>
  create(NotificationDraftSchema, {
    channel: fields.channel ?? 'IN_APP',
    title: fields.title ?? 'Pool closed',
    body: fields.body ?? 'The pool is closed on Friday.',
    ...(fields.scheduledFor ? { scheduledFor: timestampFromDate(fields.scheduledFor) } : {}),
  });

async function inbox(principal: Parameters<typeof callerOf>[0]) {
  return h.client.listNotifications({ caller: callerOf(principal) });
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isClubError(error)) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('notifications from domain events', () => {
  it('a duplicated domain event produces one notification, announced once', async () => {
    const club = h.newClub();
    const ada = await h.person(club);
    const event = bookingEvent(club, ada.userId);
    await h.publish(event, 3);
    // The membership's (member.created), and the booking's once however often it arrived.
    await eventually(async () => expect((await inbox(ada)).total).toBe(2));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { notifications, total } = await inbox(ada);
    expect(total).toBe(2);
    expect(notifications[0]).toMatchObject({
      userId: ada.userId,
      clubId: club,
      type: 'booking.status_changed',
      title: 'Booking confirmed: Court 2',
      status: 'DELIVERED',
      channels: ['IN_APP', 'EMAIL', 'PUSH'],
    });
    expect(notifications[0]!.body).toContain('Court 2');
    await eventually(() =>
      expect(
        h.published.filter(
          (e) => e.type === 'notification.created' && (e.data as { userId: string }).userId === ada.userId,
        ),
      ).toHaveLength(2),
    );
    const count = await h.db.transaction((tx) =>
      tx.query<{ n: string }>(
        `SELECT count(*) AS n FROM notification.notifications WHERE source_event_id = $1`,
        [event.id],
      ),
    );
    expect(count.rows[0]!.n).toBe('1');
  });

  it('the database keeps one notification per event and person even if the consumer marker is lost', async () => {
    const club = h.newClub();
    const userId = uuidv7();
    const notice = {
      clubId: club,
      userId,
      type: 'booking.status_changed',
      category: 'bookings',
      title: 'Booking confirmed',
      body: 'Court 2',
      priority: 'NORMAL' as const,
      channels: ['IN_APP' as const],
      sourceEventId: uuidv7(),
      sentBy: null,
    };
    const context = { clock: h.now, newId: uuidv7, correlationId: null };
    const deps = { deliverAt: (now: Date) => now, channels: {} };
    const first = await h.db.transaction((tx) => createNotifications(tx, deps, context, [notice]));
    const second = await h.db.transaction((tx) => createNotifications(tx, deps, context, [notice]));
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(0);
  });
});

describe("a person's inbox", () => {
  it('counts unread, marks one and then all read, and hides other people’s notifications', async () => {
    const club = h.newClub();
    const ada = await h.person(club);
    const bob = await h.person(club);
    await h.publish(bookingEvent(club, ada.userId));
    await eventually(async () => expect((await inbox(ada)).total).toBe(2));
    expect((await h.client.countUnread({ caller: callerOf(ada) })).count).toBe(2);
    expect((await inbox(bob)).total).toBe(1);

    const [newest] = (await inbox(ada)).notifications;
    expect(await codeOf(h.client.markRead({ caller: callerOf(bob), id: newest!.id }))).toBe(
      'entity.not_found',
    );
    expect(await codeOf(h.client.getNotification({ caller: callerOf(bob), id: newest!.id }))).toBe(
      'entity.not_found',
    );

    const read = await h.client.markRead({ caller: callerOf(ada), id: newest!.id });
    expect(read.notification).toMatchObject({ status: 'READ' });
    expect(read.notification!.readAt).toBeDefined();
    expect((await h.client.countUnread({ caller: callerOf(ada) })).count).toBe(1);
    expect((await h.client.listNotifications({ caller: callerOf(ada), unreadOnly: true })).total).toBe(1);

    expect((await h.client.markAllRead({ caller: callerOf(ada) })).marked).toBe(1);
    expect((await h.client.countUnread({ caller: callerOf(ada) })).count).toBe(0);
    expect((await h.client.countUnread({ caller: callerOf(bob) })).count).toBe(1);
  });

  it('refuses a bad id or page with a typed error', async () => {
    const ada = await h.person(h.newClub());
    expect(await codeOf(h.client.markRead({ caller: callerOf(ada), id: 'nope' }))).toBe(
      'request.invalid_input',
    );
    expect(await codeOf(h.client.listNotifications({ caller: callerOf(ada), pageSize: 1000 }))).toBe(
      'request.invalid_input',
    );
    expect(await codeOf(h.client.countUnread({}))).toBe('request.unauthenticated');
  });
});

describe("a club's sends", () => {
  it("staff send to their own club's members, and to nobody else", async () => {
    const club = h.newClub();
    const other = h.newClub();
    const admin = await h.person(club, 'CLUB_ADMIN');
    const ada = await h.person(club);
    const stranger = await h.person(other);
    await eventually(async () => expect((await inbox(stranger)).total).toBe(1));

    const { notification } = await h.client.sendNotification({
      caller: callerOf(admin),
      userId: ada.userId,
      draft: draft(),
    });
    expect(notification).toMatchObject({
      userId: ada.userId,
      clubId: club,
      title: 'Pool closed',
      status: 'DELIVERED',
    });

    expect(
      await codeOf(
        h.client.sendNotification({ caller: callerOf(admin), userId: stranger.userId, draft: draft() }),
      ),
    ).toBe('request.forbidden');
    expect(
      await codeOf(
        h.client.sendNotification({ caller: callerOf(ada), userId: admin.userId, draft: draft() }),
      ),
    ).toBe('request.forbidden');
    expect(
      await codeOf(
        h.client.sendBulkNotifications({
          caller: callerOf(admin),
          userIds: [ada.userId, stranger.userId],
          draft: draft(),
        }),
      ),
    ).toBe('request.forbidden');
    expect(
      await codeOf(
        h.client.sendNotification({
          caller: callerOf(admin),
          userId: ada.userId,
          draft: draft({ title: '' }),
        }),
      ),
    ).toBe('request.invalid_input');
    // Refusals changed nothing: the stranger has only their membership's notice.
    expect((await inbox(stranger)).total).toBe(1);

    const bulk = await h.client.sendBulkNotifications({
      caller: callerOf(admin),
      userIds: [ada.userId, admin.userId],
      draft: draft({ channel: 'EMAIL', title: 'AGM' }),
    });
    expect(bulk.notifications.map((n) => n.userId).sort()).toEqual([ada.userId, admin.userId].sort());
  });

  it('a scheduled send waits out of the inbox until its time, then arrives once', async () => {
    const club = h.newClub();
    const admin = await h.person(club, 'CLUB_ADMIN');
    const ada = await h.person(club);
    await eventually(async () => expect((await inbox(ada)).total).toBe(1));
    const at = new Date(h.now().getTime() + 3_600_000);
    const { notification } = await h.client.sendNotification({
      caller: callerOf(admin),
      userId: ada.userId,
      draft: draft({ scheduledFor: at }),
    });
    expect(notification!.status).toBe('PENDING');
    expect((await inbox(ada)).total).toBe(1);
    expect((await h.client.listPending({ caller: callerOf(ada) })).notifications).toHaveLength(1);

    await h.deliverNow();
    expect((await inbox(ada)).total).toBe(1);
    h.advance(3_600_000);
    await h.deliverNow();
    await h.deliverNow();
    expect((await inbox(ada)).total).toBe(2);
    await eventually(() =>
      expect(
        h.published.filter((e) => (e.data as { notificationId: string }).notificationId === notification!.id),
      ).toHaveLength(1),
    );
  });
});

describe('delivery by channel', () => {
  async function emailNotice() {
    const club = h.newClub();
    const admin = await h.person(club, 'CLUB_ADMIN');
    const ada = await h.person(club, 'MEMBER', 'ada@example.test');
    await eventually(async () => expect((await inbox(ada)).total).toBe(1));
    const { notification } = await h.client.sendNotification({
      caller: callerOf(admin),
      userId: ada.userId,
      draft: draft({ channel: 'EMAIL', title: 'Dinner <b>tonight</b>' }),
    });
    const deliveries = () =>
      h.db.transaction(async (tx) => {
        const { rows } = await tx.query<{ status: string; attempts: number; last_error: string | null }>(
          `SELECT status, attempts, last_error FROM notification.deliveries WHERE notification_id = $1`,
          [notification!.id],
        );
        return rows;
      });
    return { ada, admin, notification: notification!, deliveries };
  }

  it('sends email through the channel, retrying a retryable failure with backoff until it goes', async () => {
    const { notification, deliveries } = await emailNotice();
    h.email.outcomes.push(new DeliveryError('421 try later', true, 421), new Error('ECONNRESET'));
    await h.deliverNow();
    expect(await deliveries()).toEqual([{ status: 'PENDING', attempts: 1, last_error: '421 try later' }]);
    await h.deliverNow();
    expect(h.email.sent).toHaveLength(0);
    h.advance(60_000);
    await h.deliverNow();
    expect(await deliveries()).toEqual([{ status: 'PENDING', attempts: 2, last_error: 'ECONNRESET' }]);
    h.advance(60_000);
    await h.deliverNow();
    expect(await deliveries()).toEqual([{ status: 'SENT', attempts: 3, last_error: null }]);
    expect(h.email.sent).toHaveLength(1);
    expect(h.email.sent[0]).toMatchObject({ to: 'ada@example.test', subject: 'Dinner <b>tonight</b>' });
    expect(h.email.sent[0]!.html).toContain('Dinner &lt;b&gt;tonight&lt;/b&gt;');
    expect(h.email.sent[0]!.text).toContain('The pool is closed on Friday.');
    expect(h.email.sent[0]!.messageId).not.toBe(notification.id);
  });

  it('gives up at once on a failure that is not retryable, and after the last attempt otherwise', async () => {
    const first = await emailNotice();
    h.email.outcomes.push(new DeliveryError('550 no such mailbox', false, 550));
    await h.deliverNow();
    expect(await first.deliveries()).toEqual([
      { status: 'FAILED', attempts: 1, last_error: '550 no such mailbox' },
    ]);

    // Staff retry a failed delivery; the person may see its status but not retry it.
    const [failed] = (
      await h.client.listDeliveries({ caller: callerOf(first.ada), notificationId: first.notification.id })
    ).deliveries;
    expect(failed).toMatchObject({
      channel: 'EMAIL',
      status: 'FAILED',
      attempts: 1,
      lastError: '550 no such mailbox',
    });
    expect(await codeOf(h.client.retryDelivery({ caller: callerOf(first.ada), id: failed!.id }))).toBe(
      'entity.not_found',
    );
    const retried = await h.client.retryDelivery({ caller: callerOf(first.admin), id: failed!.id });
    expect(retried.delivery).toMatchObject({ status: 'PENDING', attempts: 0 });
    await h.deliverNow();
    expect(await first.deliveries()).toEqual([{ status: 'SENT', attempts: 1, last_error: null }]);
    expect(await codeOf(h.client.retryDelivery({ caller: callerOf(first.admin), id: failed!.id }))).toBe(
      'entity.conflict',
    );
    h.email.sent.length = 0;

    const second = await emailNotice();
    h.email.outcomes.push(new Error('down'), new Error('down'), new Error('down'));
    for (let i = 0; i < 3; i++) {
      await h.deliverNow();
      h.advance(60_000);
    }
    expect(await second.deliveries()).toEqual([{ status: 'FAILED', attempts: 3, last_error: 'down' }]);
    expect(h.email.sent).toHaveLength(0);
  });

  it("follows the person's preferences: email off, no email", async () => {
    const club = h.newClub();
    const admin = await h.person(club, 'CLUB_ADMIN');
    const ada = await h.person(club);
    await eventually(async () => expect((await inbox(ada)).total).toBe(1));
    const updated = await h.client.updatePreferences({ caller: callerOf(ada), emailEnabled: false });
    expect(updated.preferences).toMatchObject({ emailEnabled: false, inAppEnabled: true });
    expect(
      await codeOf(h.client.updatePreferences({ caller: callerOf(ada), quietHoursStart: '25:00' })),
    ).toBe('request.invalid_input');
    const { notification } = await h.client.sendNotification({
      caller: callerOf(admin),
      userId: ada.userId,
      draft: draft({ channel: 'EMAIL' }),
    });
    expect(notification!.channels).toEqual(['IN_APP']);
    await h.deliverNow();
    expect(h.email.sent).toHaveLength(0);
  });
});

describe('quiet hours (the seam; the rule itself is src/domain/quiet-hours.ts)', () => {
  it('holds email until the end the rule gives, shows in-app at once, and sends once', async () => {
    await h.close();
    // A stand-in for the domain's deliverAt: quiet for everyone with quiet hours on, for 8 hours.
    const quietFor8Hours = (
      at: Date,
      prefs: { quietHoursEnabled: boolean },
      priority: string,
      channel: string,
    ) =>
      prefs.quietHoursEnabled && priority !== 'CRITICAL' && channel !== 'IN_APP'
        ? new Date(at.getTime() + 8 * 3_600_000)
        : at;
    h = await setupNotificationService({ deliverAt: quietFor8Hours });
    const club = h.newClub();
    const ada = await h.person(club, 'MEMBER', 'ada@example.test');
    await eventually(async () => expect((await inbox(ada)).total).toBe(1));
    await h.client.updatePreferences({
      caller: callerOf(ada),
      quietHoursEnabled: true,
      quietHoursStart: '22:00',
      quietHoursEnd: '07:00',
    });
    await h.publish(bookingEvent(club, ada.userId), 2);
    await eventually(async () => expect((await inbox(ada)).total).toBe(2));
    await h.deliverNow();
    expect(h.email.sent).toHaveLength(0);
    h.advance(8 * 3_600_000 - 1_000);
    await h.deliverNow();
    expect(h.email.sent).toHaveLength(0);
    h.advance(1_000);
    await h.deliverNow();
    await h.deliverNow();
    expect(h.email.sent.map((m) => m.subject)).toEqual(['Booking confirmed: Court 2']);
  });
});

describe('quiet hours by default (the domain rule in the member time zone)', () => {
  it('an event at 23:00 member time is emailed at the end of quiet hours, once', async () => {
    const club = h.newClub();
    const ada = await h.person(club, 'MEMBER', 'ada@example.test');
    await eventually(async () => expect((await inbox(ada)).total).toBe(1));
    await h.client.updatePreferences({
      caller: callerOf(ada),
      timezone: 'Europe/Paris',
      quietHoursEnabled: true,
      quietHoursStart: '22:00',
      quietHoursEnd: '07:00',
    });
    // 22:00 UTC is 23:00 in Paris (UTC+1 in December); quiet hours end at 07:00 Paris, 06:00 UTC.
    h.advance(Date.parse('2026-12-07T22:00:00.000Z') - h.now().getTime());
    await h.publish(bookingEvent(club, ada.userId), 2);
    await eventually(async () => expect((await inbox(ada)).total).toBe(2));
    expect((await inbox(ada)).notifications[0]).toMatchObject({ status: 'DELIVERED' });
    await h.deliverNow();
    expect(h.email.sent).toHaveLength(0);
    h.advance(Date.parse('2026-12-08T05:59:59.000Z') - h.now().getTime());
    await h.deliverNow();
    expect(h.email.sent).toHaveLength(0);
    h.advance(1_000);
    await h.deliverNow();
    await h.deliverNow();
    h.advance(3_600_000);
    await h.deliverNow();
    expect(h.email.sent).toHaveLength(1);
    expect(h.email.sent[0]).toMatchObject({ to: 'ada@example.test' });
    const sentAt = await h.db.transaction((tx) =>
      tx.query<{ sent_at: Date }>(
        `SELECT sent_at FROM notification.deliveries WHERE user_id = $1 AND channel = 'EMAIL'`,
        [ada.userId],
      ),
    );
    expect(sentAt.rows.map((r) => new Date(r.sent_at).toISOString())).toEqual(['2026-12-08T06:00:00.000Z']);
  });
});

describe('erasure', () => {
  it("a member's erasure removes that club's notifications to them, and no other club's", async () => {
    const club = h.newClub();
    const other = h.newClub();
    const ada = await h.person(club);
    await h.publish(bookingEvent(club, ada.userId));
    await h.publish(bookingEvent(other, ada.userId));
    await eventually(async () => expect((await inbox(ada)).total).toBe(3));
    await h.publish(
      memberErased.build({
        tenantId: club,
        correlationId: null,
        data: { memberId: uuidv7(), clubId: club, userId: ada.userId, ledgerIdentity: 'erased' },
      }),
    );
    await eventually(async () => expect((await inbox(ada)).total).toBe(1));
    expect((await inbox(ada)).notifications[0]!.clubId).toBe(other);
  });
});
