import type { NotificationMessage, Notifier } from '@clubland/notify';

export interface NotifierTap {
  /** Hand this to the services: it delivers as the inner notifier does, and shows the open watches. */
  notifier: Notifier;
  /** A notifier that delivers through `inner` instead, shown to the same watches (mail sent over SMTP). */
  observe(inner: Notifier): Notifier;
  /** Starts keeping the messages sent from now on (the demo seed reads its invitation links here). */
  watch(): MailWatch;
}

export interface MailWatch {
  /** The newest message to `to` with `template` since the watch began. */
  latest(to: string, template: string): NotificationMessage | undefined;
  /** Stops keeping messages and forgets those kept. */
  stop(): void;
}

/**
 * A notifier that delivers through `inner` and lets this process read what it sent while a watch
 * is open. The demo seed accepts the invitations it sends to its own made-up addresses this way,
 * through the same notification port a real administrator's invitation goes through. Nothing is
 * kept while no watch is open.
 */
export function createNotifierTap(inner: Notifier): NotifierTap {
  const watches = new Set<NotificationMessage[]>();
  const observe = (through: Notifier): Notifier => ({
    async send(message) {
      await through.send(message);
      for (const kept of watches) kept.push(message);
    },
  });
  return {
    notifier: observe(inner),
    observe,
    watch() {
      const kept: NotificationMessage[] = [];
      watches.add(kept);
      return {
        latest(to, template) {
          const address = to.toLowerCase();
          return kept.findLast((m) => m.to.toLowerCase() === address && m.template === template);
        },
        stop() {
          watches.delete(kept);
          kept.length = 0;
        },
      };
    },
  };
}
