import { sessionRevocations } from '@clubland/authz';
import type { AuthDeps } from './deps.ts';

/** Tells every verifier (gateways, this service) that these sessions are over; after the commit. */
export async function announceRevokedSessions(deps: AuthDeps, sessionIds: readonly string[]): Promise<void> {
  await sessionRevocations(deps.cache).announce(sessionIds, deps.settings.accessTokenTtlSeconds);
}
