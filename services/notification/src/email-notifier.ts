import type { Notifier } from '@clubland/notify';
import { v7 as uuidv7 } from 'uuid';
import { escapeHtml } from './app/email-body.ts';
import type { EmailSender } from './channels/channel.ts';

/**
 * The auth and reciprocal services' mail port (packages/notify's Notifier) over this service's
 * email channel: once an SMTP server is configured, verification, reset and invitation mails leave
 * by the same sender as notifications (issue 33, item 5). The message is the text the service
 * wrote; the HTML part is that text, escaped, paragraph by paragraph; the template's name travels
 * as a header so a mail's kind can be told without reading it.
 */
export function notifierOverEmail(sender: EmailSender, newId: () => string = uuidv7): Notifier {
  return {
    async send(message) {
      await sender.send({
        messageId: newId(),
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: `<!doctype html><html><body>${message.text
          .split(/\n{2,}/)
          .map((paragraph) => `<p>${escapeHtml(paragraph).replaceAll('\n', '<br>')}</p>`)
          .join('')}</body></html>`,
        headers: { 'X-Clubland-Template': message.template },
      });
    },
  };
}
