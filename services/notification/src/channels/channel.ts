export type ChannelName = 'IN_APP' | 'EMAIL' | 'SMS' | 'PUSH' | 'WEBHOOK';
export interface EmailMessage {
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  unsubscribeUrl?: string;
  headers?: Record<string, string>;
}
export interface SmsMessage {
  messageId: string;
  to: string;
  body: string;
}
export interface PushMessage {
  messageId: string;
  deviceToken: string;
  title: string;
  body: string;
  data?: Record<string, string>;
}
export interface SendResult {
  providerMessageId: string | null;
}
/** Thrown by a sender: retryable (network, 5xx, 429) or not (4xx, a bad address). */
export class DeliveryError extends Error {
  // Fields assigned in the body: parameter properties are not erasable syntax (tsconfig erasableSyntaxOnly, Node's type stripping).
  readonly retryable: boolean;
  readonly status?: number;
  constructor(message: string, retryable: boolean, status?: number) {
    super(message);
    this.name = 'DeliveryError';
    this.retryable = retryable;
    if (status !== undefined) this.status = status;
  }
}
export interface EmailSender {
  send(message: EmailMessage): Promise<SendResult>;
}
export interface SmsSender {
  send(message: SmsMessage): Promise<SendResult>;
}
export interface PushSender {
  send(message: PushMessage): Promise<SendResult>;
}
