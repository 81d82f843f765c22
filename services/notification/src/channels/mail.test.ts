import { MailService } from '@clubland/contract/notification/v1/mail';
import { isClubError } from '@clubland/errors';
import type { NotificationMessage } from '@clubland/notify';
import { createInMemoryTransport, createRpcClient } from '@clubland/rpc';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { EmailMessage } from './channel.ts';
import { notifierOverEmailSender, notifierOverMailService, registerMailRpc } from './mail.ts';

function mailService() {
  const sent: NotificationMessage[] = [];
  const client = createRpcClient(
    MailService,
    createInMemoryTransport(
      (router) =>
        registerMailRpc(router, {
          async send(message) {
            sent.push(message);
          },
        }),
      pino({ level: 'silent' }),
    ),
  );
  return { sent, client, notifier: notifierOverMailService(client) };
}

const verification: NotificationMessage = {
  to: 'ada@example.org',
  channel: 'email',
  template: 'auth.verify-email',
  subject: 'Confirm your email address',
  text: 'Open https://clubs.example.org/verify-email?token=abc to confirm.',
  data: { link: 'https://clubs.example.org/verify-email?token=abc', expiresAt: '2026-12-08T12:00:00.000Z' },
};

describe('MailService', () => {
  it('hands a message to the mail port as the sending service gave it, template and data kept', async () => {
    const { sent, notifier } = mailService();
    await notifier.send(verification);
    expect(sent).toEqual([verification]);
  });

  it('refuses bad input with a typed error naming the field, and sends nothing', async () => {
    const { sent, client } = mailService();
    const bad = async (override: Record<string, string>) => {
      const request = {
        to: verification.to,
        template: verification.template,
        subject: verification.subject,
        text: verification.text,
        dataJson: '{}',
        ...override,
      };
      const error = await client.sendEmail(request).catch((caught: unknown) => caught);
      if (!isClubError(error)) throw error;
      expect(error.code).toBe('request.invalid_input');
      return String(error.details.field);
    };
    expect(await bad({ to: 'not an address' })).toBe('to');
    expect(await bad({ to: 'a@b.example, c@d.example' })).toBe('to');
    expect(await bad({ template: '' })).toBe('template');
    expect(await bad({ subject: 'Hello\r\nBcc: victim@example.org' })).toBe('subject');
    expect(await bad({ text: '' })).toBe('text');
    expect(await bad({ dataJson: '[1]' })).toBe('dataJson');
    expect(sent).toEqual([]);
  });
});

describe('notifierOverEmailSender', () => {
  it('sends the text, an HTML part that escapes it, and names the template in a header', async () => {
    const got: EmailMessage[] = [];
    await notifierOverEmailSender({
      async send(message) {
        got.push(message);
        return { providerMessageId: null };
      },
    }).send({ ...verification, text: 'Dear <Ada> & co.' });
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({
      to: 'ada@example.org',
      subject: 'Confirm your email address',
      text: 'Dear <Ada> & co.',
      headers: { 'X-Clubland-Template': 'auth.verify-email' },
    });
    expect(got[0]!.html).toContain('Dear &lt;Ada&gt; &amp; co.');
  });
});
