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
/**
 * Thrown by a sender: retryable (network, 5xx, 429) or not (4xx, a bad address).
 * The plan wrote `retryable` and `status` as constructor parameter properties; those are not
 * erasable syntax (tsconfig `erasableSyntaxOnly`, and Node's type stripping refuses them), so the
 * same fields and constructor are written out.
 */
export class DeliveryError extends Error {
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
