import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClubBrands } from '../src/app/club-brands.ts';
import { createSmtpEmailSender, type SmtpEmailSender } from '../src/channels/smtp-email-sender.ts';
import {
  bookingEvent,
  callerOf,
  eventually,
  type NotificationHarness,
  setupNotificationService,
} from './setup.ts';

/**
 * A domain event to a mailbox: the notification service (real, on PGlite or PostgreSQL) renders the
 * catalogue text into the club's branded email and sends it by nodemailer over SMTP to a real SMTP
 * server (`smtp-server`) started here; the List-Unsubscribe link of the mail received then
 * unsubscribes. The club registry is a FAKE (a map answering getClub).
 */
const received: ParsedMail[] = [];
const raws: string[] = [];
let server: SMTPServer;
let smtpUrl: string;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        raws.push(Buffer.concat(chunks).toString('utf8'));
        received.push(await simpleParser(Buffer.concat(chunks)));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let h: NotificationHarness;
let smtp: SmtpEmailSender;
const club = uuidv7();
beforeEach(async () => {
  received.length = 0;
  raws.length = 0;
  smtp = createSmtpEmailSender({ url: smtpUrl, from: 'Clubland <no-reply@clubland.example>' });
  h = await setupNotificationService({
    channels: { email: smtp },
    unsubscribeSecrets: ['end-to-end-unsubscribe-secret-32-bytes-or-more'],
    clubs: createClubBrands({
      getClub: async ({ id }) => ({
        club:
          id === club
            ? { name: 'The Athenaeum <Pall Mall>', website: 'https://athenaeum.example' }
            : undefined,
      }),
    }),
  });
}, 60_000);
afterEach(async () => {
  smtp.close();
  await h.close();
});

describe('a notification email over SMTP', () => {
  it('arrives branded, with text and HTML parts and one-click unsubscribe headers whose link works', async () => {
    const ada = await h.person(club, 'MEMBER', 'ada@example.test');
    const total = async () => (await h.client.listNotifications({ caller: callerOf(ada) })).total;
    await eventually(async () => expect(await total()).toBe(1));
    await h.publish(bookingEvent(club, ada.userId, { facilityName: 'Court 2', guestCount: 1 }));
    await eventually(async () => expect(await total()).toBe(2));
    await h.deliverNow();
    await eventually(() => expect(received).toHaveLength(1));
    const mail = received[0]!;
    expect(mail.subject).toBe('Booking confirmed: Court 2');
    expect(mail.to).toMatchObject({ text: 'ada@example.test' });
    expect(mail.text).toContain(
      'Court 2 is yours on Tuesday, December 8, 2026, 10:00 AM to 11:00 AM, with 1 guest.',
    );
    // The club's name escaped in the branded HTML part, and the website link from the registry.
    expect(mail.html).toContain('The Athenaeum &lt;Pall Mall&gt;');
    expect(mail.html).not.toContain('<Pall Mall>');
    expect(mail.html).toContain('https://athenaeum.example');
    // Headers as sent (mailparser folds the List-* ones into a structure of its own).
    const headers = raws[0]!.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
    const link = /^List-Unsubscribe: <(http[^>]+)>$/im.exec(headers)?.[1];
    expect(link).toMatch(/^http:\/\/localhost:8080\/notifications\/unsubscribe\?token=/);
    expect(headers).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/im);
    expect(headers).toMatch(/^Content-Type: multipart\/alternative;/im);
    expect(mail.text).toContain(link!);

    const token = new URL(link!).searchParams.get('token')!;
    expect(await h.client.unsubscribe({ token, apply: true })).toMatchObject({
      category: 'BOOKINGS',
      channel: 'EMAIL',
      applied: true,
    });
    await h.publish(bookingEvent(club, ada.userId, { facilityName: 'Court 3', guestCount: 1 }));
    await eventually(async () => expect(await total()).toBe(3));
    await h.deliverNow();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received).toHaveLength(1);
  });
});
