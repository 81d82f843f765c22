import { ClubError } from '@clubland/errors';
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import type { BusLog } from './bus.ts';
import { type AckedPublisher, createAckedPublisher } from './jetstream-publisher.ts';

/** A connection with JetStream set up: what publishing and consuming need. */
export interface NatsSession {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  publisher: AckedPublisher;
}

export interface NatsLinkOptions {
  servers: string[];
  name: string;
  log: BusLog;
  /** Creates or checks what the session needs on the server (the stream) before it is used. */
  prepare: (jsm: JetStreamManager) => Promise<void>;
  publisher: { window: number; timeoutMs: number };
  /** How long one attempt to connect may take. */
  connectTimeoutMs?: number;
  /** Waits between attempts while NATS has never been reached: doubling from the first to the last. */
  retryDelayMs?: { first: number; max: number };
}

export interface NatsLink {
  /** The session once NATS was reached; undefined before. */
  session(): NatsSession | undefined;
  /** Resolves with the session as soon as there is one; rejects once the link is closed. */
  ready(): Promise<NatsSession>;
  /** The session if it exists and is connected right now; else throws `dependency.unavailable` with the reason. */
  connected(): NatsSession;
  close(): Promise<void>;
}

/**
 * The bus's way to NATS. The first attempt is made at once; if NATS cannot be reached (or its
 * stream set up), the process starts anyway and keeps trying in the background, so an instance
 * can start during an outage: publishing fails fast meanwhile (the outbox keeps the events) and
 * subscriptions begin once NATS answers. Once connected, the client itself reconnects forever.
 */
export async function openNatsLink(options: NatsLinkOptions): Promise<NatsLink> {
  const { log } = options;
  const delays = options.retryDelayMs ?? { first: 250, max: 2_000 };
  let current: NatsSession | undefined;
  let isConnected = false;
  let problem = 'NATS not reached yet';
  let isClosed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let wakeRetry: (() => void) | undefined;
  let attempt: Promise<void> | undefined;
  const waiters: { resolve(session: NatsSession): void; reject(error: unknown): void }[] = [];

  async function connectOnce(): Promise<NatsSession> {
    const nc = await connect({
      servers: options.servers,
      name: options.name,
      timeout: options.connectTimeoutMs ?? 2_000,
      // The bus must outlive any NATS outage: the outbox holds events until it is back.
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
    });
    try {
      const jsm = await jetstreamManager(nc);
      await options.prepare(jsm);
      return { nc, js: jetstream(nc), jsm, publisher: createAckedPublisher(nc, options.publisher) };
    } catch (error) {
      await nc.close().catch(() => undefined);
      throw error;
    }
  }

  function adopt(session: NatsSession): void {
    current = session;
    isConnected = true;
    watchConnection(session.nc, log, (connected) => {
      isConnected = connected;
    });
    for (const waiter of waiters.splice(0)) waiter.resolve(session);
  }

  /** Tries until NATS answers or the link closes; logs the first failure and the recovery. */
  async function keepTrying(firstError: unknown): Promise<void> {
    let failures = 1;
    let delay = delays.first;
    problem = `NATS not reached yet: ${messageOf(firstError)}`;
    while (!isClosed) {
      await new Promise<void>((resolve) => {
        wakeRetry = resolve;
        retryTimer = setTimeout(resolve, delay);
      });
      if (isClosed) return;
      delay = Math.min(delay * 2, delays.max);
      try {
        const session = await connectOnce();
        if (isClosed) {
          await closeSession(session);
          return;
        }
        adopt(session);
        log.info({ failures }, 'NATS reached: events flow again');
        return;
      } catch (error) {
        failures++;
        problem = `NATS not reached yet: ${messageOf(error)}`;
      }
    }
  }

  try {
    adopt(await connectOnce());
  } catch (error) {
    log.warn(
      { err: error },
      'NATS cannot be reached: starting without it; events wait in the outbox and subscriptions begin once it answers',
    );
    attempt = keepTrying(error);
  }

  return {
    session: () => current,
    ready() {
      if (current) return Promise.resolve(current);
      if (isClosed) return Promise.reject(closedError());
      return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    },
    connected() {
      if (!current) throw new ClubError('dependency.unavailable', problem);
      if (!isConnected) throw new ClubError('dependency.unavailable', 'NATS connection lost; reconnecting');
      return current;
    },
    async close() {
      isClosed = true;
      clearTimeout(retryTimer);
      wakeRetry?.();
      for (const waiter of waiters.splice(0)) waiter.reject(closedError());
      await attempt;
      if (current) await closeSession(current);
    },
  };
}

async function closeSession(session: NatsSession): Promise<void> {
  session.publisher.close();
  if (!session.nc.isClosed()) await session.nc.drain().catch(() => session.nc.close());
}

function watchConnection(nc: NatsConnection, log: BusLog, onConnected: (connected: boolean) => void): void {
  (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') {
        onConnected(false);
        log.warn({ server: status.server }, 'NATS disconnected; reconnecting');
      } else if (status.type === 'reconnect') {
        onConnected(true);
        log.info({ server: status.server }, 'NATS reconnected');
      }
    }
  })().catch(() => undefined);
}

function closedError(): ClubError {
  return new ClubError('dependency.unavailable', 'the NATS bus is closed');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}
