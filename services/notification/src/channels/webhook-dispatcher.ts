import type { Db } from '@clubland/db';
import { DeliveryError } from './channel.ts';
import { DEFAULT_RETRY_POLICY, nextAttemptAt, type RetryPolicy } from './retry-schedule.ts';
import { postWebhook } from './webhook-http.ts';
import { unsealedWebhookSecrets, type WebhookSecretSeal } from './webhook-secret-seal.ts';
import { signWebhook } from './webhook-signature.ts';
import { type ClaimedWebhookMessage, createWebhookQueries } from './webhook-store.ts';

export interface WebhookDispatcherOptions {
  db: Db;
  clock?: () => Date;
  /** In [0, 1): the retry schedule's jitter. */
  random?: () => number;
  policy?: RetryPolicy;
  /** How long an endpoint has to answer; Standard Webhooks suggests short (15 s here). */
  timeoutMs?: number;
  /** Messages claimed per round. */
  batchSize?: number;
  /** Requests in flight at once within a round. */
  concurrency?: number;
  /** How often an idle dispatcher looks for due messages. */
  pollIntervalMs?: number;
  /** Deliver to loopback and private addresses (development, tests); public endpoints only otherwise. */
  allowPrivateNetworks?: boolean;
  /** Opens the endpoints' secrets as stored; default: stored as they are. */
  seal?: WebhookSecretSeal;
  /** Told of each failed attempt (logs, metrics). */
  onFailure?: (message: ClaimedWebhookMessage, error: string, dead: boolean) => void;
}

export interface DispatchRound {
  delivered: number;
  retrying: number;
  dead: number;
}

export interface WebhookDispatcher {
  /** One round: claim the due messages, send them, record each outcome. */
  runOnce(): Promise<DispatchRound>;
  /** Polls until stopped; a full round is followed by another at once. */
  start(): void;
  /** A round now rather than at the next poll (new messages were queued); no-op when stopped. */
  wake(): void;
  /** Stops polling and waits for the round in flight. */
  stop(): Promise<void>;
}

/**
 * Sends every club's due webhook messages (a network transaction: the dispatcher serves all clubs).
 * At least once: a message is claimed with a lease in one short transaction, POSTed outside any
 * transaction, and its outcome recorded in another; a dispatcher that dies mid-send leaves the lease
 * to run out and the message is sent again (same webhook-id: the receiver de-duplicates). Several
 * dispatchers share the queue (SKIP LOCKED, and a late outcome is fenced by the attempt count).
 */
export function createWebhookDispatcher(options: WebhookDispatcherOptions): WebhookDispatcher {
  const clock = options.clock ?? (() => new Date());
  const random = options.random ?? Math.random;
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const batchSize = options.batchSize ?? 100;
  const concurrency = options.concurrency ?? 10;
  const seal = options.seal ?? unsealedWebhookSecrets;
  // The lease outlasts the slowest answer with room for recording it.
  const leaseMs = timeoutMs * 2 + 5_000;

  async function attempt(message: ClaimedWebhookMessage): Promise<keyof DispatchRound | null> {
    const sentAt = clock();
    const started = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      // A secret no configured key opens fails this attempt (and is retried): the operator may yet
      // put the key back.
      const secret = seal.open(message.endpointId, message.secret);
      const headers = signWebhook({ id: message.id, at: sentAt, body: message.body, secret });
      const reply = await postWebhook(
        message.url,
        { ...headers, 'content-type': 'application/json', 'user-agent': 'Clubland-Webhooks/1' },
        message.body,
        { timeoutMs, allowPrivateNetworks: options.allowPrivateNetworks ?? false },
      );
      statusCode = reply.status;
      if (reply.status < 200 || reply.status >= 300) error = `HTTP ${reply.status}`;
    } catch (failure) {
      error =
        failure instanceof DeliveryError
          ? failure.message
          : failure instanceof Error
            ? failure.message
            : String(failure);
    }
    const durationMs = Math.round(performance.now() - started);
    const at = clock();
    // Every failure is retried (Standard Webhooks, Stripe): a 4xx is often a receiver being redeployed.
    const next = error === null ? null : nextAttemptAt(at, message.attempts, policy, random);
    const outcome =
      error === null
        ? ({ status: 'DELIVERED', at } as const)
        : next === null
          ? ({ status: 'DEAD', at, error } as const)
          : ({ status: 'PENDING', nextAttemptAt: next, error } as const);
    const recorded = await options.db.transaction((tx) =>
      createWebhookQueries(tx).recordAttempt(
        message,
        { attemptedAt: sentAt, statusCode, error, durationMs },
        outcome,
      ),
    );
    if (!recorded) return null;
    if (error !== null) options.onFailure?.(message, error, outcome.status === 'DEAD');
    return outcome.status === 'DELIVERED' ? 'delivered' : outcome.status === 'DEAD' ? 'dead' : 'retrying';
  }

  async function runOnce(): Promise<DispatchRound> {
    const now = clock();
    const claimed = await options.db.transaction((tx) =>
      createWebhookQueries(tx).claimDue(now, new Date(now.getTime() + leaseMs), batchSize),
    );
    const round: DispatchRound = { delivered: 0, retrying: 0, dead: 0 };
    let next = 0;
    const worker = async () => {
      while (next < claimed.length) {
        const message = claimed[next++]!;
        const result = await attempt(message);
        if (result) round[result]++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, worker));
    return round;
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;
  // A wake during a round asks for another round right after it: its messages may have been
  // committed after this round's claim.
  let wokenDuringRound = false;
  const loop = async () => {
    let full = false;
    wokenDuringRound = false;
    try {
      const round = await runOnce();
      full = round.delivered + round.retrying + round.dead >= batchSize;
    } catch {
      // The database is away: the next round tries again; nothing was lost (claims have leases).
    }
    running = undefined;
    if (!stopped) timer = setTimeout(tick, full || wokenDuringRound ? 0 : (options.pollIntervalMs ?? 1_000));
  };
  const tick = () => {
    timer = undefined;
    running = loop();
  };

  return {
    runOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      tick();
    },
    wake() {
      if (stopped) return;
      if (running) {
        wokenDuringRound = true;
        return;
      }
      clearTimeout(timer);
      tick();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
