import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import type {
  WebhookEndpoint,
  WebhookMessage,
  WebhookService,
} from '@clubland/contract/notification/v1/webhooks';
import { invalidInput } from '@clubland/errors';
import type { Client } from '@connectrpc/connect';
import type { Caller } from '../caller.ts';
import { callerContextOf } from './members.ts';
import { optionalIso, requiredIso } from './timestamps.ts';

/**
 * Webhooks: GraphQL in, the notification service's WebhookService RPC out. The service decides
 * who may (club:write at the club); here only the club left out becomes the caller's home club,
 * and the dead-letter cursor is made opaque.
 */

type WebhookClient = Client<typeof WebhookService>;
interface Context {
  caller: Caller;
}

const orNull = (text: string) => (text === '' ? null : text);

async function callerAndClub(context: Context, clubId: string | null | undefined) {
  const principal = await context.caller.requirePrincipal();
  const club = clubId ?? principal.homeClubId;
  if (!club) throw invalidInput('clubId', 'clubId is required: the caller has no home club');
  return { caller: callerContextOf(principal), clubId: club };
}

function toEndpoint(endpoint: WebhookEndpoint) {
  return {
    id: endpoint.id,
    clubId: endpoint.clubId,
    url: endpoint.url,
    description: orNull(endpoint.description),
    eventTypes: endpoint.eventTypes,
    enabled: endpoint.enabled,
    createdBy: endpoint.createdBy,
    createdAt: requiredIso(endpoint.createdAt, 'an endpoint creation time'),
  };
}

function toMessage(message: WebhookMessage) {
  return {
    id: message.id,
    clubId: message.clubId,
    endpointId: message.endpointId,
    eventType: message.eventType,
    sourceEventId: message.sourceEventId,
    body: message.body,
    status: message.status,
    attempts: message.attempts,
    totalAttempts: message.totalAttempts,
    lastError: orNull(message.lastError),
    createdAt: requiredIso(message.createdAt, 'a message creation time'),
    nextAttemptAt: optionalIso(message.nextAttemptAt),
    deadAt: optionalIso(message.deadAt),
    attemptLog: message.attemptLog.map((attempt) => ({
      attempt: attempt.attempt,
      attemptedAt: requiredIso(attempt.attemptedAt, 'an attempt time'),
      statusCode: attempt.statusCode === 0 ? null : attempt.statusCode,
      error: orNull(attempt.error),
      durationMs: attempt.durationMs,
    })),
  };
}

/** The last letter of a page as an opaque cursor: its dead_at and id, which the service pages by. */
function cursorOf(message: WebhookMessage): string {
  const deadAt = message.deadAt ? timestampDate(message.deadAt).toISOString() : '';
  return Buffer.from(`${deadAt}|${message.id}`, 'utf8').toString('base64url');
}

function beforeOf(after: string | null | undefined) {
  if (after === null || after === undefined) return {};
  const [iso, id, ...rest] = Buffer.from(after, 'base64url').toString('utf8').split('|');
  const deadAt = new Date(iso ?? '');
  if (rest.length > 0 || !id || Number.isNaN(deadAt.getTime()))
    throw invalidInput('after', 'after must be an endCursor of webhookDeadLetters');
  return { beforeDeadAt: timestampFromDate(deadAt), beforeId: id };
}

export function webhookResolvers(clients: { webhooks: WebhookClient }) {
  const client = clients.webhooks;
  return {
    Query: {
      async webhookEndpoints(_: unknown, args: { clubId?: string | null }, context: Context) {
        const { endpoints } = await client.listWebhookEndpoints(await callerAndClub(context, args.clubId));
        return endpoints.map(toEndpoint);
      },
      async webhookDeadLetters(
        _: unknown,
        args: { clubId?: string | null; first?: number | null; after?: string | null },
        context: Context,
      ) {
        const first = args.first ?? 50;
        if (!Number.isInteger(first) || first < 1 || first > 200)
          throw invalidInput('first', 'first must be between 1 and 200');
        const { deadLetters } = await client.listWebhookDeadLetters({
          ...(await callerAndClub(context, args.clubId)),
          limit: first,
          ...beforeOf(args.after),
        });
        const last = deadLetters.at(-1);
        return {
          nodes: deadLetters.map(toMessage),
          endCursor: last && deadLetters.length === first ? cursorOf(last) : null,
        };
      },
    },
    Mutation: {
      async registerWebhookEndpoint(
        _: unknown,
        args: {
          input: {
            clubId?: string | null;
            url: string;
            description?: string | null;
            eventTypes?: string[] | null;
          };
        },
        context: Context,
      ) {
        const { input } = args;
        const { endpoint, secret } = await client.registerWebhookEndpoint({
          ...(await callerAndClub(context, input.clubId)),
          url: input.url,
          description: input.description ?? '',
          eventTypes: input.eventTypes ?? [],
        });
        return { endpoint: toEndpoint(endpoint!), secret };
      },
      async retryWebhookDeadLetter(
        _: unknown,
        args: { clubId?: string | null; id: string },
        context: Context,
      ) {
        const { message } = await client.retryWebhookDeadLetter({
          ...(await callerAndClub(context, args.clubId)),
          messageId: args.id,
        });
        return toMessage(message!);
      },
    },
  };
}
