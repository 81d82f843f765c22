import { describe, expect, it } from 'vitest';
import { DeliveryError, type EmailMessage } from './channels/channel.ts';
import { notifierOverEmail } from './email-notifier.ts';

describe('the mail port over the email channel', () => {
  it('sends the text, an escaped HTML part and the template as a header', async () => {
    const sent: EmailMessage[] = [];
    const notifier = notifierOverEmail(
      {
        async send(message) {
          sent.push(message);
          return { providerMessageId: null };
        },
      },
      () => 'id-1',
    );
    await notifier.send({
      to: 'ada@example.org',
      channel: 'email',
      template: 'auth.verify-email',
      subject: 'Verify your email',
      text: 'Open <this> link:\nhttp://localhost:8080/verify-email?token=a&b\n\nThanks',
      data: { link: 'http://localhost:8080/verify-email?token=a&b' },
    });
    expect(sent).toEqual([
      {
        messageId: 'id-1',
        to: 'ada@example.org',
        subject: 'Verify your email',
        text: 'Open <this> link:\nhttp://localhost:8080/verify-email?token=a&b\n\nThanks',
        html:
          '<!doctype html><html><body><p>Open &lt;this&gt; link:<br>' +
          'http://localhost:8080/verify-email?token=a&amp;b</p><p>Thanks</p></body></html>',
        headers: { 'X-Clubland-Template': 'auth.verify-email' },
      },
    ]);
  });

  it('fails as the sender fails: the caller learns the mail did not leave', async () => {
    const notifier = notifierOverEmail({
      async send() {
        throw new DeliveryError('550 mailbox unavailable', false, 550);
      },
    });
    await expect(
      notifier.send({
        to: 'x@example.org',
        channel: 'email',
        template: 't',
        subject: 's',
        text: 't',
        data: {},
      }),
    ).rejects.toThrow('550 mailbox unavailable');
  });
});
