import { type KeyObject, sign } from 'node:crypto';
import { parentPort } from 'node:worker_threads';

/** A signing thread of entry-signer.ts: signs what it is sent, in order. Keys arrive as KeyObjects. */
parentPort?.on(
  'message',
  (request: { id: number; messages: Uint8Array[]; keys: KeyObject[]; keyIndex: number[] }) => {
    const signatures = request.messages.map((message, i) =>
      sign(null, message, request.keys[request.keyIndex[i] as number] as KeyObject),
    );
    parentPort?.postMessage({ id: request.id, signatures });
  },
);
