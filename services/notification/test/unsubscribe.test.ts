import { isClubError } from '@clubland/errors';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUnsubscribeToken } from '../src/domain/unsubscribe-token.ts';
import {
  bookingEvent,
  callerOf,
  eventually,
  type NotificationHarness,
  setupNotificationService,
} from './setup.ts';

const SECRET = 'unsubscribe-test-secret-of-at-least-32-bytes';

let h: NotificationHarness;

beforeEach(async () => {
  h = await setupNotificationService({ unsubscribeSecrets: [SECRET] });
}, 60_000);
afterEach(async () => {
  await h.close();
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isClubError(error)) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
}

async function mutedOf(userId: string) {
  const { rows } = await h.db.transaction((tx) =>
    tx.query<{ muted_categories: Record<string, string[]>; email_enabled: boolean }>(
      `SELECT muted_categories, email_enabled FROM notification.preferences WHERE user_id = $1`,
      [userId],
    ),
  );
  return rows;
}

describe('unsubscribe links', () => {
  it("the link in a booking's email mutes bookings on email, and only that; a tampered one changes nothing", async () => {
    const club = h.newClub();
    const ada = await h.person(club, 'MEMBER', 'ada@example.test');
    await eventually(async () =>
      expect((await h.client.listNotifications({ caller: callerOf(ada) })).total).toBe(1),
    );
    await h.publish(bookingEvent(club, ada.userId));
    await eventually(async () =>
      expect((await h.client.listNotifications({ caller: callerOf(ada) })).total).toBe(2),
    );
    await h.deliverNow();
    expect(h.email.sent).toHaveLength(1);
    const mail = h.email.sent[0]!;
    expect(mail.subject).toBe('Booking confirmed: Court 2');
    const link = mail.unsubscribeUrl!;
    expect(link).toMatch(/^http:\/\/localhost:8080\/notifications\/unsubscribe\?token=/);
    expect(mail.text).toContain(link);
    expect(mail.html).toContain(link.replace(/&/g, '&amp;'));
    const token = new URL(link).searchParams.get('token')!;

    // Tampered (a character of the claims, or of the signature, changed), or signed with another
    // secret: refused.
    const flip = (text: string, at: number) =>
      `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
    for (const tampered of [flip(token, 5), flip(token, token.indexOf('.') + 3)])
      expect(await codeOf(h.client.unsubscribe({ token: tampered, apply: true }))).toBe(
        'request.invalid_input',
      );
    const foreign = createUnsubscribeToken(
      { userId: ada.userId, clubId: club, category: 'BOOKINGS', channel: 'EMAIL' },
      { now: h.now(), secrets: ['another-secret-of-at-least-32-bytes-long'] },
    );
    expect(await codeOf(h.client.unsubscribe({ token: foreign, apply: true }))).toBe('request.invalid_input');
    // Security messages cannot be unsubscribed from, even with a validly signed token.
    const security = createUnsubscribeToken(
      { userId: ada.userId, clubId: club, category: 'SECURITY', channel: 'EMAIL' },
      { now: h.now(), secrets: [SECRET] },
    );
    expect(await codeOf(h.client.unsubscribe({ token: security, apply: true }))).toBe(
      'request.invalid_input',
    );
    // Looking (the GET page) changes nothing either.
    expect(await h.client.unsubscribe({ token, apply: false })).toMatchObject({
      category: 'BOOKINGS',
      channel: 'EMAIL',
      applied: false,
    });
    expect(await mutedOf(ada.userId)).toEqual([]);

    expect(await h.client.unsubscribe({ token, apply: true })).toMatchObject({
      category: 'BOOKINGS',
      channel: 'EMAIL',
      applied: true,
    });
    expect(await h.client.unsubscribe({ token, apply: true })).toMatchObject({ applied: true });
    expect(await mutedOf(ada.userId)).toEqual([
      { muted_categories: { EMAIL: ['bookings'] }, email_enabled: true },
    ]);

    // The next booking reaches the inbox but not the mailbox; other categories still mail.
    await h.publish(bookingEvent(club, ada.userId, { to: 'CANCELLED' }));
    await eventually(async () =>
      expect((await h.client.listNotifications({ caller: callerOf(ada) })).total).toBe(3),
    );
    const [latest] = (await h.client.listNotifications({ caller: callerOf(ada) })).notifications;
    expect(latest).toMatchObject({ type: 'booking.status_changed', channels: ['IN_APP', 'PUSH'] });
    await h.deliverNow();
    expect(h.email.sent).toHaveLength(1);

    // A link's token expires (90 days): then refused.
    h.advance(91 * 86_400_000);
    expect(await codeOf(h.client.unsubscribe({ token, apply: true }))).toBe('request.invalid_input');
  });
});
