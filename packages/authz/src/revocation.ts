/**
 * The cache key that marks a session revoked. The auth service writes it on logout or token
 * reuse with a TTL of one access-token lifetime (after that the tokens have expired anyway);
 * verifiers read it on every request, so revocation takes effect at once.
 */
export function revokedSessionKey(sessionId: string): string {
  return `auth:revoked-session:${sessionId}`;
}
