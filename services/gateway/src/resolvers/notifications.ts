import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { EventData } from '@clubland/bus';
import type { notificationCreated } from '@clubland/contract/events/notification';
import type {
  Delivery,
  Notification,
  NotificationService,
  Preferences,
  Template,
} from '@clubland/contract/notification/v1';
import { invalidInput } from '@clubland/errors';
import type { Client } from '@connectrpc/connect';
import type { Caller } from '../caller.ts';
import { callerContextOf, type PaginationArg, pageInfoOf, pagingOf } from './members.ts';
import { isoOf, optionalIso, requiredIso } from './timestamps.ts';

/**
 * Notifications: GraphQL in, NotificationService RPC out. The notification service decides who
 * reads what (a person their own inbox; staff their club's sends and templates).
 */

type NotificationClient = Client<typeof NotificationService>;
interface Context {
  caller: Caller;
}

const callerOf = async (context: Context) => callerContextOf(await context.caller.requirePrincipal());
const orNull = (text: string) => (text === '' ? null : text);

const stampOf = (iso: string | null | undefined, field: string) => {
  if (iso === null || iso === undefined) return undefined;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw invalidInput(field, `${field} must be an ISO-8601 instant`);
  return timestampFromDate(date);
};

function templateDataOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object' || Array.isArray(value))
    throw invalidInput('templateData', 'templateData must be an object');
  return JSON.stringify(value);
}

export interface NotificationModel {
  id: string;
  clubId: string;
  userId: string;
  type: string;
  channel: string;
  channels: string[];
  priority: string;
  status: string;
  title: string;
  body: string;
  message: string;
  templateId: string | null;
  templateData: unknown;
  scheduledFor: string | null;
  scheduledAt: string | null;
  expiresAt: string | null;
  sentAt: string | null;
  deliveredAt: string | null;
  readAt: string | null;
  createdAt: string;
  updatedAt: string;
  template: null;
}

/** Output guard: exactly the fields the Notification type declares. */
export function toNotification(notification: Notification): NotificationModel {
  const scheduledFor = optionalIso(notification.scheduledFor);
  const createdAt = notification.createdAt ? isoOf(notification.createdAt) : new Date(0).toISOString();
  return {
    id: notification.id,
    clubId: notification.clubId,
    userId: notification.userId,
    type: notification.type,
    channel: notification.channel,
    channels: notification.channels,
    priority: notification.priority,
    status: notification.status,
    title: notification.title,
    body: notification.body,
    message: notification.body,
    templateId: orNull(notification.templateId),
    templateData: notification.templateDataJson === '' ? null : JSON.parse(notification.templateDataJson),
    scheduledFor,
    scheduledAt: scheduledFor,
    expiresAt: optionalIso(notification.expiresAt),
    sentAt: optionalIso(notification.sentAt),
    deliveredAt: optionalIso(notification.deliveredAt),
    readAt: optionalIso(notification.readAt),
    createdAt,
    updatedAt: notification.updatedAt ? isoOf(notification.updatedAt) : createdAt,
    template: null,
  };
}

/** The same guard over notification.created, for notificationReceived (no RPC per event). */
export function notificationFromEvent(data: EventData<typeof notificationCreated>): NotificationModel {
  return {
    id: data.notificationId,
    clubId: data.clubId ?? '',
    userId: data.userId,
    type: data.type,
    channel: data.channel,
    channels: data.channels,
    priority: data.priority,
    status: data.status,
    title: data.title,
    body: data.body,
    message: data.body,
    templateId: null,
    templateData: null,
    scheduledFor: data.scheduledFor,
    scheduledAt: data.scheduledFor,
    expiresAt: null,
    sentAt: data.createdAt,
    deliveredAt: data.createdAt,
    readAt: null,
    createdAt: data.createdAt,
    updatedAt: data.createdAt,
    template: null,
  };
}

function toDelivery(delivery: Delivery) {
  return {
    id: delivery.id,
    channel: delivery.channel,
    status: delivery.status,
    attempts: delivery.attempts,
    nextAttemptAt: optionalIso(delivery.nextAttemptAt),
    lastError: orNull(delivery.lastError),
    sentAt: optionalIso(delivery.sentAt),
    failedAt: optionalIso(delivery.failedAt),
  };
}

function toTemplate(template: Template) {
  return {
    id: template.id,
    clubId: template.clubId,
    name: template.name,
    channel: template.channel,
    bodyTemplate: template.bodyTemplate,
    htmlTemplate: orNull(template.htmlTemplate),
    variables: template.variables,
    isActive: template.isActive,
    createdAt: requiredIso(template.createdAt, 'a template creation time'),
    updatedAt: requiredIso(template.updatedAt, 'a template update time'),
  };
}

function toPreferences(preferences: Preferences) {
  return {
    id: preferences.id,
    clubId: preferences.clubId,
    userId: preferences.userId,
    emailEnabled: preferences.emailEnabled,
    smsEnabled: preferences.smsEnabled,
    pushEnabled: preferences.pushEnabled,
    inAppEnabled: preferences.inAppEnabled,
    quietHoursEnabled: preferences.quietHoursEnabled,
    quietHoursStart: orNull(preferences.quietHoursStart),
    quietHoursEnd: orNull(preferences.quietHoursEnd),
    digestEnabled: preferences.digestEnabled,
    digestFrequency: orNull(preferences.digestFrequency),
  };
}

interface SendInput {
  userId?: string;
  userIds?: string[];
  channel: string;
  priority?: string | null;
  title: string;
  body: string;
  templateId?: string | null;
  templateData?: unknown;
  scheduledFor?: string | null;
  expiresAt?: string | null;
}

function draftOf(input: SendInput) {
  return {
    channel: input.channel,
    priority: input.priority ?? 'NORMAL',
    title: input.title,
    body: input.body,
    templateId: input.templateId ?? '',
    templateDataJson: templateDataOf(input.templateData),
    scheduledFor: stampOf(input.scheduledFor, 'scheduledFor'),
    expiresAt: stampOf(input.expiresAt, 'expiresAt'),
  };
}

export function notificationResolvers(clients: { notifications: NotificationClient }) {
  const client = clients.notifications;
  return {
    Query: {
      async notifications(
        _: unknown,
        args: { pagination?: PaginationArg | null; status?: string | null; unreadOnly?: boolean | null },
        context: Context,
      ) {
        const { page, pageSize } = pagingOf(args.pagination);
        const response = await client.listNotifications({
          caller: await callerOf(context),
          unreadOnly: args.unreadOnly ?? false,
          status: args.status ?? '',
          page,
          pageSize,
        });
        return {
          nodes: response.notifications.map(toNotification),
          pageInfo: pageInfoOf(
            response.page,
            response.pageSize,
            response.total,
            response.page * response.pageSize < response.total,
          ),
        };
      },
      async notification(_: unknown, args: { id: string }, context: Context) {
        const { notification } = await client.getNotification({
          caller: await callerOf(context),
          id: args.id,
        });
        return notification ? toNotification(notification) : null;
      },
      async pendingNotifications(_: unknown, args: { limit?: number | null }, context: Context) {
        const response = await client.listPending({
          caller: await callerOf(context),
          limit: args.limit ?? 10,
        });
        return response.notifications.map(toNotification);
      },
      async unreadNotificationCount(_: unknown, __: unknown, context: Context) {
        return (await client.countUnread({ caller: await callerOf(context) })).count;
      },
      async notificationTemplates(
        _: unknown,
        args: { pagination?: PaginationArg | null; channel?: string | null },
        context: Context,
      ) {
        const { page, pageSize } = pagingOf(args.pagination);
        const response = await client.listTemplates({
          caller: await callerOf(context),
          clubId: '',
          channel: args.channel ?? '',
          page,
          pageSize,
        });
        return {
          nodes: response.templates.map(toTemplate),
          pageInfo: pageInfoOf(
            response.page,
            response.pageSize,
            response.total,
            response.page * response.pageSize < response.total,
          ),
        };
      },
      async notificationTemplate(_: unknown, args: { id: string }, context: Context) {
        const { template } = await client.getTemplate({ caller: await callerOf(context), id: args.id });
        return template ? toTemplate(template) : null;
      },
      async notificationPreferences(_: unknown, __: unknown, context: Context) {
        const { preferences } = await client.getPreferences({ caller: await callerOf(context), userId: '' });
        return preferences ? toPreferences(preferences) : null;
      },
      async userNotificationPreferences(_: unknown, args: { userId: string }, context: Context) {
        const { preferences } = await client.getPreferences({
          caller: await callerOf(context),
          userId: args.userId,
        });
        return preferences ? toPreferences(preferences) : null;
      },
    },
    Notification: {
      // Asked only when selected (the mobile operations do not): one call per notification shown.
      async deliveries(notification: NotificationModel, _: unknown, context: Context) {
        const { deliveries } = await client.listDeliveries({
          caller: await callerOf(context),
          notificationId: notification.id,
        });
        return deliveries.map(toDelivery);
      },
    },
    Mutation: {
      async retryNotificationDelivery(_: unknown, args: { id: string }, context: Context) {
        const { delivery } = await client.retryDelivery({ caller: await callerOf(context), id: args.id });
        return toDelivery(delivery!);
      },
      async sendNotification(_: unknown, args: { input: SendInput }, context: Context) {
        const { notification } = await client.sendNotification({
          caller: await callerOf(context),
          clubId: '',
          userId: args.input.userId ?? '',
          draft: draftOf(args.input),
        });
        return toNotification(notification!);
      },
      async sendBulkNotifications(_: unknown, args: { input: SendInput }, context: Context) {
        const { notifications } = await client.sendBulkNotifications({
          caller: await callerOf(context),
          clubId: '',
          userIds: args.input.userIds ?? [],
          draft: draftOf(args.input),
        });
        return notifications.map(toNotification);
      },
      async markNotificationRead(_: unknown, args: { id: string }, context: Context) {
        const { notification } = await client.markRead({ caller: await callerOf(context), id: args.id });
        return toNotification(notification!);
      },
      async markAllNotificationsRead(_: unknown, __: unknown, context: Context) {
        await client.markAllRead({ caller: await callerOf(context) });
        return true;
      },
      async createNotificationTemplate(
        _: unknown,
        args: {
          input: {
            name: string;
            channel: string;
            bodyTemplate: string;
            htmlTemplate?: string | null;
            variables: string[];
          };
        },
        context: Context,
      ) {
        const { template } = await client.createTemplate({
          caller: await callerOf(context),
          clubId: '',
          name: args.input.name,
          channel: args.input.channel,
          bodyTemplate: args.input.bodyTemplate,
          htmlTemplate: args.input.htmlTemplate ?? '',
          variables: args.input.variables,
        });
        return toTemplate(template!);
      },
      async updateNotificationTemplate(
        _: unknown,
        args: {
          id: string;
          input: {
            name?: string | null;
            bodyTemplate?: string | null;
            htmlTemplate?: string | null;
            variables?: string[] | null;
            isActive?: boolean | null;
          };
        },
        context: Context,
      ) {
        const { input } = args;
        const { template } = await client.updateTemplate({
          caller: await callerOf(context),
          id: args.id,
          ...(input.name != null ? { name: input.name } : {}),
          ...(input.bodyTemplate != null ? { bodyTemplate: input.bodyTemplate } : {}),
          ...(input.htmlTemplate !== undefined ? { htmlTemplate: input.htmlTemplate ?? '' } : {}),
          setVariables: input.variables != null,
          variables: input.variables ?? [],
          ...(input.isActive != null ? { isActive: input.isActive } : {}),
        });
        return toTemplate(template!);
      },
      async deleteNotificationTemplate(_: unknown, args: { id: string }, context: Context) {
        return (await client.deleteTemplate({ caller: await callerOf(context), id: args.id })).deleted;
      },
      async updateNotificationPreferences(
        _: unknown,
        args: { input: Record<string, boolean | string | null | undefined> },
        context: Context,
      ) {
        const input = Object.fromEntries(Object.entries(args.input).filter(([, value]) => value != null));
        const { preferences } = await client.updatePreferences({ caller: await callerOf(context), ...input });
        return toPreferences(preferences!);
      },
    },
  };
}
