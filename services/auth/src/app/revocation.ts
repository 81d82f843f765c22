import { revokedSessionKey } from '@clubland/authz';
import type { AuthDeps } from './deps.ts';

/**
 * Tells every verifier (gateways, this service) that these sessions are over, so their access
 * tokens fail at once rather than at expiry. Call after the revocation committed: the database is
 * the truth (refresh refuses the session already); the cache entry only needs to outlive the
 * session's last access token, so its TTL is one access-token lifetime.
 */
export async function announceRevokedSessions(deps: AuthDeps, sessionIds: readonly string[]): Promise<void> {
  await Promise.all(
    sessionIds.map((id) => deps.cache.set(revokedSessionKey(id), '1', deps.settings.accessTokenTtlSeconds)),
  );
}

export async function isSessionRevoked(deps: Pick<AuthDeps, 'cache'>, sessionId: string): Promise<boolean> {
  return (await deps.cache.get(revokedSessionKey(sessionId))) !== null;
}
