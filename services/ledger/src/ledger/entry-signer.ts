import { type KeyObject, sign } from 'node:crypto';
import { Worker } from 'node:worker_threads';

/**
 * Signs a block's entries with their clubs' Ed25519 keys, on worker threads when given any.
 * Signing is the largest share of sealing a block (~35 µs an entry, a 1,000-entry block ~35 ms on
 * the event loop); split over threads it runs on the cores the database and the event loop are not
 * using, and the event loop keeps taking entries meanwhile. With `threads: 0`, inline.
 */
export interface EntrySigner {
  /** Ed25519 signatures of `messages[i]` by `keys[i]`, in order. */
  sign(messages: readonly Buffer[], keys: readonly KeyObject[]): Promise<Buffer[]>;
  close(): Promise<void>;
}

export function createEntrySigner(options: { threads: number }): EntrySigner {
  if (options.threads <= 0) {
    return {
      sign: async (messages, keys) => messages.map((message, i) => sign(null, message, keys[i] as KeyObject)),
      close: async () => {},
    };
  }
  // Started at the first block, and again after close(): a stopped service may be started anew.
  let workers: ReturnType<typeof startWorker>[] = [];
  return {
    async sign(messages, keys) {
      // Below a few dozen entries a thread's round trip costs more than it saves.
      if (messages.length < MIN_ENTRIES_PER_THREAD * 2)
        return messages.map((message, i) => sign(null, message, keys[i] as KeyObject));
      // A thread that died (its blocks' transactions rolled back, the entries still pending) is replaced.
      workers = Array.from({ length: options.threads }, (_, w) => {
        const worker = workers[w];
        return worker?.isAlive() ? worker : startWorker();
      });
      const share = Math.ceil(messages.length / workers.length);
      const parts = await Promise.all(
        workers.map((worker, w) =>
          worker.sign(messages.slice(w * share, (w + 1) * share), keys.slice(w * share, (w + 1) * share)),
        ),
      );
      return parts.flat();
    },
    async close() {
      const closing = workers;
      workers = [];
      await Promise.all(closing.map((worker) => worker.close()));
    },
  };
}

const MIN_ENTRIES_PER_THREAD = 32;

function startWorker() {
  const worker = new Worker(new URL('./entry-signer-worker.ts', import.meta.url));
  let nextId = 0;
  const waiting = new Map<
    number,
    { resolve: (signatures: Buffer[]) => void; reject: (error: Error) => void }
  >();
  let isAlive = true;
  const failAll = (error: Error) => {
    isAlive = false;
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };
  worker.on('message', (reply: { id: number; signatures: Uint8Array[] }) => {
    const pending = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (waiting.size === 0) worker.unref();
    pending?.resolve(reply.signatures.map((signature) => Buffer.from(signature)));
  });
  worker.on('error', failAll);
  worker.on('exit', () => failAll(new Error('ledger signing thread exited')));
  // An idle signer never keeps a process alive (the service closes them on stop()); a busy one
  // does. After the listeners: attaching a 'message' listener refs the worker again.
  worker.unref();
  return {
    isAlive: () => isAlive,
    sign(messages: readonly Buffer[], keys: readonly KeyObject[]): Promise<Buffer[]> {
      if (messages.length === 0) return Promise.resolve([]);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.ref();
        // Each distinct key crosses once (a block names a few clubs' keys, many times over).
        const distinct = [...new Set(keys)];
        const keyIndex = keys.map((key) => distinct.indexOf(key));
        worker.postMessage({ id, messages, keys: distinct, keyIndex });
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
