/** A message as Mercurius's PubSub hands it to the emitter. */
export interface EmitterMessage {
  topic: string;
  payload: unknown;
}
type Notify = (message: EmitterMessage, done: () => void) => void;

/** The emitter behind GraphQL subscriptions, in this process; it can say how many listen. */
export interface LocalEmitter {
  on(topic: string, notify: Notify, done?: (error?: Error) => void): void;
  removeListener(topic: string, notify: Notify, done?: () => void): void;
  emit(message: EmitterMessage, done?: (error?: Error) => void): void;
  /** Listeners on `topic`, or on every topic. A closed subscription must bring it back down. */
  listenerCount(topic?: string): number;
}

/**
 * The interface of mqemitter (what Mercurius's PubSub calls) over exact topics only: subscription
 * topics here are event types, never patterns. Each gateway instance consumes the bus itself, so
 * an in-process emitter is all the fan-out needs; and its listener count lets tests and metrics
 * see that a closed socket left nothing behind.
 */
export function createLocalEmitter(): LocalEmitter {
  const topics = new Map<string, Set<Notify>>();
  return {
    on(topic, notify, done) {
      let listeners = topics.get(topic);
      if (!listeners) {
        listeners = new Set();
        topics.set(topic, listeners);
      }
      listeners.add(notify);
      done?.();
    },
    removeListener(topic, notify, done) {
      const listeners = topics.get(topic);
      listeners?.delete(notify);
      if (listeners?.size === 0) topics.delete(topic);
      done?.();
    },
    emit(message, done) {
      // A copy: a listener may unsubscribe while we deliver.
      const listeners = [...(topics.get(message.topic) ?? [])];
      let pending = listeners.length;
      if (pending === 0) return done?.();
      const delivered = () => {
        pending -= 1;
        if (pending === 0) done?.();
      };
      for (const notify of listeners) notify(message, delivered);
    },
    listenerCount(topic) {
      if (topic !== undefined) return topics.get(topic)?.size ?? 0;
      let count = 0;
      for (const listeners of topics.values()) count += listeners.size;
      return count;
    },
  };
}
