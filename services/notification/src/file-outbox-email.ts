import type { Notifier } from '@clubland/notify';
import type { EmailSender } from './channels/channel.ts';

/**
 * The embedded default for email: each message goes to the local outbox folder through
 * packages/notify (one JSON file a message), as the auth service's mail does. The SMTP sender
 * (src/channels, SMTP_URL) meets the same EmailSender port.
 */
export function fileOutboxEmailSender(notifier: Notifier): EmailSender {
  return {
    async send(message) {
      await notifier.send({
        to: message.to,
        channel: 'email',
        template: 'notification',
        subject: message.subject,
        text: message.text,
        data: {
          messageId: message.messageId,
          html: message.html,
          unsubscribeUrl: message.unsubscribeUrl ?? null,
        },
      });
      return { providerMessageId: null };
    },
  };
}
