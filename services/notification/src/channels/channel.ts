export type ChannelName = 'IN_APP' | 'EMAIL' | 'SMS' | 'PUSH' | 'WEBHOOK';
export interface EmailMessage { messageId: string; to: string; subject: string; text: string; html: string; unsubscribeUrl?: string; headers?: Record<string, string> }
export interface SmsMessage { messageId: string; to: string; body: string }
export interface PushMessage { messageId: string; deviceToken: string; title: string; body: string; data?: Record<string, string> }
export interface SendResult { providerMessageId: string | null }
/** Thrown by a sender: retryable (network, 5xx, 429) or not (4xx, a bad address). */
export class DeliveryError extends Error { constructor(message: string, readonly retryable: boolean, readonly status?: number) { super(message); this.name = 'DeliveryError'; } }
export interface EmailSender { send(message: EmailMessage): Promise<SendResult> }
export interface SmsSender { send(message: SmsMessage): Promise<SendResult> }
export interface PushSender { send(message: PushMessage): Promise<SendResult> }
