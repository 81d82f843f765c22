import { isIP } from 'node:net';
import { authorize, type Principal } from '@clubland/authz';
import type { Db, Tx } from '@clubland/db';
import { ClubError, invalidInput, notFound } from '@clubland/errors';
import { isPublicAddress } from './public-address.ts';
import type { WebhookSecretSeal } from './webhook-secret-seal.ts';
import { newWebhookSecret } from './webhook-signature.ts';
import {
  createWebhookQueries,
  type WebhookAttemptRow,
  type WebhookEndpointRow,
  type WebhookMessageRow,
} from './webhook-store.ts';

/**
 * Webhook use cases: a club admin registers the club's endpoints and sees and retries its dead
 * letters; the service queues a message per event for each endpoint that wants it. Sending is the
 * dispatcher's (webhook-dispatcher.ts). Managing endpoints is a club setting: `club:write`.
 */
export interface WebhookDeps {
  db: Db;
  clock: () => Date;
  newId: () => string;
  /** Allow `http://` endpoints (development, tests); https only otherwise. */
  allowPlainHttp?: boolean;
  /** Allow endpoints on loopback and private addresses (development, tests); the dispatcher checks again. */
  allowPrivateNetworks?: boolean;
  /** How endpoints' secrets are kept at rest. */
  seal: WebhookSecretSeal;
}

export interface RegisterWebhookEndpointInput {
  clubId: string;
  url: string;
  description?: string | null;
  /** Event types the endpoint wants; empty or absent: every type. */
  eventTypes?: readonly string[];
}

/** The endpoint and its secret: the only time the secret is shown. */
export interface RegisteredWebhookEndpoint {
  endpoint: WebhookEndpointRow;
  secret: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Ids reach SQL (the tenant id as a literal): a UUID in lower case, or a typed error naming the field. */
function assertUuid(value: string, field: string): void {
  if (typeof value !== 'string' || !UUID.test(value)) throw invalidInput(field, `${field} must be a UUID`);
}

const EVENT_TYPE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

export async function registerWebhookEndpoint(
  deps: WebhookDeps,
  actor: Principal | null,
  input: RegisterWebhookEndpointInput,
): Promise<RegisteredWebhookEndpoint> {
  assertUuid(input.clubId, 'input.clubId');
  authorize(actor, 'club:write', input.clubId);
  const url = checkedUrl(input.url, deps.allowPlainHttp ?? false, deps.allowPrivateNetworks ?? false);
  const description = input.description?.trim() || null;
  if (description && description.length > 500)
    throw invalidInput('input.description', 'at most 500 characters');
  const eventTypes = [...new Set(input.eventTypes ?? [])];
  if (eventTypes.length > 100) throw invalidInput('input.eventTypes', 'at most 100 event types');
  const bad = eventTypes.find((type) => type.length > 200 || !EVENT_TYPE.test(type));
  if (bad !== undefined)
    throw invalidInput('input.eventTypes', `not an event type: ${JSON.stringify(bad.slice(0, 50))}`);

  const secret = newWebhookSecret();
  const endpoint: WebhookEndpointRow = {
    id: deps.newId(),
    clubId: input.clubId,
    url,
    description,
    eventTypes,
    enabled: true,
    createdBy: actor.userId,
    createdAt: deps.clock(),
  };
  await deps.db.withTenant(input.clubId, (tx) =>
    createWebhookQueries(tx).insertEndpoint({ ...endpoint, secret: deps.seal.seal(endpoint.id, secret) }),
  );
  return { endpoint, secret };
}

function checkedUrl(raw: string, allowPlainHttp: boolean, allowPrivateNetworks: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidInput('input.url', 'not a URL');
  }
  if (url.protocol !== 'https:' && !(allowPlainHttp && url.protocol === 'http:'))
    throw invalidInput('input.url', allowPlainHttp ? 'an http or https URL' : 'an https URL');
  // Credentials in the URL would be stored and logged in the clear; the signature authenticates us.
  if (url.username || url.password) throw invalidInput('input.url', 'no user or password in the URL');
  if (url.hash) throw invalidInput('input.url', 'no #fragment');
  // Names are checked when the dispatcher connects (public-address.ts); literals and localhost now.
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const isLocalName = host === 'localhost' || host.endsWith('.localhost');
  if (!allowPrivateNetworks && (isLocalName || (isIP(host) !== 0 && !isPublicAddress(host))))
    throw invalidInput('input.url', 'an address on the public Internet');
  const text = url.toString();
  if (text.length > 2048) throw invalidInput('input.url', 'at most 2048 characters');
  return text;
}

export async function listWebhookEndpoints(
  deps: Pick<WebhookDeps, 'db'>,
  actor: Principal | null,
  clubId: string,
): Promise<WebhookEndpointRow[]> {
  assertUuid(clubId, 'clubId');
  authorize(actor, 'club:write', clubId);
  return deps.db.readAtOnce(clubId, (tx) => createWebhookQueries(tx).listEndpoints(clubId));
}

export interface QueueWebhookInput {
  clubId: string;
  /** The domain event's type and id: one message per event and endpoint, however often it arrives. */
  eventType: string;
  sourceEventId: string;
  occurredAt: Date;
  /** What the club's systems receive as `data`; JSON. */
  data: unknown;
}

/**
 * Queues the event for each of the club's endpoints that wants it, inside the caller's transaction
 * (the consumer's, so the messages and its processed-event record commit together; a tenant
 * transaction of the club). The body is fixed here, as Standard Webhooks suggests
 * (`{ type, timestamp, data }`), so every attempt sends the same bytes. Returns the new messages' ids:
 * none when no endpoint wants the event or it was queued before.
 */
export async function queueWebhookMessages(
  tx: Tx,
  deps: Pick<WebhookDeps, 'clock' | 'newId'>,
  input: QueueWebhookInput,
): Promise<string[]> {
  const queries = createWebhookQueries(tx);
  const endpoints = await queries.endpointsFor(input.clubId, input.eventType);
  if (endpoints.length === 0) return [];
  const body = JSON.stringify({
    type: input.eventType,
    timestamp: input.occurredAt.toISOString(),
    data: input.data,
  });
  const createdAt = deps.clock();
  return queries.insertMessages(
    endpoints.map((endpoint) => ({
      id: deps.newId(),
      clubId: input.clubId,
      endpointId: endpoint.id,
      eventType: input.eventType,
      sourceEventId: input.sourceEventId,
      body,
      createdAt,
    })),
  );
}

export interface DeadLetter extends WebhookMessageRow {
  attemptLog: WebhookAttemptRow[];
}

export async function listDeadLetters(
  deps: Pick<WebhookDeps, 'db'>,
  actor: Principal | null,
  input: { clubId: string; limit?: number; before?: { deadAt: Date; id: string } },
): Promise<DeadLetter[]> {
  assertUuid(input.clubId, 'input.clubId');
  authorize(actor, 'club:write', input.clubId);
  const limit = input.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 200)
    throw invalidInput('input.limit', 'between 1 and 200');
  return deps.db.withTenant(input.clubId, async (tx) => {
    const queries = createWebhookQueries(tx);
    const letters = await queries.listDeadLetters(input.clubId, limit, input.before);
    return Promise.all(
      letters.map(async (letter) => ({ ...letter, attemptLog: await queries.listAttempts(letter.id) })),
    );
  });
}

/**
 * Puts a dead letter back in the queue, due now, with a fresh retry schedule; the dispatcher sends
 * it on its next round. Same message id, same body: a receiver that did get it once de-duplicates.
 */
export async function retryDeadLetter(
  deps: Pick<WebhookDeps, 'db' | 'clock'>,
  actor: Principal | null,
  input: { clubId: string; messageId: string },
): Promise<WebhookMessageRow> {
  assertUuid(input.clubId, 'input.clubId');
  authorize(actor, 'club:write', input.clubId);
  assertUuid(input.messageId, 'input.messageId');
  return deps.db.withTenant(input.clubId, async (tx) => {
    const queries = createWebhookQueries(tx);
    // Another club's message is invisible here (row-level security): not found, as a missing one.
    const message = await queries.findMessage(input.messageId);
    if (!message) throw notFound('webhook message', input.messageId);
    if (!(await queries.requeueDeadLetter(message.id, deps.clock())))
      throw new ClubError(
        'entity.conflict',
        `webhook message ${message.id} is ${message.status}, not a dead letter`,
        {
          status: message.status,
        },
      );
    const requeued = await queries.findMessage(message.id);
    if (!requeued) throw notFound('webhook message', input.messageId);
    return requeued;
  });
}
