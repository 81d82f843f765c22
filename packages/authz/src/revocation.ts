import { LRUCache } from 'lru-cache';

/**
 * The revoked-session list: the auth service writes a key per revoked session (logout, refresh-token
 * reuse, password reset, suspension) with a TTL of one access-token lifetime (after that the tokens
 * have expired anyway), and announces it on a channel; verifiers check it on every request, so
 * revocation takes effect at once.
 */
export function revokedSessionKey(sessionId: string): string {
  return `auth:revoked-session:${sessionId}`;
}

/** Where each revocation is announced, as it is written (the message is the session id). */
export const REVOKED_SESSIONS_CHANNEL = 'auth:revoked-sessions';

/** The part of the cache port the list needs (so authz does not depend on @clubland/cache). */
export interface RevocationStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  publish(channel: string, message: string): Promise<void>;
  subscribe(
    channel: string,
    onMessage: (message: string) => void,
    onLive?: (live: boolean) => void,
  ): Promise<{ close(): Promise<void> }>;
}

/** The list in a shared cache: one writer (the auth service), every token verifier a reader. */
export function sessionRevocations(store: RevocationStore) {
  return {
    /**
     * Call after the revocation committed: the database is the truth (refresh already refuses the
     * session); the entry only needs to outlive the session's last access token. Written, then
     * announced: a watcher that checks between the two reads the entry.
     */
    async announce(sessionIds: readonly string[], accessTokenTtlSeconds: number): Promise<void> {
      await Promise.all(sessionIds.map((id) => store.set(revokedSessionKey(id), '1', accessTokenTtlSeconds)));
      await Promise.all(sessionIds.map((id) => store.publish(REVOKED_SESSIONS_CHANNEL, id)));
    },
    /** One read of the list per call; for `createAccessTokenVerifier({ isSessionRevoked })`. */
    async isRevoked(sessionId: string): Promise<boolean> {
      return (await store.get(revokedSessionKey(sessionId))) !== null;
    },
  };
}

export interface WatchedRevocations {
  /** For `createAccessTokenVerifier({ isSessionRevoked })`. */
  isRevoked(sessionId: string): Promise<boolean>;
  close(): Promise<void>;
}

export interface WatchOptions {
  /** How long a session read as not revoked is believed without reading again; default 30 s. */
  recheckAfterMs?: number;
  /** Most sessions remembered either way; default 100,000. */
  max?: number;
  /** The subscription could not be made; the watcher reads the list on every call instead. */
  onError?: (error: unknown) => void;
}

/**
 * The list as a busy verifier (the gateway) reads it: each session is read from the store once,
 * then revocations arrive as announcements, so a request does not wait on the store.
 *
 * It believes "not revoked" only while its subscription is live: when the connection drops it
 * forgets every such answer and reads the list on every call (failing closed if that fails too)
 * until it hears again. `recheckAfterMs` bounds what a lost announcement can cost (a drop that
 * went unnoticed, a race with reconnecting): a revoked session passes for at most that long.
 */
export async function watchSessionRevocations(
  store: RevocationStore,
  options: WatchOptions = {},
): Promise<WatchedRevocations> {
  const list = sessionRevocations(store);
  const max = options.max ?? 100_000;
  const revoked = new LRUCache<string, true>({ max });
  const clear = new LRUCache<string, true>({ max, ttl: options.recheckAfterMs ?? 30_000 });
  let live = false;
  // Counts drops: an answer read across one is not believed.
  let drops = 0;

  let subscription: { close(): Promise<void> } | null = null;
  try {
    subscription = await store.subscribe(
      REVOKED_SESSIONS_CHANNEL,
      (sessionId) => {
        revoked.set(sessionId, true);
        clear.delete(sessionId);
      },
      (isLive) => {
        if (!isLive) {
          drops++;
          clear.clear();
        }
        live = isLive;
      },
    );
  } catch (error) {
    options.onError?.(error);
  }

  return {
    async isRevoked(sessionId) {
      if (revoked.has(sessionId)) return true;
      if (live && clear.has(sessionId)) return false;
      const before = drops;
      const wasLive = live;
      const isRevoked = await list.isRevoked(sessionId);
      if (isRevoked) revoked.set(sessionId, true);
      // An announcement heard while reading wins; a read that began or ran while deaf is not kept.
      else if (wasLive && live && drops === before && !revoked.has(sessionId)) clear.set(sessionId, true);
      return isRevoked || revoked.has(sessionId);
    },
    async close() {
      live = false;
      await subscription?.close();
    },
  };
}
