import { ClubError } from '@clubland/errors';
import { Redis, ReplyError } from 'ioredis';
import type { BackoffAnswer, BackoffPolicy } from './backoff.ts';
import type { Cache, CacheSubscription } from './cache.ts';

export interface RedisCacheOptions {
  url: string;
  /** Prepended to every key, so several deployments or test runs can share one Redis. */
  keyPrefix?: string;
  /** Shown in `CLIENT LIST`; helps operators (and tests) find this connection. */
  connectionName?: string;
  /** Connection errors (each failed reconnect attempt included). Commands still reject on their own. */
  onError?: (error: Error) => void;
  /** Longest wait for an answer, queued time included; then `dependency.unavailable`. Default 1,000. */
  commandTimeoutMs?: number;
}

/** A command that waited this long has met a dead or stalled server, not a slow one (Redis answers in
 *  well under a millisecond); the caller's request should fail and say so. */
const DEFAULT_COMMAND_TIMEOUT_MS = 1_000;

/**
 * INCRBY and the expiry in one atomic step: the counter and its window are created together,
 * so two instances can never both see an unexpiring counter. Returns the new value and the
 * whole seconds left (rounded up, so a caller told "retry in N s" is never early).
 */
const incrementScript = `
local value = redis.call('INCRBY', KEYS[1], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1] * 1000)
  ttl = ARGV[1] * 1000
end
return { value, math.ceil(ttl / 1000) }
`;

/**
 * `Cache.backoff` in one atomic step; the delay is `backoffDelayMs` of backoff.ts, computed alike.
 * KEYS: the failure counter and its hold. ARGV: free, baseDelayMs, maxDelayMs, windowSeconds.
 * Returns { 1, failures } when the attempt may go on, { 0, milliseconds held } otherwise.
 */
const backoffScript = `
local held = redis.call('PTTL', KEYS[2])
if held > 0 then return { 0, held } end
local failures = redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[4] * 1000) end
local free = tonumber(ARGV[1])
if failures > free then
  local delay = math.min(tonumber(ARGV[2]) * 2 ^ (failures - free - 1), tonumber(ARGV[3]))
  redis.call('SET', KEYS[2], '1', 'PX', math.floor(delay))
end
return { 1, failures }
`;

/** `Cache.forgive`: ARGV[1] '1' forgets both keys; otherwise one failure less (none below zero). */
const forgiveScript = `
if ARGV[1] == '1' then return redis.call('DEL', KEYS[1], KEYS[2]) end
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local left = redis.call('DECR', KEYS[1])
if left <= 0 then redis.call('DEL', KEYS[1]) end
return left
`;

interface ScriptedCommands {
  clublandIncrement(key: string, ttlSeconds: number, by: number): Promise<[number, number]>;
  clublandBackoff(
    key: string,
    hold: string,
    free: number,
    baseDelayMs: number,
    maxDelayMs: number,
    windowSeconds: number,
  ): Promise<[number, number]>;
  clublandForgive(key: string, hold: string, reset: '0' | '1'): Promise<number>;
}

interface Listener {
  onMessage: (message: string) => void;
  onLive?: (live: boolean) => void;
  /** What it was last told, so it hears only changes. */
  live: boolean;
}

function tell(listener: Listener, live: boolean): void {
  if (listener.live === live) return;
  listener.live = live;
  listener.onLive?.(live);
}

/** The cache of the distributed mode. Connects on first use; `ping()` reports a bad URL or a dead server. */
export function createRedisCache(options: RedisCacheOptions): Cache {
  const client = new Redis(options.url, {
    lazyConnect: true,
    keyPrefix: options.keyPrefix ?? '',
    connectionName: options.connectionName,
    connectTimeout: 2_000,
    // A request waiting on a dead cache is worse than one that fails fast. With 3 retries and the
    // 2 s back-off below, a command issued during an outage waited for 4 reconnect attempts (~8 s,
    // a login's INTERNAL_SERVER_ERROR after 8 s). Now a command in the queue fails at the first
    // failed reconnect, or at `commandTimeout` (queued time included), whichever comes first;
    // once a reconnect has failed, `call` refuses at once until the server is back.
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    // Keep reconnecting forever, backing off to 2 s, so the cache heals when Redis returns.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
    // Commands issued in the same event-loop turn (many requests' rate-limit counts and
    // revocation checks at once) leave in one write and come back in one read.
    enableAutoPipelining: true,
  });
  // Down: a connection attempt failed since the server last answered. Commands then fail at once
  // (ioredis keeps reconnecting on its own, and 'ready' lifts it) instead of queueing behind
  // reconnect attempts that will fail too.
  let lastConnectionError: Error | null = null;
  // Without a listener an 'error' event would crash the process; errors reach callers through their commands.
  client.on('error', (error: Error) => {
    if (client.status !== 'ready') lastConnectionError = error;
    options.onError?.(error);
  });
  client.on('ready', () => {
    lastConnectionError = null;
  });
  client.defineCommand('clublandIncrement', { numberOfKeys: 1, lua: incrementScript });
  client.defineCommand('clublandBackoff', { numberOfKeys: 2, lua: backoffScript });
  client.defineCommand('clublandForgive', { numberOfKeys: 2, lua: forgiveScript });
  const scripted = client as unknown as ScriptedCommands;

  /**
   * Every command of the port goes through here: refused at once while the server is known to be
   * down, and any failure to get an answer (refused connection, timeout, dropped queue) becomes
   * `dependency.unavailable` (SERVICE_UNAVAILABLE at the edge). An error Redis itself answered
   * (a script or type error) is a bug and stays what it is.
   */
  async function call<T>(command: () => Promise<T>): Promise<T> {
    if (lastConnectionError !== null) throw unavailable(lastConnectionError);
    try {
      return await command();
    } catch (error) {
      throw error instanceof ReplyError ? error : unavailable(error);
    }
  }
  const keyPrefix = options.keyPrefix ?? '';
  // A connection in subscriber mode can send nothing else: subscriptions get their own, opened
  // at the first subscribe. ioredis subscribes it again after every reconnect.
  let subscriber: Redis | null = null;
  const handlers = new Map<string, Set<Listener>>();
  const everyHandler = () => [...handlers.values()].flatMap((set) => [...set]);
  function subscriberConnection(): Redis {
    if (subscriber) return subscriber;
    const connection = client.duplicate({ keyPrefix: '', lazyConnect: false });
    connection.on('error', (error: Error) => options.onError?.(error));
    connection.on('message', (channel: string, message: string) => {
      for (const handler of handlers.get(channel) ?? []) handler.onMessage(message);
    });
    // 'close' the moment the connection is lost. 'ready' comes when it is back, as ioredis sends
    // the SUBSCRIBEs again: a PING queued behind them answers once they are in effect.
    connection.on('close', () => {
      for (const handler of everyHandler()) tell(handler, false);
    });
    connection.on('ready', () => {
      connection.ping().then(
        () => {
          for (const handler of everyHandler()) tell(handler, true);
        },
        () => undefined, // lost again: 'close' has said so
      );
    });
    subscriber = connection;
    return connection;
  }

  return {
    kind: 'redis',
    get(key) {
      return call(() => client.get(key));
    },
    async set(key, value, ttlSeconds) {
      await call(() =>
        ttlSeconds === undefined ? client.set(key, value) : client.set(key, value, 'EX', ttlSeconds),
      );
    },
    async delete(key) {
      await call(() => client.del(key));
    },
    async increment(key, ttlSeconds, by = 1) {
      const [value, secondsLeft] = await call(() => scripted.clublandIncrement(key, ttlSeconds, by));
      return { value: Number(value), ttlSeconds: Number(secondsLeft) };
    },
    async backoff(key, policy: BackoffPolicy): Promise<BackoffAnswer> {
      const { free, baseDelayMs, maxDelayMs, windowSeconds } = policy;
      const [allowed, value] = await call(() =>
        scripted.clublandBackoff(key, holdKey(key), free, baseDelayMs, maxDelayMs, windowSeconds),
      );
      return Number(allowed) === 1
        ? { allowed: true, failures: Number(value) }
        : { allowed: false, retryAfterMs: Number(value) };
    },
    async forgive(key, reset) {
      await call(() => scripted.clublandForgive(key, holdKey(key), reset ? '1' : '0'));
    },
    async publish(channel, message) {
      // Channels are not keys: ioredis's keyPrefix does not reach them, so it is added here.
      await call(() => client.publish(keyPrefix + channel, message));
    },
    async subscribe(channel, onMessage, onLive): Promise<CacheSubscription> {
      const connection = subscriberConnection();
      const name = keyPrefix + channel;
      const handler: Listener = { onMessage, onLive, live: false };
      const set = handlers.get(name) ?? new Set();
      handlers.set(name, set.add(handler));
      try {
        await connection.subscribe(name); // answered: listening from now on
      } catch (error) {
        set.delete(handler);
        throw error;
      }
      tell(handler, true);
      return {
        async close() {
          set.delete(handler);
          if (set.size === 0) {
            handlers.delete(name);
            if (connection.status === 'ready') await connection.unsubscribe(name);
          }
        },
      };
    },
    async ping() {
      await call(() => client.ping());
    },
    async close() {
      if (subscriber) {
        const connection = subscriber;
        subscriber = null;
        await connection.quit().catch(() => connection.disconnect());
      }
      if (client.status === 'end') return;
      if (client.status === 'wait') {
        client.disconnect();
        return;
      }
      await client.quit().catch(() => client.disconnect());
    },
  };
}

/** Where a key's hold lives; the same name as the memory adapter's. */
function holdKey(key: string): string {
  return `${key}:hold`;
}

function unavailable(cause: unknown): ClubError {
  return new ClubError('dependency.unavailable', 'the cache (Redis) is unreachable', {}, cause);
}
