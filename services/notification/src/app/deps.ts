import type { Principal } from '@clubland/authz';
import type { Db } from '@clubland/db';
import type { EmailSender, PushSender, SmsSender } from '../channels/channel.ts';
import type { ClubBrands } from './club-brands.ts';
import type { MemberContacts } from './member-contacts.ts';

export const NOTIFICATION_SCHEMA = 'notification';

export const CHANNELS = ['IN_APP', 'EMAIL', 'SMS', 'PUSH', 'WEBHOOK'] as const;
export type Channel = (typeof CHANNELS)[number];
export const PRIORITIES = ['LOW', 'NORMAL', 'HIGH', 'CRITICAL'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const STATUSES = ['PENDING', 'SENT', 'DELIVERED', 'FAILED', 'READ'] as const;
export type NotificationStatus = (typeof STATUSES)[number];

/** The senders of the channels this instance can use; a channel without one is not attempted. */
export interface ChannelSenders {
  email?: EmailSender;
  sms?: SmsSender;
  push?: PushSender;
}

/**
 * When a notice may reach the person on `channel`: `at`, or later (the end of their quiet hours).
 * The seam for the quiet-hours rule (src/domain/quiet-hours.ts, issue 33's notif-domain); by
 * default, at once.
 */
export type DeliverAt = (
  at: Date,
  preferences: PreferenceFacts,
  priority: Priority,
  channel: Channel,
) => Date;

/** What deciding when and how to deliver needs of a person's preferences. */
export interface PreferenceFacts {
  emailEnabled: boolean;
  smsEnabled: boolean;
  pushEnabled: boolean;
  inAppEnabled: boolean;
  quietHoursEnabled: boolean;
  quietHoursStart: string | null;
  quietHoursEnd: string | null;
  digestEnabled: boolean;
  timezone: string;
  mutedCategories: Record<string, string[]>;
}

/** What the notification service's use cases need from the world, passed in explicitly. */
export interface NotificationDeps {
  db: Db;
  /** Wakes the outbox relay after a commit, so notificationReceived goes out at once. */
  eventsWritten: () => void;
  /** Wakes the delivery loop after new deliveries were written. */
  deliveriesWritten: () => void;
  channels: ChannelSenders;
  deliverAt: DeliverAt;
  /** Where links in emails point (the gateway's public URL). */
  publicUrl: string;
  /** Clubs' names and branding for the texts and emails. */
  clubs: ClubBrands;
  /** Members' phones and languages, asked of the member service as their records change. */
  contacts: MemberContacts;
  /**
   * Signing unsubscribe links (NOTIFICATION_UNSUBSCRIBE_SECRETS: the first signs, all verify) and
   * the public endpoint they lead to; null: emails carry no unsubscribe link and none is accepted.
   */
  unsubscribe: UnsubscribeSettings | null;
}

export interface UnsubscribeSettings {
  secrets: readonly string[];
  /** The gateway's public unsubscribe route, e.g. https://example.org/notifications/unsubscribe. */
  baseUrl: string;
}

/** Per-call facts: who asks, under which correlation id, and the clock and ids to use. */
export interface UseCaseContext {
  principal: Principal | null;
  correlationId: string | null;
  clock: () => Date;
  newId: () => string;
}
