import type { AppConfig } from '@clubland/config';
import type { Db, Tx } from '@clubland/db';
import {
  createWebhookDispatcher,
  type WebhookDispatcher,
  type WebhookDispatcherOptions,
} from './webhook-dispatcher.ts';
import { unsealedWebhookSecrets, type WebhookSecretSeal } from './webhook-secret-seal.ts';
import { createWebhookQueries } from './webhook-store.ts';
import { type QueueWebhookInput, queueWebhookMessages, type WebhookDeps } from './webhooks.ts';

export interface WebhookChannelOptions {
  db: Db;
  config: Pick<AppConfig, 'WEBHOOK_ALLOW_LOCAL_ENDPOINTS'>;
  clock: () => Date;
  newId: () => string;
  dispatcher?: Omit<WebhookDispatcherOptions, 'db' | 'clock' | 'allowPrivateNetworks' | 'seal'>;
  /** How endpoints' secrets are kept at rest; default: as they are (no keys). */
  seal?: WebhookSecretSeal;
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
  /**
   * Seals every endpoint secret not yet sealed under the current first key (stored before sealing,
   * or under a key since rotated to second place); run at start. A secret no configured key opens
   * is left as it is and named (its endpoint's attempts fail until the key is given back): one club's
   * endpoint does not stop the service from starting.
   */
  resealSecrets(): Promise<{ resealed: number; unopened: string[] }>;
}

/**
 * The webhook channel as the service wires it: one object holding the use cases' deps and the
 * dispatcher (start it with the service, stop it before the database closes).
 * WEBHOOK_ALLOW_LOCAL_ENDPOINTS lets development point endpoints at http:// and local addresses.
 */
export function createWebhookChannel(options: WebhookChannelOptions): WebhookChannel {
  const allowLocal = options.config.WEBHOOK_ALLOW_LOCAL_ENDPOINTS;
  const seal = options.seal ?? unsealedWebhookSecrets;
  const deps: WebhookDeps = {
    seal,
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
      seal,
    }),
    queue: (tx, input) => queueWebhookMessages(tx, deps, input),
    resealSecrets: () =>
      options.db.transaction(async (tx) => {
        const queries = createWebhookQueries(tx);
        let resealed = 0;
        const unopened: string[] = [];
        for (const { id, secret } of await queries.storedSecrets()) {
          if (seal.isCurrent(id, secret)) continue;
          let opened: string;
          try {
            opened = seal.open(id, secret);
          } catch {
            unopened.push(id);
            continue;
          }
          await queries.replaceSecret(id, seal.seal(id, opened), secret);
          resealed++;
        }
        return { resealed, unopened };
      }),
  };
}
