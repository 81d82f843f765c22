import { defineEvent } from '@clubland/bus';
import { z } from 'zod';

/**
 * Events the notification service publishes. notification.created carries what the person's app
 * shows (title, message), because the gateway pushes it to that person's open subscriptions
 * (notificationReceived) without asking again; it names the one account it is for, and nobody else
 * may receive it.
 */

export const NOTIFICATION_CHANNELS = ['IN_APP', 'EMAIL', 'SMS', 'PUSH', 'WEBHOOK'] as const;
export const NOTIFICATION_PRIORITIES = ['LOW', 'NORMAL', 'HIGH', 'CRITICAL'] as const;
export const NOTIFICATION_STATUSES = ['PENDING', 'SENT', 'DELIVERED', 'FAILED', 'READ'] as const;

/** An in-app notification reached a person's inbox (at once, or when its scheduled time came). */
export const notificationCreated = defineEvent(
  'notification.created',
  1,
  z.object({
    notificationId: z.uuid(),
    /** Null for an account's own notice that belongs to no club. */
    clubId: z.uuid().nullable(),
    userId: z.uuid(),
    /** What it is about: the domain event type that caused it, or `announcement`. */
    type: z.string(),
    title: z.string(),
    body: z.string(),
    channel: z.enum(NOTIFICATION_CHANNELS),
    channels: z.array(z.enum(NOTIFICATION_CHANNELS)),
    priority: z.enum(NOTIFICATION_PRIORITIES),
    status: z.enum(NOTIFICATION_STATUSES),
    scheduledFor: z.iso.datetime({ offset: true }).nullable(),
    createdAt: z.iso.datetime({ offset: true }),
  }),
);
