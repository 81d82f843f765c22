import nodemailer from 'nodemailer';
import { DeliveryError, type EmailMessage, type EmailSender } from './channel.ts';

export interface SmtpEmailSenderOptions {
  /**
   * SMTP_URL: `smtp://user:pass@host:587` (STARTTLS when the server offers it), `smtps://...:465`
   * (TLS from the first byte); its query sets nodemailer options and wins over ours
   * (`?maxConnections=20`: about 850 messages a second to a local sink on this machine, 10: about 400).
   */
  url: string;
  /** The From address, e.g. `"Clubland" <no-reply@clubland.example>`. */
  from: string;
  /**
   * Keep connections open and send over several at once (nodemailer's pool); a fan-out to a club
   * of thousands would otherwise open one SMTP session per message. On unless told.
   */
  pool?: boolean;
  /** Connections of the pool (10 unless told; nodemailer's own default is 5). */
  maxConnections?: number;
  /** Give up on a connection, greeting or command after this long; the delivery is retried. */
  timeoutMs?: number;
}

export interface SmtpEmailSender extends EmailSender {
  /** Closes the pool's connections. */
  close(): void;
}

/**
 * The email channel over real SMTP (nodemailer). Each message goes out with a text and an HTML part,
 * our message id as its Message-ID, and, when it carries an unsubscribe link, the one-click
 * unsubscribe headers mail providers show as an "Unsubscribe" button (RFC 2369 List-Unsubscribe,
 * RFC 8058 List-Unsubscribe-Post; Gmail and Yahoo require them of bulk senders since 2024).
 */
export function createSmtpEmailSender(options: SmtpEmailSenderOptions): SmtpEmailSender {
  const timeout = options.timeoutMs ?? 30_000;
  const transport = nodemailer.createTransport({
    url: options.url,
    pool: options.pool ?? true,
    // One SMTP session sends one message at a time (about 100-150 a second to a local sink here):
    // throughput comes from parallel sessions, and from not reconnecting every 100 messages.
    maxConnections: options.maxConnections ?? 10,
    maxMessages: 1_000,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  const domain = domainOf(options.from);
  return {
    async send(message) {
      try {
        const info = await transport.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId: `<${message.messageId}@${domain}>`,
          headers: headersOf(message),
        });
        return { providerMessageId: typeof info.messageId === 'string' ? info.messageId : null };
      } catch (error) {
        throw deliveryErrorOf(error);
      }
    },
    close() {
      transport.close();
    },
  };
}

function headersOf(message: EmailMessage): Record<string, string> {
  const headers: Record<string, string> = { ...message.headers };
  if (message.unsubscribeUrl) {
    headers['List-Unsubscribe'] = `<${message.unsubscribeUrl}>`;
    // RFC 8058: the provider POSTs this body to the URL, no click through a page.
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  return headers;
}

/** The domain of the From address, for Message-IDs that are unique and ours. */
function domainOf(from: string): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  const domain = address.split('@')[1]?.trim();
  return domain && /^[A-Za-z0-9.-]+$/.test(domain) ? domain : 'clubland.invalid';
}

/** nodemailer's network codes: the server was not reached or went away; a later try may work. */
const NETWORK_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPROTOCOL',
]);

/**
 * An SMTP reply's first digit says it all (RFC 5321): 4xx is a transient failure (greylisting, a full
 * mailbox, a busy server), 5xx a permanent one (no such user, refused). Without a reply, a network
 * failure is retryable; anything else (a malformed address nodemailer refused, bad credentials) is
 * not, since trying again sends the same thing.
 */
export function deliveryErrorOf(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const detail = error as { message?: string; code?: string; responseCode?: number };
  const message = `SMTP: ${detail.message ?? String(error)}`;
  const status = typeof detail.responseCode === 'number' ? detail.responseCode : undefined;
  if (status !== undefined) return new DeliveryError(message, status >= 400 && status < 500, status);
  return new DeliveryError(message, detail.code !== undefined && NETWORK_CODES.has(detail.code));
}
