import { LRUCache } from 'lru-cache';

/**
 * What makes an access token stop working before it expires, as the auth service announces it:
 *
 * - a revoked session (logout, refresh-token reuse, password reset, suspension): a key per session
 *   with a TTL of one access-token lifetime (after that its tokens have expired anyway);
 * - a change to what an account may do (a role granted or revoked, its status changed, its
 *   membership of a club suspended): the account's authorisation version, a count kept by the auth
 *   service; each token carries the version it was minted under (claim `av`) and one minted under
 *   an older version is refused, so the client refreshes and gets the current roles.
 *
 * Each is written to the shared cache and announced on one channel; verifiers check on every
 * request, so both take effect at once.
 */
export function revokedSessionKey(sessionId: string): string {
  return `auth:revoked-session:${sessionId}`;
}

/** The latest authorisation version of an account, while tokens of older versions may be alive. */
export function authzVersionKey(userId: string): string {
  return `auth:authz-version:${userId}`;
}

/**
 * Where every change is announced, as it is written: a revoked session as its bare id (the
 * format older verifiers read), a version as `authz:<userId>:<version>` (which an older verifier
 * takes for a session id no token has: harmless).
 */
export const REVOKED_SESSIONS_CHANNEL = 'auth:revoked-sessions';
const AUTHZ_MESSAGE_PREFIX = 'authz:';

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

/** An account's new authorisation version. */
export interface AuthzChange {
  userId: string;
  version: number;
}

/** What a watcher hears; the gateway closes WebSockets opened under what changed. */
export type AccessChange =
  | { kind: 'session_revoked'; sessionId: string }
  | { kind: 'authz_changed'; userId: string; version: number };

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

/** Authorisation versions in the shared cache: the auth service writes, verifiers read. */
export function authzVersions(store: RevocationStore) {
  return {
    /**
     * Call after the change committed (the database holds the count). The entry lives one
     * access-token lifetime: every token minted before the change has expired by then. Written,
     * then announced, as revocations are.
     */
    async announce(changes: readonly AuthzChange[], accessTokenTtlSeconds: number): Promise<void> {
      await Promise.all(
        changes.map((change) =>
          store.set(authzVersionKey(change.userId), String(change.version), accessTokenTtlSeconds),
        ),
      );
      await Promise.all(
        changes.map((change) => store.publish(REVOKED_SESSIONS_CHANNEL, authzMessage(change))),
      );
    },
    /** The latest version announced within a token lifetime; 0 when none was. */
    async latest(userId: string): Promise<number> {
      return parseVersion(await store.get(authzVersionKey(userId)));
    },
    /** One read per call; for `createAccessTokenVerifier({ isAuthzOutdated })`. */
    async isOutdated(userId: string, version: number): Promise<boolean> {
      return version < parseVersion(await store.get(authzVersionKey(userId)));
    },
  };
}

function authzMessage(change: AuthzChange): string {
  return `${AUTHZ_MESSAGE_PREFIX}${change.userId}:${change.version}`;
}

function parseVersion(value: string | null): number {
  const version = value === null ? 0 : Number(value);
  return Number.isSafeInteger(version) && version > 0 ? version : 0;
}

/** A message on the channel as the change it announces. */
function readMessage(message: string): AccessChange | null {
  if (!message.startsWith(AUTHZ_MESSAGE_PREFIX)) return { kind: 'session_revoked', sessionId: message };
  const separator = message.lastIndexOf(':');
  const userId = message.slice(AUTHZ_MESSAGE_PREFIX.length, separator);
  const version = parseVersion(message.slice(separator + 1));
  return userId === '' || version === 0 ? null : { kind: 'authz_changed', userId, version };
}

export interface WatchedRevocations {
  /**
   * For `createAccessTokenVerifier({ isSessionRevoked })`: the answer itself when this watcher
   * knows it (no promise, no await on the hot path), a promise when it must read the store.
   */
  isRevoked(sessionId: string): boolean | Promise<boolean>;
  /** For `createAccessTokenVerifier({ isAuthzOutdated })`, answered the same way. */
  isOutdated(userId: string, version: number): boolean | Promise<boolean>;
  /** Calls `listener` with every change heard, after the answers above reflect it; returns the unsubscribe. */
  onChange(listener: (change: AccessChange) => void): () => void;
  close(): Promise<void>;
}

export interface WatchOptions {
  /** How long an answer read as "not revoked" / "current" is believed without reading again; default 30 s. */
  recheckAfterMs?: number;
  /** Most sessions and accounts remembered either way; default 100,000. */
  max?: number;
  /** The subscription could not be made; the watcher reads the list on every call instead. */
  onError?: (error: unknown) => void;
}

/** The latest version heard for an account, and the connection epoch in which the store said so. */
interface KnownVersion {
  version: number;
  /** `drops` when the store was read; -1 when only announced (the store is read at the next check). */
  readInEpoch: number;
  readAt: number;
}

/**
 * The list as a busy verifier (the gateway) reads it: each session and each account is read from
 * the store once, then changes arrive as announcements, so a request does not wait on the store.
 *
 * It believes "not revoked" and "current" only while its subscription is live: when the connection
 * drops it forgets every such answer and reads the store on every call (failing closed if that
 * fails too) until it hears again. `recheckAfterMs` bounds what a lost announcement can cost (a
 * drop that went unnoticed, a race with reconnecting): a revoked session or an outdated token
 * passes for at most that long.
 */
export async function watchSessionRevocations(
  store: RevocationStore,
  options: WatchOptions = {},
): Promise<WatchedRevocations> {
  const list = sessionRevocations(store);
  const versions = authzVersions(store);
  const max = options.max ?? 100_000;
  const recheckAfterMs = options.recheckAfterMs ?? 30_000;
  const revoked = new LRUCache<string, true>({ max });
  const clear = new LRUCache<string, true>({ max, ttl: recheckAfterMs });
  // One entry per account holds both the version and whether it may be believed, so evicting one
  // cannot leave the other behind.
  const known = new LRUCache<string, KnownVersion>({ max });
  const listeners = new Set<(change: AccessChange) => void>();
  let live = false;
  // Counts drops: an answer read across one is not believed.
  let drops = 0;

  function raise(userId: string, version: number, readInEpoch: number): void {
    const entry = known.get(userId);
    const latest = Math.max(entry?.version ?? 0, version);
    known.set(userId, { version: latest, readInEpoch, readAt: Date.now() });
  }

  function hear(message: string): void {
    const change = readMessage(message);
    if (change === null) return;
    if (change.kind === 'session_revoked') {
      revoked.set(change.sessionId, true);
      clear.delete(change.sessionId);
    } else {
      // Not marked as read: an announcement can overtake an older one, the store settles it.
      raise(change.userId, change.version, -1);
    }
    for (const listener of listeners) {
      try {
        listener(change);
      } catch (error) {
        options.onError?.(error);
      }
    }
  }

  let subscription: { close(): Promise<void> } | null = null;
  try {
    subscription = await store.subscribe(REVOKED_SESSIONS_CHANNEL, hear, (isLive) => {
      if (!isLive) {
        drops++;
        clear.clear();
      }
      live = isLive;
    });
  } catch (error) {
    options.onError?.(error);
  }

  async function readRevoked(sessionId: string): Promise<boolean> {
    const before = drops;
    const wasLive = live;
    const isRevoked = await list.isRevoked(sessionId);
    if (isRevoked) revoked.set(sessionId, true);
    // An announcement heard while reading wins; a read that began or ran while deaf is not kept.
    else if (wasLive && live && drops === before && !revoked.has(sessionId)) clear.set(sessionId, true);
    return isRevoked || revoked.has(sessionId);
  }

  async function readOutdated(userId: string, version: number): Promise<boolean> {
    const before = drops;
    const wasLive = live;
    const latest = await versions.latest(userId);
    raise(userId, latest, wasLive && live && drops === before ? before : -1);
    return version < (known.get(userId)?.version ?? latest);
  }

  return {
    isRevoked(sessionId) {
      if (revoked.has(sessionId)) return true;
      if (live && clear.has(sessionId)) return false;
      return readRevoked(sessionId);
    },
    isOutdated(userId, version) {
      const entry = known.get(userId);
      if (entry !== undefined) {
        if (version < entry.version) return true;
        const isBelieved = live && entry.readInEpoch === drops && Date.now() - entry.readAt < recheckAfterMs;
        if (isBelieved) return false;
      }
      return readOutdated(userId, version);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      live = false;
      listeners.clear();
      await subscription?.close();
    },
  };
}
