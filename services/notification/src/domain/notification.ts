/**
 * The words of notifications, as the contract's schema names them (NotificationChannel,
 * NotificationPriority), plus the categories a member's preferences and unsubscribe links speak of.
 * `NotificationChannel` is the same union as `ChannelName` in src/channels/channel.ts.
 */

export const NOTIFICATION_CHANNELS = ['IN_APP', 'EMAIL', 'SMS', 'PUSH', 'WEBHOOK'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** The channels that reach a person (WEBHOOK reaches a club's system, never a member). */
export const PERSONAL_CHANNELS = ['IN_APP', 'EMAIL', 'SMS', 'PUSH'] as const;
export type PersonalChannel = (typeof PERSONAL_CHANNELS)[number];

export const NOTIFICATION_PRIORITIES = ['LOW', 'NORMAL', 'HIGH', 'CRITICAL'] as const;
export type NotificationPriority = (typeof NOTIFICATION_PRIORITIES)[number];

/**
 * What a notification is about. Every event type maps to one (event-rules.ts); a member turns
 * categories on and off per channel, and an unsubscribe link names one category and one channel.
 *
 * SECURITY (email verification, password reset, invitations) is transactional: the person asked
 * for it, so preferences, quiet hours, digests and unsubscribe links never hold it back.
 */
export const NOTIFICATION_CATEGORIES = [
  'SECURITY',
  'ACCOUNT',
  'MEMBERSHIP',
  'BOOKINGS',
  'EVENTS',
  'RECIPROCAL',
  'CLUB_ADMIN',
  'ANNOUNCEMENTS',
] as const;
export type NotificationCategory = (typeof NOTIFICATION_CATEGORIES)[number];

/** Categories a member cannot turn off (nor unsubscribe from). */
export const MANDATORY_CATEGORIES: ReadonlySet<NotificationCategory> = new Set(['SECURITY']);

export function isNotificationChannel(value: string): value is NotificationChannel {
  return (NOTIFICATION_CHANNELS as readonly string[]).includes(value);
}

export function isPersonalChannel(value: string): value is PersonalChannel {
  return (PERSONAL_CHANNELS as readonly string[]).includes(value);
}

export function isNotificationCategory(value: string): value is NotificationCategory {
  return (NOTIFICATION_CATEGORIES as readonly string[]).includes(value);
}

export function isNotificationPriority(value: string): value is NotificationPriority {
  return (NOTIFICATION_PRIORITIES as readonly string[]).includes(value);
}
