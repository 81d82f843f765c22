import { MailService } from '@clubland/contract/notification/v1/mail';
import { invalidInput } from '@clubland/errors';
import type { NotificationMessage, Notifier } from '@clubland/notify';
import type { Client, ConnectRouter } from '@connectrpc/connect';
import { v7 as uuidv7 } from 'uuid';
import type { EmailSender } from './channel.ts';

/**
 * Other services' mail (the auth service's verification, reset and invitation emails) through
 * this service's email channel. They keep their Notifier port (packages/notify); in the process
 * that wires them, `notifierOverMailService` meets it with a MailService client, and this service
 * hands each message to its `transactionalMail` port: the SMTP sender when SMTP_URL is set
 * (`notifierOverEmailSender`), else the local outbox folder (packages/notify's file notifier, kept
 * as it was: the template and data a first-run reader and the demo seed read links from).
 */

const MAX_TEXT = 100_000;
const ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+$/;

/** MailService: a checked message to `mail`, sent before the answer. Bad input changes nothing. */
export function registerMailRpc(router: ConnectRouter, mail: Notifier): void {
  router.service(MailService, {
    async sendEmail(request) {
      const to = request.to.trim();
      if (to.length > 320 || !ADDRESS.test(to)) throw invalidInput('to', 'one email address');
      if (!/^[a-z][a-z0-9_.-]{0,99}$/.test(request.template))
        throw invalidInput('template', 'a template name such as auth.verify-email');
      const subject = request.subject.trim();
      if (subject.length < 1 || subject.length > 300 || /[\r\n]/.test(subject))
        throw invalidInput('subject', 'one line of 1-300 characters');
      if (request.text.length < 1 || request.text.length > MAX_TEXT)
        throw invalidInput('text', `1-${MAX_TEXT} characters`);
      let data: Record<string, unknown> = {};
      if (request.dataJson !== '') {
        try {
          const parsed: unknown = JSON.parse(request.dataJson);
          if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error();
          data = parsed as Record<string, unknown>;
        } catch {
          throw invalidInput('dataJson', 'a JSON object');
        }
      }
      await mail.send({
        to,
        channel: 'email',
        template: request.template,
        subject,
        text: request.text,
        data,
      });
      return { providerMessageId: '' };
    },
  });
}

/** The Notifier port over an email channel sender (SMTP): plain text, and HTML when data has it. */
export function notifierOverEmailSender(sender: EmailSender): Notifier {
  return {
    async send(message: NotificationMessage) {
      const html = typeof message.data.html === 'string' ? message.data.html : '';
      await sender.send({
        messageId: uuidv7(),
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: html || textAsHtml(message.text),
        headers: { 'X-Clubland-Template': message.template },
      });
    },
  };
}

/** The Notifier port of a service that mails through the notification service (MailService). */
export function notifierOverMailService(client: Client<typeof MailService>): Notifier {
  return {
    async send(message: NotificationMessage) {
      await client.sendEmail({
        to: message.to,
        template: message.template,
        subject: message.subject,
        text: message.text,
        dataJson: JSON.stringify(message.data),
      });
    },
  };
}

function textAsHtml(text: string): string {
  const escaped = text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!,
  );
  return `<!doctype html><html><body><pre style="font-family: sans-serif; white-space: pre-wrap">${escaped}</pre></body></html>`;
}
