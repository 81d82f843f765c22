import { create } from '@bufbuild/protobuf';
import { type Timestamp, timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { principalFromCaller } from '@clubland/authz';
import {
  type WebhookEndpoint,
  WebhookEndpointSchema,
  type WebhookMessage,
  WebhookMessageSchema,
  WebhookService,
} from '@clubland/contract/notification/v1/webhooks';
import { invalidInput } from '@clubland/errors';
import type { ConnectRouter } from '@connectrpc/connect';
import type { WebhookChannel } from './webhook-channel.ts';
import type { WebhookEndpointRow, WebhookMessageRow } from './webhook-store.ts';
import {
  type DeadLetter,
  listDeadLetters,
  listWebhookEndpoints,
  registerWebhookEndpoint,
  retryDeadLetter,
} from './webhooks.ts';

/**
 * WebhookService: protobuf in, the webhook use cases, protobuf out. No rules here. The output is
 * built field by field, so an endpoint's secret leaves only in RegisterWebhookEndpoint's answer.
 * Wire it beside NotificationService: `router => registerWebhookRpc(router, webhookChannel)`.
 */
export function registerWebhookRpc(router: ConnectRouter, channel: WebhookChannel): void {
  const { deps } = channel;
  router.service(WebhookService, {
    async registerWebhookEndpoint(request) {
      const registered = await registerWebhookEndpoint(deps, principalFromCaller(request.caller), {
        clubId: request.clubId,
        url: request.url,
        description: request.description || null,
        eventTypes: request.eventTypes,
      });
      return { endpoint: endpointMessage(registered.endpoint), secret: registered.secret };
    },
    async listWebhookEndpoints(request) {
      const endpoints = await listWebhookEndpoints(deps, principalFromCaller(request.caller), request.clubId);
      return { endpoints: endpoints.map(endpointMessage) };
    },
    async listWebhookDeadLetters(request) {
      const hasDate = request.beforeDeadAt !== undefined;
      if (hasDate !== (request.beforeId !== ''))
        throw invalidInput('before', 'give both beforeDeadAt and beforeId, or neither');
      const letters = await listDeadLetters(deps, principalFromCaller(request.caller), {
        clubId: request.clubId,
        ...(request.limit === 0 ? {} : { limit: request.limit }),
        ...(request.beforeDeadAt
          ? { before: { deadAt: timestampDate(request.beforeDeadAt), id: request.beforeId } }
          : {}),
      });
      return { deadLetters: letters.map(messageOf) };
    },
    async retryWebhookDeadLetter(request) {
      const message = await retryDeadLetter(deps, principalFromCaller(request.caller), {
        clubId: request.clubId,
        messageId: request.messageId,
      });
      channel.dispatcher.wake();
      return { message: messageOf(message) };
    },
  });
}

function endpointMessage(row: WebhookEndpointRow): WebhookEndpoint {
  return create(WebhookEndpointSchema, {
    id: row.id,
    clubId: row.clubId,
    url: row.url,
    description: row.description ?? '',
    eventTypes: row.eventTypes,
    enabled: row.enabled,
    createdBy: row.createdBy,
    createdAt: timestampFromDate(row.createdAt),
  });
}

function messageOf(row: WebhookMessageRow | DeadLetter): WebhookMessage {
  return create(WebhookMessageSchema, {
    id: row.id,
    clubId: row.clubId,
    endpointId: row.endpointId,
    eventType: row.eventType,
    sourceEventId: row.sourceEventId,
    body: row.body,
    status: row.status,
    attempts: row.attempts,
    totalAttempts: row.totalAttempts,
    lastError: row.lastError ?? '',
    createdAt: timestampFromDate(row.createdAt),
    nextAttemptAt: optionalStamp(row.nextAttemptAt),
    deadAt: optionalStamp(row.deadAt),
    attemptLog: ('attemptLog' in row ? row.attemptLog : []).map((attempt) => ({
      attempt: attempt.attempt,
      attemptedAt: timestampFromDate(attempt.attemptedAt),
      statusCode: attempt.statusCode ?? 0,
      error: attempt.error ?? '',
      durationMs: attempt.durationMs,
    })),
  });
}

function optionalStamp(date: Date | null): Timestamp | undefined {
  return date === null ? undefined : timestampFromDate(date);
}
