import { create } from '@bufbuild/protobuf';
import { type Timestamp, timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { principalFromCaller } from '@clubland/authz';
import type { CallerContext } from '@clubland/contract/member/v1/caller';
import {
  type Delivery,
  DeliverySchema,
  type Notification,
  type NotificationDraft,
  NotificationSchema,
  NotificationService,
  type Preferences,
  PreferencesSchema,
  type Template,
  TemplateSchema,
} from '@clubland/contract/notification/v1';
import type { ConnectRouter, HandlerContext } from '@connectrpc/connect';
import { listDeliveries, retryDelivery } from './app/deliveries.ts';
import type { NotificationDeps, UseCaseContext } from './app/deps.ts';
import {
  countUnread,
  getNotification,
  listNotifications,
  listPending,
  markAllNotificationsRead,
  markNotificationRead,
} from './app/inbox.ts';
import { getPreferences, updatePreferences } from './app/preferences.ts';
import { type DraftInput, sendNotifications } from './app/send-notification.ts';
import {
  createTemplate,
  deleteTemplate,
  getTemplate,
  listTemplates,
  updateTemplate,
} from './app/templates.ts';
import { unsubscribeByToken } from './app/unsubscribe.ts';
import type { DeliveryRow } from './store/delivery-queries.ts';
import type { NotificationRow } from './store/notification-queries.ts';
import type { PreferenceRow } from './store/preference-queries.ts';
import type { TemplateRow } from './store/template-queries.ts';

/** NotificationService: protobuf in, use cases, protobuf out. Thin on purpose: no rules live here. */
export function registerNotificationRpc(
  router: ConnectRouter,
  deps: NotificationDeps,
  world: Pick<UseCaseContext, 'clock' | 'newId'>,
): void {
  const contextOf = (handler: HandlerContext, caller?: CallerContext): UseCaseContext => ({
    ...world,
    principal: principalFromCaller(caller),
    correlationId: handler.requestHeader.get('x-correlation-id'),
  });
  router.service(NotificationService, {
    async listNotifications(request, handler) {
      const page = await listNotifications(deps, contextOf(handler, request.caller), {
        unreadOnly: request.unreadOnly,
        status: request.status,
        page: request.page,
        pageSize: request.pageSize,
      });
      return {
        notifications: page.rows.map(notificationMessage),
        total: page.total,
        page: page.page,
        pageSize: page.pageSize,
      };
    },
    async getNotification(request, handler) {
      return {
        notification: notificationMessage(
          await getNotification(deps, contextOf(handler, request.caller), request.id),
        ),
      };
    },
    async countUnread(request, handler) {
      return { count: await countUnread(deps, contextOf(handler, request.caller)) };
    },
    async listPending(request, handler) {
      const rows = await listPending(deps, contextOf(handler, request.caller), request.limit);
      return {
        notifications: rows.map(notificationMessage),
        total: rows.length,
        page: 1,
        pageSize: rows.length,
      };
    },
    async markRead(request, handler) {
      const row = await markNotificationRead(deps, contextOf(handler, request.caller), request.id);
      return { notification: notificationMessage(row) };
    },
    async markAllRead(request, handler) {
      return { marked: await markAllNotificationsRead(deps, contextOf(handler, request.caller)) };
    },
    async sendNotification(request, handler) {
      const context = contextOf(handler, request.caller);
      const [row] = await sendNotifications(deps, context, {
        clubId: request.clubId,
        userIds: [request.userId],
        draft: draftOf(request.draft),
      });
      deps.eventsWritten();
      deps.deliveriesWritten();
      return { notification: notificationMessage(row!) };
    },
    async sendBulkNotifications(request, handler) {
      const rows = await sendNotifications(deps, contextOf(handler, request.caller), {
        clubId: request.clubId,
        userIds: request.userIds,
        draft: draftOf(request.draft),
      });
      deps.eventsWritten();
      deps.deliveriesWritten();
      return { notifications: rows.map(notificationMessage) };
    },
    async listDeliveries(request, handler) {
      const rows = await listDeliveries(deps, contextOf(handler, request.caller), request.notificationId);
      return { deliveries: rows.map(deliveryMessage) };
    },
    async retryDelivery(request, handler) {
      return {
        delivery: deliveryMessage(await retryDelivery(deps, contextOf(handler, request.caller), request.id)),
      };
    },
    async listTemplates(request, handler) {
      const page = await listTemplates(deps, contextOf(handler, request.caller), {
        clubId: request.clubId,
        channel: request.channel,
        page: request.page,
        pageSize: request.pageSize,
      });
      return {
        templates: page.rows.map(templateMessage),
        total: page.total,
        page: page.page,
        pageSize: page.pageSize,
      };
    },
    async getTemplate(request, handler) {
      return {
        template: templateMessage(await getTemplate(deps, contextOf(handler, request.caller), request.id)),
      };
    },
    async createTemplate(request, handler) {
      const row = await createTemplate(deps, contextOf(handler, request.caller), request.clubId, {
        name: request.name,
        channel: request.channel,
        bodyTemplate: request.bodyTemplate,
        htmlTemplate: request.htmlTemplate === '' ? null : request.htmlTemplate,
        variables: request.variables,
      });
      return { template: templateMessage(row) };
    },
    async updateTemplate(request, handler) {
      const row = await updateTemplate(deps, contextOf(handler, request.caller), request.id, {
        name: request.name,
        bodyTemplate: request.bodyTemplate,
        htmlTemplate: request.htmlTemplate === undefined ? undefined : request.htmlTemplate || null,
        variables: request.setVariables ? request.variables : undefined,
        isActive: request.isActive,
      });
      return { template: templateMessage(row) };
    },
    async deleteTemplate(request, handler) {
      return { deleted: await deleteTemplate(deps, contextOf(handler, request.caller), request.id) };
    },
    async getPreferences(request, handler) {
      return {
        preferences: preferencesMessage(
          await getPreferences(deps, contextOf(handler, request.caller), request.userId),
        ),
      };
    },
    async updatePreferences(request, handler) {
      const row = await updatePreferences(deps, contextOf(handler, request.caller), {
        emailEnabled: request.emailEnabled,
        smsEnabled: request.smsEnabled,
        pushEnabled: request.pushEnabled,
        inAppEnabled: request.inAppEnabled,
        quietHoursEnabled: request.quietHoursEnabled,
        quietHoursStart: request.quietHoursStart,
        quietHoursEnd: request.quietHoursEnd,
        digestEnabled: request.digestEnabled,
        digestFrequency: request.digestFrequency,
        timezone: request.timezone,
      });
      return { preferences: preferencesMessage(row) };
    },
    async unsubscribe(request) {
      // No caller: the signed token is the authority (an emailed link works without signing in).
      return unsubscribeByToken(deps, world, request.token, request.apply);
    },
  });
}

const dateOf = (timestamp: Timestamp | undefined): Date | null =>
  timestamp ? timestampDate(timestamp) : null;
const stampOf = (date: Date | null): Timestamp | undefined => (date ? timestampFromDate(date) : undefined);

function draftOf(draft: NotificationDraft | undefined): DraftInput {
  return {
    channel: draft?.channel ?? '',
    priority: draft?.priority ?? '',
    title: draft?.title ?? '',
    body: draft?.body ?? '',
    templateId: draft?.templateId ?? '',
    templateDataJson: draft?.templateDataJson ?? '',
    scheduledFor: dateOf(draft?.scheduledFor),
    expiresAt: dateOf(draft?.expiresAt),
  };
}

/** What the message carries is what the contract shows: the source event and sender stay inside. */
function notificationMessage(row: NotificationRow): Notification {
  return create(NotificationSchema, {
    id: row.id,
    clubId: row.clubId ?? '',
    userId: row.userId,
    type: row.type,
    channel: row.channel,
    channels: row.channels,
    priority: row.priority,
    status: row.status,
    title: row.title,
    body: row.body,
    templateId: row.templateId ?? '',
    templateDataJson: row.templateData ? JSON.stringify(row.templateData) : '',
    scheduledFor: stampOf(row.scheduledFor),
    expiresAt: stampOf(row.expiresAt),
    sentAt: stampOf(row.sentAt),
    deliveredAt: stampOf(row.deliveredAt),
    readAt: stampOf(row.readAt),
    createdAt: stampOf(row.createdAt),
    updatedAt: stampOf(row.updatedAt),
  });
}

function templateMessage(row: TemplateRow): Template {
  return create(TemplateSchema, {
    id: row.id,
    clubId: row.clubId,
    name: row.name,
    channel: row.channel,
    bodyTemplate: row.bodyTemplate,
    htmlTemplate: row.htmlTemplate ?? '',
    variables: row.variables,
    isActive: row.isActive,
    createdAt: stampOf(row.createdAt),
    updatedAt: stampOf(row.updatedAt),
  });
}

function preferencesMessage(row: PreferenceRow): Preferences {
  return create(PreferencesSchema, {
    id: row.id,
    clubId: row.clubId ?? '',
    userId: row.userId,
    emailEnabled: row.emailEnabled,
    smsEnabled: row.smsEnabled,
    pushEnabled: row.pushEnabled,
    inAppEnabled: row.inAppEnabled,
    quietHoursEnabled: row.quietHoursEnabled,
    quietHoursStart: row.quietHoursStart ?? '',
    quietHoursEnd: row.quietHoursEnd ?? '',
    digestEnabled: row.digestEnabled,
    digestFrequency: row.digestFrequency ?? '',
    timezone: row.timezone,
    createdAt: stampOf(row.createdAt),
    updatedAt: stampOf(row.updatedAt),
  });
}

function deliveryMessage(row: DeliveryRow): Delivery {
  return create(DeliverySchema, {
    id: row.id,
    notificationId: row.notificationId,
    channel: row.channel,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: stampOf(row.nextAttemptAt),
    lastError: row.lastError ?? '',
    sentAt: stampOf(row.sentAt),
    failedAt: stampOf(row.failedAt),
  });
}
