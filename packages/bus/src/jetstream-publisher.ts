import { ClubError } from '@clubland/errors';
import { createInbox, headers, type Msg, type NatsConnection } from '@nats-io/nats-core';

export interface OutgoingMessage {
  subject: string;
  payload: string;
  /** Sent as `Nats-Msg-Id`: the stream drops a repeat within its duplicate window. */
  msgId: string;
}

export interface AckedPublisher {
  /** Resolves when the stream acked every message; rejects on the first refusal or a timeout. */
  publish(messages: readonly OutgoingMessage[]): Promise<void>;
  close(): void;
}

interface Batch {
  messages: readonly OutgoingMessage[];
  next: number;
  unacked: number;
  /** Sequence numbers sent and not yet acked, to forget them if the batch fails. */
  waiting: Set<number>;
  lastProgressAt: number;
  timer: NodeJS.Timeout | undefined;
  isDone: boolean;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * JetStream publishing with a window of acks in flight, as the Go client's PublishAsync does:
 * every message replies to one wildcard inbox, and a map pairs acks with their batch.
 * `js.publish` makes a request (a promise, a timer, a mux entry) per message; this keeps one
 * timer per batch, which moved the bench from ~19k to well above 20k events/s while consuming.
 */
export function createAckedPublisher(
  nc: NatsConnection,
  options: { window: number; timeoutMs: number },
): AckedPublisher {
  const inbox = createInbox();
  /** What each unacked sequence number belongs to. */
  const pending = new Map<number, { batch: Batch; msgId: string }>();
  const queue: Batch[] = [];
  let sequence = 0;
  let inFlight = 0;

  const subscription = nc.subscribe(`${inbox}.*`, {
    callback: (error, msg) => {
      if (error) return failAll(error);
      onAck(msg);
    },
  });

  function onAck(msg: Msg): void {
    const seq = Number(msg.subject.slice(inbox.length + 1));
    const entry = pending.get(seq);
    if (!entry) return; // a late ack for a batch that already failed
    const { batch, msgId } = entry;
    pending.delete(seq);
    batch.waiting.delete(seq);
    inFlight--;
    const refusal = refusalOf(msg);
    if (refusal) {
      fail(
        batch,
        new ClubError('dependency.unavailable', `JetStream refused event ${msgId}: ${refusal}`, { msgId }),
      );
    } else {
      batch.unacked--;
      batch.lastProgressAt = Date.now();
      if (batch.unacked === 0) finish(batch);
    }
    pump();
  }

  function pump(): void {
    while (inFlight < options.window && queue.length > 0) {
      const batch = queue[0] as Batch;
      if (batch.next >= batch.messages.length || batch.isDone) {
        queue.shift();
        continue;
      }
      const message = batch.messages[batch.next++] as OutgoingMessage;
      const seq = ++sequence;
      const h = headers();
      h.set('Nats-Msg-Id', message.msgId);
      try {
        nc.publish(message.subject, message.payload, { reply: `${inbox}.${seq}`, headers: h });
      } catch (error) {
        const msgId = message.msgId;
        fail(
          batch,
          new ClubError('dependency.unavailable', `cannot publish event ${msgId}`, { msgId }, error),
        );
        continue;
      }
      pending.set(seq, { batch, msgId: message.msgId });
      batch.waiting.add(seq);
      inFlight++;
    }
  }

  function watch(batch: Batch): void {
    const idleFor = Date.now() - batch.lastProgressAt;
    if (idleFor >= options.timeoutMs) {
      fail(batch, new ClubError('dependency.unavailable', `no JetStream ack within ${options.timeoutMs} ms`));
      return;
    }
    batch.timer = setTimeout(() => watch(batch), options.timeoutMs - idleFor);
  }

  function finish(batch: Batch): void {
    batch.isDone = true;
    clearTimeout(batch.timer);
    batch.resolve();
  }

  function fail(batch: Batch, error: unknown): void {
    if (batch.isDone) return;
    batch.isDone = true;
    clearTimeout(batch.timer);
    for (const seq of batch.waiting) pending.delete(seq);
    inFlight -= batch.waiting.size;
    batch.waiting.clear();
    batch.reject(error);
    pump();
  }

  function failAll(error: unknown): void {
    const batches = new Set([...queue, ...[...pending.values()].map((entry) => entry.batch)]);
    for (const batch of batches) fail(batch, error);
  }

  return {
    publish(messages) {
      if (messages.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const batch: Batch = {
          messages,
          next: 0,
          unacked: messages.length,
          waiting: new Set(),
          lastProgressAt: Date.now(),
          timer: undefined,
          isDone: false,
          resolve,
          reject,
        };
        queue.push(batch);
        batch.timer = setTimeout(() => watch(batch), options.timeoutMs);
        pump();
      });
    },
    close() {
      failAll(new ClubError('dependency.unavailable', 'the NATS bus is closed'));
      subscription.unsubscribe();
    },
  };
}

/** Why the stream refused a message, or undefined for a PubAck (a duplicate is an ack too). */
function refusalOf(msg: Msg): string | undefined {
  if (msg.headers?.hasError) return `${msg.headers.code} ${msg.headers.description}`;
  if (msg.data.length === 0) return 'empty reply';
  const reply = msg.json<{ stream?: string; error?: { description?: string } }>();
  if (reply.error) return reply.error.description ?? 'error';
  return reply.stream ? undefined : 'not a publish ack';
}
