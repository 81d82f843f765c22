/**
 * The revoked-session list: the auth service writes a key per revoked session (logout, refresh-token
 * reuse, password reset, suspension) with a TTL of one access-token lifetime (after that the tokens
 * have expired anyway); verifiers read it on every request, so revocation takes effect at once.
 */
export function revokedSessionKey(sessionId: string): string {
  return `auth:revoked-session:${sessionId}`;
}

/** The part of the cache port the list needs (so authz does not depend on @clubland/cache). */
export interface RevocationStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
}

/** The list in a shared cache: one writer (the auth service), every token verifier a reader. */
export function sessionRevocations(store: RevocationStore) {
  return {
    /**
     * Call after the revocation committed: the database is the truth (refresh already refuses the
     * session); the entry only needs to outlive the session's last access token.
     */
    async announce(sessionIds: readonly string[], accessTokenTtlSeconds: number): Promise<void> {
      await Promise.all(sessionIds.map((id) => store.set(revokedSessionKey(id), '1', accessTokenTtlSeconds)));
    },
    /** For `createAccessTokenVerifier({ isSessionRevoked })`. */
    async isRevoked(sessionId: string): Promise<boolean> {
      return (await store.get(revokedSessionKey(sessionId))) !== null;
    },
  };
}
