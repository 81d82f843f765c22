/**
 * The notification port: how a service hands a message to whoever delivers it. The default
 * adapter writes each message to the local outbox folder (`file-notifier.ts`); the notification
 * service replaces it later. Callers never know which one runs.
 */
export interface NotificationMessage {
  /** The address on `channel`: an email address for 'email'. */
  to: string;
  channel: 'email';
  /** Names the template a real sender renders, e.g. `auth.verify-email`. */
  template: string;
  subject: string;
  /** The plain-text body, complete on its own (a reader of the outbox folder needs nothing else). */
  text: string;
  /** The template's variables, e.g. `{ link, expiresAt }`. */
  data: Record<string, unknown>;
}

export interface Notifier {
  /** Resolves once the message is handed over durably; rejects when it could not be. */
  send(message: NotificationMessage): Promise<void>;
}
