import type { AppConfig } from '@clubland/config';
import type { Db, Tx } from '@clubland/db';
import {
  createWebhookDispatcher,
  type WebhookDispatcher,
  type WebhookDispatcherOptions,
} from './webhook-dispatcher.ts';
import { type QueueWebhookInput, queueWebhookMessages, type WebhookDeps } from './webhooks.ts';

export interface WebhookChannelOptions {
  db: Db;
  config: Pick<AppConfig, 'WEBHOOK_ALLOW_LOCAL_ENDPOINTS'>;
  clock: () => Date;
  newId: () => string;
  dispatcher?: Omit<WebhookDispatcherOptions, 'db' | 'clock' | 'allowPrivateNetworks'>;
}

export interface WebhookChannel {
  /** What the use cases (register endpoint, list, dead letters, retry) take as their deps. */
  deps: WebhookDeps;
  dispatcher: WebhookDispatcher;
  /**
   * Queues an event for the club's endpoints inside the caller's transaction; call `dispatcher.wake()`
   * after it commits for an immediate send.
   */
  queue(tx: Tx, input: QueueWebhookInput): Promise<string[]>;
}

/**
 * The webhook channel as the service wires it: one object holding the use cases' deps and the
 * dispatcher (start it with the service, stop it before the database closes).
 * WEBHOOK_ALLOW_LOCAL_ENDPOINTS lets development point endpoints at http:// and local addresses.
 */
export function createWebhookChannel(options: WebhookChannelOptions): WebhookChannel {
  const allowLocal = options.config.WEBHOOK_ALLOW_LOCAL_ENDPOINTS;
  const deps: WebhookDeps = {
    db: options.db,
    clock: options.clock,
    newId: options.newId,
    allowPlainHttp: allowLocal,
    allowPrivateNetworks: allowLocal,
  };
  return {
    deps,
    dispatcher: createWebhookDispatcher({
      ...options.dispatcher,
      db: options.db,
      clock: options.clock,
      allowPrivateNetworks: allowLocal,
    }),
    queue: (tx, input) => queueWebhookMessages(tx, deps, input),
  };
}
